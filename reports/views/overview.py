"""Decision overview: per suite, fine-tuning against prompt engineering, with cost and a verdict."""

import streamlit as st

from tunebench.harness.analysis.decision import decide
from tunebench.reports.decision import decision_frame, scorer_warnings
from tunebench.reports.views.common import cached, run_id, show_intervals, store


def page() -> None:
    st.title("Decision overview")
    run = run_id()
    if run is None:
        return
    decision = decide(store(), run)
    if not decision.rows:
        st.info("This run has no evaluated suite yet.")
        return
    frame = decision_frame(decision)
    st.caption(f"Baseline: {decision.baseline}. ▲/▼: test accuracy significantly above/below the baseline (paired "
               "test on the same items, Holm-corrected). ⚠: the scorer behind the number agrees with hand labels "
               "less than 90% of the time (Scorers page). Cost: training once, prompt tokens and latency per request.")
    for line in scorer_warnings(decision):
        st.warning(line)
    board = cached("metric_frame", run)
    for suite in dict.fromkeys(frame.suite):
        st.header(suite)
        st.markdown("**Verdict:** ")
        st.text(decision.verdicts.get(suite, "no verdict"))
        st.dataframe(frame[frame.suite == suite].drop(columns=["suite"]), hide_index=True, width="stretch")
        rows = board[(board.suite == suite) & (board.split == "test") & (board.metric == "accuracy")]
        if not rows.empty:
            show_intervals(rows, title="test accuracy, 95% interval")
