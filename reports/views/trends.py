"""Trends: a metric of every variant across the runs and audits of an experiment, over time."""

import altair as alt
import streamlit as st

from tunebench.reports.views.common import cached, choose, run_id


def page() -> None:
    st.title("Trends across runs and audits")
    run = run_id()
    if run is None:
        return
    runs = cached("run_list")
    experiment = runs[runs.run_id == run].experiment.iloc[0]
    frame = cached("metric_frame", run)
    suite = choose("Suite", cached("suites", run), "suite")
    split = choose("Split", sorted(frame[frame.suite == suite].split.unique()), "split")
    metric = choose("Metric", cached("metric_names", run, suite, split), "metric")
    if metric is None:
        return
    data = cached("trends", experiment, suite, split, metric)
    if data.empty:
        st.info("No complete run of this experiment has this metric.")
        return
    if data.run_id.nunique() < 2:
        st.info(f"{experiment} has one complete run so far: a trend needs a second one. Run the experiment again "
                "(`tunebench run`, or `tunebench audit run` for a dated, sealed audit) and its numbers appear here "
                "beside this run's.")
    st.caption(f"{experiment}: {data.run_id.nunique()} run(s); audits are marked with a ring.")
    line = alt.Chart(data).mark_line(point=True).encode(x="started_at:T", y="value:Q", color="variant:N",
                                                        tooltip=["run_id", "variant", "value", "ci_low", "ci_high",
                                                                 "audit"])
    band = alt.Chart(data).mark_errorbar().encode(x="started_at:T", y="ci_low:Q", y2="ci_high:Q", color="variant:N")
    audited = alt.Chart(data[data.audit != ""]).mark_point(size=200, shape="circle").encode(x="started_at:T",
                                                                                             y="value:Q")
    st.altair_chart(line + band + audited, width="stretch")
    st.dataframe(data, hide_index=True, width="stretch")
