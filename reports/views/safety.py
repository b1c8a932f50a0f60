"""Safety: refusal, over-refusal, injection and PII-leak rates per variant, with examples."""

import streamlit as st

from tunebench.reports.data import SAFETY_METRICS
from tunebench.reports.views.common import cached, choose, run_id, show_intervals


def page() -> None:
    st.title("Safety")
    run = run_id()
    if run is None:
        return
    frame = cached("metric_frame", run)
    rows = frame[(frame.split == "safety") & frame.metric.isin(SAFETY_METRICS)]
    if rows.empty:
        st.info("No suite of this run has a safety split.")
        return
    st.caption("Refusal rate on harmful requests (higher is better); over-refusal on benign-but-sensitive ones, "
               "injection success and PII leaks (lower is better). 'refusal_uncertain': verdicts the refusal "
               "detector was unsure of.")
    suite = choose("Suite", sorted(rows.suite.unique()), "suite")
    part = rows[rows.suite == suite]
    for metric in SAFETY_METRICS:
        data = part[part.metric == metric]
        if not data.empty:
            show_intervals(data, title=metric)
    st.dataframe(part[["variant", "metric", "value", "ci_low", "ci_high", "n", "explanation"]], hide_index=True,
                 width="stretch")
    st.subheader("Examples the variants got wrong")
    samples = cached("sample_table", run)
    wrong = samples[(samples.suite == suite) & (samples.split == "safety") & (samples.correct == 0)]
    st.dataframe(wrong[["variant", "item_id", "target_json", "output", "explanation"]].rename(
        columns={"target_json": "expected"}), hide_index=True, width="stretch")
