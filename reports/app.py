"""Streamlit report site: reads the store only. Start with ``tunebench report`` or ``tunebench demo``.

Model outputs are shown through ``st.dataframe``/``st.code`` (rendered as text, never as HTML).
"""

from __future__ import annotations

import argparse
import json
import os

import streamlit as st

from reports.data import (
    SECTIONS,
    accuracy_table,
    explanations,
    open_store,
    sample_table,
    section_table,
    training_curves,
)


def _store_path() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=os.environ.get("TUNEBENCH_STORE", "tunebench-out/demo/store.sqlite"))
    return parser.parse_known_args()[0].store


def main() -> None:
    st.set_page_config(page_title="tunebench report", layout="wide")
    store = open_store(_store_path())
    runs = store.runs_frame()
    runs = runs[runs.status == "complete"]
    st.title("tunebench: fine-tuning vs prompt engineering")
    if runs.empty:
        st.info(f"No complete run in {store.path} yet.")
        return
    label = {r.run_id: f"{r.experiment} · {r.run_id}" for r in runs.itertuples()}
    run_id = st.sidebar.selectbox("Run", list(label), format_func=label.get)
    run = runs[runs.run_id == run_id].iloc[0]
    st.caption(f"store {store.path} · started {run.started_at} · finished {run.finished_at}")

    table = accuracy_table(store, run_id)
    st.header("Accuracy per variant (test split, 95% interval)")
    test = table[table.split == "test"]
    st.bar_chart(test, x="variant", y="accuracy")
    for title, (splits, prefixes) in SECTIONS.items():
        section = section_table(store, run_id, splits, prefixes)
        if section.empty:
            continue
        st.header(title)
        st.dataframe(section, hide_index=True, width="stretch")
        with st.expander("How each number was computed"):
            st.dataframe(explanations(store, run_id, splits, prefixes), hide_index=True,
                         width="stretch")

    curves = training_curves(store)
    if not curves.empty:
        st.header("Training curves")
        for variant, part in curves.groupby("variant"):
            st.subheader(variant)
            st.line_chart(part.set_index("step")[["train_loss", "val_loss"]])

    st.header("Samples")
    samples = sample_table(store, run_id)
    variant = st.selectbox("Variant", sorted(samples.variant.unique()))
    only_wrong = st.checkbox("Only wrong answers")
    view = samples[samples.variant == variant]
    if only_wrong:
        view = view[view.correct == 0]
    st.dataframe(view[["suite", "split", "item_id", "correct", "output", "explanation", "scores_json"]],
                 hide_index=True, width="stretch")
    if not view.empty:
        item = st.selectbox("Show the prompt of item", view.item_id.tolist())
        st.code(view[view.item_id == item].prompt.iloc[0], language=None)

    with st.expander("Provenance"):
        st.json(json.loads(run.provenance_json))


main()
