"""Scorers: each automatic scorer's agreement with hand labels (stored with the run: real outputs and
hard cases) and with the reviewers; a scorer whose agreement on real outputs may be below 90% is
flagged here and named once on the pages that show its numbers."""

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
        st.caption("Agreement with hand labels (95% Wilson intervals) on outputs sampled from real runs "
                   "(representative: decides the flag, by its lower bound) and on hard cases written on purpose "
                   "(a stress figure). `tunebench scorers --show NAME` lists the items a scorer gets wrong.")
        st.dataframe(checks, hide_index=True, width="stretch")
    st.subheader("Against this project's reviewers, on this run's own outputs")
    agreement = cached("reviewer_agreement", run)
    if agreement.empty:
        st.info("No review of this run yet (Review page).")
    else:
        st.dataframe(agreement, hide_index=True, width="stretch")
