"""Decision overview: the answer first (per suite: fine-tune, prompt, or not enough evidence), then
what it rests on: quality next to cost, safety, and the reasons."""

import streamlit as st

from tunebench.reports.decision import (
    DIRECTIONS,
    answer_rows,
    assumptions_line,
    decision_frame,
    money_frame,
    money_title,
    run_line,
    scorer_lines,
)
from tunebench.reports.variation import CURVE, curve_points, sections
from tunebench.reports.views.common import cached, run_id, show_intervals
from tunebench.reports.views.common import decision as cached_decision


def page() -> None:
    st.title("Decision overview")
    run = run_id()
    if run is None:
        return
    decision = cached_decision(run)
    if not decision.rows:
        st.info("This run has no evaluated suite yet.")
        return
    st.text(run_line(decision))
    st.subheader("Answer per suite")
    st.dataframe(answer_rows(decision), hide_index=True, width="stretch")
    for line in scorer_lines(decision):
        st.caption(f"⚠ {line} — see the [Scorers](scorers) page")
    for line in decision.warnings:
        st.warning(line)
    frame = decision_frame(decision)
    st.caption(f"Baseline: {decision.baseline}. {DIRECTIONS}. ▲/▼: test accuracy significantly above/below the "
               "baseline (paired test on the same items, Holm across suites; the interval is the one that test "
               "was judged at). Cost: training once, prompt tokens and latency per request.")
    board = cached("metric_frame", run)
    for suite in dict.fromkeys(frame.suite):
        st.header(suite)
        found = decision.answers.get(suite)
        st.markdown(f"**Answer:** {found.headline if found else 'no verdict'}")
        st.text(decision.reasons.get(suite) or decision.verdicts.get(suite, "no verdict"))
        st.dataframe(frame[frame.suite == suite].drop(columns=["suite"]), hide_index=True, width="stretch")
        rows = board[(board.suite == suite) & (board.split == "test") & (board.metric == "accuracy")]
        if not rows.empty:
            show_intervals(rows, title="test accuracy, 95% interval")
    money = money_frame(decision)
    if not money.empty:
        st.header("Money")
        st.caption(money_title(decision))
        st.dataframe(money, hide_index=True, width="stretch")
        st.caption(f"Assumptions: {assumptions_line(decision)}")
    _seeds_and_curves(decision)


def _seeds_and_curves(decision) -> None:
    """The answer asked of every seed, and accuracy against training items (adapters with ``seeds`` or
    ``learning_curve``); nothing when the run trained none."""
    for title, note, frame in sections(decision):
        st.header(title)
        st.caption(note)
        if title == CURVE[0]:
            st.altair_chart(_curve_chart(curve_points(decision)), width="stretch")
            st.caption("The dashed line: the best prompt variant's test accuracy.")
        st.dataframe(frame, hide_index=True, width="stretch")


def _curve_chart(points):
    import altair as alt

    base = alt.Chart(points).encode(x=alt.X("training items:Q", scale=alt.Scale(type="log")))
    return (base.mark_line(point=True).encode(y=alt.Y("accuracy:Q", title="test accuracy"), color="suite:N")
            + base.mark_rule().encode(y="ci_low:Q", y2="ci_high:Q", color="suite:N")
            + alt.Chart(points).mark_rule(strokeDash=[4, 4]).encode(y="prompt accuracy:Q", color="suite:N"))
