"""Compare two variants: the paired statistics, then every item side by side with filters and a
drill-down (prompt, both outputs, target, every score and its explanation). A is the baseline."""

import streamlit as st

from tunebench.harness.analysis.compare import Side, compare
from tunebench.reports.comparison import comparison_frame
from tunebench.reports.views.common import cached, choose, flag, run_id, store, text_input


def page() -> None:
    st.title("Compare two variants")
    run = run_id()
    if run is None:
        return
    names = cached("variants", run)
    if len(names) < 2:
        st.info("This run has one variant: nothing to compare.")
        return
    left, right = st.columns(2)
    with left:
        a = choose("A (reference)", names, "a")
    with right:
        b = choose("B", [n for n in names if n != a], "b")
    result = compare(store(), Side(run, a), Side(run, b))
    st.subheader("Paired statistics")
    st.dataframe(comparison_frame(result), hide_index=True, width="stretch")
    for note in result.notes:
        st.caption(note)
    st.subheader("Items side by side")
    frame = cached("side_by_side", run, a, b)
    cols = st.columns(4)
    with cols[0]:
        only_diff = flag("diff", "only differences")
    with cols[1]:
        only_fail = flag("fail", "only failures")
    with cols[2]:
        only_rule = flag("rules", "rule violations")
    with cols[3]:
        search = text_input("q", "search text")
    if only_diff:
        frame = frame[frame.differs]
    if only_fail:
        frame = frame[(frame.correct_a == 0) | (frame.correct_b == 0)]
    if only_rule:
        frame = frame[frame.violation]
    if search:
        needle = search.lower()
        frame = frame[frame.output_a.fillna("").str.lower().str.contains(needle, regex=False)
                      | frame.output_b.fillna("").str.lower().str.contains(needle, regex=False)
                      | frame.prompt_a.fillna("").str.lower().str.contains(needle, regex=False)]
    st.caption(f"{len(frame)} item(s)")
    st.dataframe(frame[["suite", "split", "item_id", "correct_a", "correct_b", "output_a", "output_b"]],
                 hide_index=True, width="stretch")
    if frame.empty:
        return
    keys = [f"{r.suite}/{r.split}/{r.item_id}" for r in frame.itertuples()]
    chosen = choose("Drill down into item", keys, "item")
    row = frame.iloc[keys.index(chosen)]
    st.markdown("**Target**")
    st.code(row.target_json_a if isinstance(row.target_json_a, str) else row.target_json_b, language=None)
    st.markdown("**Prompt**")
    st.code(row.prompt_a if isinstance(row.prompt_a, str) else row.prompt_b, language=None)
    for side, name in (("a", a), ("b", b)):
        st.markdown(f"**Output of {side.upper()}**")
        st.code(getattr(row, f"output_{side}") or "(empty)", language=None)
        st.markdown(f"**Scores of {side.upper()}**")
        scores = getattr(row, f"scores_json_{side}")
        st.json(scores if isinstance(scores, str) else {}, expanded=True)
