"""Scorers: each automatic scorer's agreement with hand labels (stored with the run) and with the
reviewers; a scorer below 90% is flagged here and next to every number it produces."""

import streamlit as st

from tunebench.reports.views.common import cached, run_id


def page() -> None:
    st.title("How far to trust the scorers")
    run = run_id()
    if run is None:
        return
    checks = cached("scorer_checks", run)
    if checks.empty:
        st.info("This run stored no scorer checks (runs before tunebench 0.2).")
    else:
        st.caption("Agreement with hand labels on check sets of hard cases shipped with tunebench (95% Wilson "
                   "intervals). `tunebench scorers --show NAME` lists the items a scorer gets wrong.")
        st.dataframe(checks, hide_index=True, width="stretch")
    st.subheader("Against this project's reviewers")
    agreement = cached("reviewer_agreement")
    if agreement.empty:
        st.info("No review yet (Review page).")
    else:
        st.dataframe(agreement, hide_index=True, width="stretch")
