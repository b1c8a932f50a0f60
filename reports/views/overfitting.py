"""Overfitting: loss curves per adapter, train/test/ood accuracy, forgetting, memorisation, canaries."""

import altair as alt
import streamlit as st

from tunebench.reports.views.common import cached, run_id


def page() -> None:
    st.title("Overfitting and forgetting")
    run = run_id()
    if run is None:
        return
    curves = cached("training_curves", run)
    if curves.empty:
        st.info("No adapter of this run has training telemetry (prompt variants only, or adapters from elsewhere).")
    else:
        st.subheader("Train and validation loss per step")
        long = curves.melt(id_vars=["variant", "step"], value_vars=["train_loss", "val_loss"], var_name="loss").dropna()
        chart = alt.Chart(long).mark_line(point=True).encode(x="step:Q", y="value:Q", color="loss:N",
                                                             facet=alt.Facet("variant:N", columns=2))
        st.altair_chart(chart, width="stretch")
    adapters = cached("adapters", run)
    if not adapters.empty:
        st.subheader("Adapters: best step and the step where validation loss turned up")
        st.dataframe(adapters[["variant", "steps", "best step", "val loss turned up at", "train seconds"]],
                     hide_index=True, width="stretch")
    frame = cached("metric_frame", run)
    acc = frame[(frame.metric == "accuracy") & frame.split.isin(["train", "test", "ood"])]
    if not acc.empty:
        st.subheader("Accuracy on training items, test and ood")
        st.dataframe(acc.pivot_table(index=["suite", "variant"], columns="split", values="value").reset_index(),
                     hide_index=True, width="stretch")
    over = frame[frame.metric.str.startswith(("overfit.", "probe."))]
    if not over.empty:
        st.subheader("Gaps, memorisation, canary exposure, forgetting")
        st.dataframe(over[["suite", "variant", "metric", "value", "n", "explanation"]], hide_index=True,
                     width="stretch")
