"""What every page shares: the store (read-only views, cached), the chosen run, and view state
kept in the URL query so that a link reproduces a view.

Model outputs, prompts and comments are untrusted text: pages show them with ``st.text``,
``st.code`` or in dataframes, never as markdown or HTML.
"""

from __future__ import annotations

import argparse
import os

import pandas as pd
import streamlit as st

from tunebench.harness.core.errors import BadInput
from tunebench.reports import data


def reviewer_identity() -> tuple[str, str | None]:
    """How the Review page may know who is reviewing: ("read-only", why), ("header", the authenticated
    user or None), or ("typed", None) for a typed name, which only a site on this machine allows.
    Set by ``tunebench report`` (``--read-only``, ``--user-header NAME``, ``--host``)."""
    if os.environ.get("TUNEBENCH_READ_ONLY") == "1":
        return "read-only", "This site is read-only (tunebench report --read-only): reviews cannot be added here."
    header = os.environ.get("TUNEBENCH_USER_HEADER")
    if header:
        user = (st.context.headers.get(header) or "").strip() if hasattr(st, "context") else ""
        return "header", user or None
    if os.environ.get("TUNEBENCH_EXPOSED") == "1":
        return "read-only", ("This site is open to the network without a trusted identity: reviews are off. "
                             "Serve it behind a proxy that authenticates users and pass --user-header NAME.")
    return "typed", None


def store_path() -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=os.environ.get("TUNEBENCH_STORE", "tunebench-out/demo/store.sqlite"))
    return parser.parse_known_args()[0].store


@st.cache_resource
def _store(path: str):
    return data.open_store(path)


def store():
    """The store, or a message and a stop when it cannot be read."""
    try:
        return _store(store_path())
    except BadInput as exc:
        st.error(f"Cannot open the results store: {exc}")
        st.stop()


@st.cache_data(ttl=30)
def _cached(path: str, view: str, *args):
    return getattr(data, view)(_store(path), *args)


@st.cache_resource(ttl=30)
def _decision(path: str, run: str):
    from tunebench.harness.analysis.decision import decide

    return decide(_store(path), run)


def decision(run: str):
    """The run's decision (paired tests over every sample), computed once per 30 s per store and run:
    on a store of 100,000 samples it takes seconds (benchmarks/report_load.py)."""
    store()
    return _decision(store_path(), run)


def cached(view: str, *args):
    """``tunebench.reports.data.<view>(store, *args)``, cached for 30 s per store (a running experiment keeps writing)."""
    store()  # a store that cannot be opened stops the page with a message
    return _cached(store_path(), view, *args)


def choose(label: str, options: list, key: str, sidebar: bool = False, format_func=str):
    """A selectbox whose choice lives in the URL query (``?key=value``)."""
    if not options:
        return None
    wanted = st.query_params.get(key)
    index = options.index(wanted) if wanted in options else 0
    where = st.sidebar if sidebar else st
    value = where.selectbox(label, options, index=index, key=f"qp-{key}", format_func=format_func)
    if st.query_params.get(key) != value:
        st.query_params[key] = value
    return value


def flag(name: str, label: str, default: bool = False) -> bool:
    """A checkbox whose state lives in the URL query."""
    wanted = st.query_params.get(name)
    value = st.checkbox(label, value=(wanted == "1") if wanted is not None else default, key=f"qp-{name}")
    if st.query_params.get(name) != ("1" if value else "0"):
        st.query_params[name] = "1" if value else "0"
    return value


def text_input(name: str, label: str) -> str:
    value = st.text_input(label, value=st.query_params.get(name, ""), key=f"qp-{name}")
    if st.query_params.get(name, "") != value:
        st.query_params[name] = value
    return value


def run_id() -> str | None:
    """The run the pages show (sidebar; ``?run=``); a helpful message when there is none."""
    runs = cached("run_list")
    runs = runs[runs.status.isin(["complete", "interrupted"])]
    if runs.empty:
        st.info(f"No run in {store_path()} yet. Run an experiment first: `tunebench run EXPERIMENT.yaml` "
                "(or `tunebench demo`), then reload this page.")
        return None
    labels = {r.run_id: f"{r.experiment} · {r.run_id}" + (" (interrupted)" if r.status == "interrupted" else "")
              + (f" · audit {r.audit_id}" if isinstance(r.audit_id, str) else "") for r in runs.itertuples()}
    return choose("Run", list(labels), "run", sidebar=True, format_func=labels.get)


def interval_chart(frame: pd.DataFrame, x: str = "variant", title: str = ""):
    """Points with 95% interval bars (Altair), one per row of ``frame`` (value, ci_low, ci_high)."""
    import altair as alt

    frame = frame.dropna(subset=["value"])
    base = alt.Chart(frame, title=title).encode(y=alt.Y(f"{x}:N", sort=None, title=None))
    bars = base.mark_rule(strokeWidth=2).encode(x=alt.X("ci_low:Q", title="value (95% interval)",
                                                        scale=alt.Scale(zero=False)), x2="ci_high:Q")
    points = base.mark_point(filled=True, size=70).encode(x="value:Q", tooltip=[x, "value", "ci_low", "ci_high", "n"])
    return (bars + points).properties(height=max(80, 28 * len(frame)))


def show_intervals(frame: pd.DataFrame, title: str = "", x: str = "variant") -> None:
    """``interval_chart`` on the page at a height that gives every row its own line (Streamlit's
    default 'content' height collapses a nominal axis into one line)."""
    rows = frame.dropna(subset=["value"])[x].nunique()
    st.altair_chart(interval_chart(frame, x, title), width="stretch", height=90 + 30 * max(rows, 1))
