"""Audit trail: provenance of the run and its adapters, suite hashes, stages, audits with their
verification status, and the reviews made on this run."""

import streamlit as st

from tunebench.reports.stages import stage_frame, wall_seconds
from tunebench.reports.views.common import cached, run_id


def page() -> None:
    st.title("Audit trail")
    run = run_id()
    if run is None:
        return
    runs = cached("run_list")
    row = runs[runs.run_id == run].iloc[0]
    st.subheader(f"Run {run}")
    st.text(f"experiment {row.experiment} · status {row.status} · started {row.started_at} · finished {row.finished_at}")
    st.json(row.provenance_json or {}, expanded=False)
    st.subheader("Suite files (content hashes)")
    st.dataframe(cached("suite_hashes", run), hide_index=True, width="stretch")
    adapters = cached("adapters", run)
    if not adapters.empty:
        st.subheader("Adapters (provenance, data preparation)")
        st.dataframe(adapters, hide_index=True, width="stretch")
    stages = cached("stages", run)
    if stages:
        wall = wall_seconds(row.started_at, row.finished_at)
        st.subheader("Where the time went" + (f" (run wall time {wall:.0f} s)" if wall else ""))
        st.dataframe(stage_frame(stages, wall), hide_index=True, width="stretch")
    st.subheader("Audits")
    audit_rows = cached("audit_list")
    if audit_rows.empty:
        st.info("No audit yet: `tunebench audit EXPERIMENT.yaml` makes a dated, sealed one.")
    else:
        st.dataframe(audit_rows, hide_index=True, width="stretch")
    st.subheader("Reviews of this run")
    reviews = cached("review_table", run)
    if reviews.empty:
        st.info("No review yet (Review page).")
    else:
        st.dataframe(reviews, hide_index=True, width="stretch")
