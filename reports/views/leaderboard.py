"""Leaderboard: per suite and metric, every variant with its 95% interval (a chart, and the table)."""

import streamlit as st

from tunebench.reports.views.common import cached, choose, run_id, show_intervals


def page() -> None:
    st.title("Leaderboard")
    run = run_id()
    if run is None:
        return
    suite = choose("Suite", cached("suites", run), "suite")
    if suite is None:
        st.info("No suite results in this run.")
        return
    frame = cached("metric_frame", run)
    splits = sorted(frame[frame.suite == suite].split.unique())
    split = choose("Split", splits, "split")
    names = cached("metric_names", run, suite, split)
    metric = choose("Metric", names, "metric")
    if metric is None:
        return
    board = cached("leaderboard", run, suite, split, metric)
    show_intervals(board, title=f"{suite} · {split} · {metric}")
    st.dataframe(board, hide_index=True, width="stretch")
