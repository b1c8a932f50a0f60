"""Static HTML export of a store, for auditors: one self-contained page per store, escaped.

Model outputs are untrusted text: every table goes through pandas' ``to_html(escape=True)`` and
every other string through ``html.escape``.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from harness.core.store import Store
from reports.data import SECTIONS, explanations, sample_table, section_table

STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:1200px}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
th{background:#f3f3f3}details{margin:.5rem 0}pre{white-space:pre-wrap}"""


def export_html(store_path: str | Path, out_dir: str | Path, run_ids: list[str] | None = None) -> Path:
    """Write ``out_dir/index.html`` for the given runs, or the latest complete run of every experiment."""
    store = Store(store_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs = store.runs_frame()
    body = [f"<h1>tunebench report</h1><p>store: <code>{html.escape(str(store.path))}</code></p>"]
    chosen = run_ids if run_ids is not None else [store.latest_run_id(e) for e in runs.experiment.unique()]
    for run_id in [r for r in chosen if r is not None]:
        experiment = runs[runs.run_id == run_id].experiment.iloc[0]
        run = runs[runs.run_id == run_id].iloc[0]
        body.append(f"<h2>{html.escape(experiment)}: run {html.escape(run_id)}</h2>")
        body.append(f"<p>started {html.escape(str(run.started_at))}, finished {html.escape(str(run.finished_at))}</p>")
        for title, (splits, prefixes) in SECTIONS.items():
            table = section_table(store, run_id, splits, prefixes)
            if table.empty:
                continue
            body.append(f"<h3>{html.escape(title)}</h3>")
            body.append(table.to_html(index=False, escape=True))
            body.append("<details><summary>How each number was computed</summary>"
                        + explanations(store, run_id, splits, prefixes).to_html(index=False, escape=True)
                        + "</details>")
        samples = sample_table(store, run_id)[["variant", "suite", "split", "item_id", "correct", "output",
                                                "explanation"]]
        body.append("<details><summary>Samples (prompt outputs and why each is right or wrong)</summary>")
        body.append(samples.to_html(index=False, escape=True) + "</details>")
        body.append("<details><summary>Provenance</summary><pre>"
                    + html.escape(json.dumps(json.loads(run.provenance_json), indent=2)) + "</pre></details>")
    index = out / "index.html"
    tmp = index.with_suffix(".tmp")
    tmp.write_text(f"<!doctype html><meta charset='utf-8'><title>tunebench report</title>"
                   f"<style>{STYLE}</style>" + "\n".join(body), encoding="utf-8")
    tmp.replace(index)
    return index
