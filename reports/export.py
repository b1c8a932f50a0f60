"""Static HTML export of the report, for auditors: the same pages as the site, no server, no network.

``tunebench report --export DIR`` writes one HTML file per page (charts as inline SVG, styles
inline), for the given runs or the latest complete run of every experiment. Model outputs,
prompts and comments are untrusted text: every table goes through pandas' ``to_html(escape=True)``
and every other string through ``html.escape``; nothing from the store is ever written as markup.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from tunebench.harness.analysis.compare import Side, compare
from tunebench.harness.analysis.decision import decide
from tunebench.harness.core.metric_table import DECISION_COLUMNS
from tunebench.harness.core.store import Store
from tunebench.reports import data
from tunebench.reports.comparison import comparison_frame
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
from tunebench.reports.stages import stage_frame, wall_seconds
from tunebench.reports.variation import sections

STYLE = """body{font-family:system-ui,sans-serif;margin:0;color:#222}main{padding:1rem 2rem;max-width:1400px}
nav{background:#1f3b57;padding:.6rem 2rem}nav a{color:#fff;margin-right:1.2rem;text-decoration:none}
nav a.here{font-weight:bold;text-decoration:underline}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .45rem;text-align:left;vertical-align:top;max-width:40rem}
th{background:#f3f3f3}details{margin:.5rem 0}pre{white-space:pre-wrap}.warn{color:#8a5300}
td{white-space:pre-wrap}.scroll{overflow-x:auto;max-width:100%}
svg text{font-size:11px;font-family:system-ui,sans-serif}"""
CHARTS = [key for key, column in DECISION_COLUMNS.items() if column.chart]  # (split, metric) the leaderboard draws
PAGES = [("index.html", "Decision overview"), ("leaderboard.html", "Leaderboard"), ("compare.html", "Compare"),
         ("overfitting.html", "Overfitting"), ("safety.html", "Safety"), ("trends.html", "Trends"),
         ("audit.html", "Audit trail"), ("reviews.html", "Reviews"), ("scorers.html", "Scorers")]


def esc(value) -> str:
    return html.escape(str(value))


def table(frame: pd.DataFrame) -> str:
    if frame is None or frame.empty:
        return "<p>(nothing recorded)</p>"
    # wide tables scroll inside the 1400 px page instead of cutting names; empty cells read "–", never "None"
    cells = frame.astype(object).where(frame.notna(), None).map(lambda v: "–" if v is None else v)
    return f"<div class=scroll>{cells.to_html(index=False, escape=True, na_rep='–')}</div>"


def interval_svg(rows: list[tuple[str, float, float | None, float | None]], title: str) -> str:
    """Points with 95% interval bars on a 0..1 axis (or the data's range), one row per label."""
    rows = [r for r in rows if r[1] is not None and r[1] == r[1]]
    if not rows:
        return ""
    values = [v for _, value, low, high in rows for v in (value, low, high) if v is not None and v == v]
    lo, hi = min(0.0, min(values)), max(1.0, max(values))
    width, left, row_h = 520, 170, 22
    height = 30 + row_h * len(rows)
    x = (lambda v: left + (v - lo) / ((hi - lo) or 1) * (width - left - 20))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
             f'<text x="4" y="14" font-weight="bold">{esc(title)}</text>',
             f'<line x1="{x(lo)}" y1="{height - 8}" x2="{x(hi)}" y2="{height - 8}" stroke="#999"/>',
             f'<text x="{x(lo)}" y="{height}">{lo:g}</text><text x="{x(hi) - 10}" y="{height}">{hi:g}</text>']
    for k, (label, value, low, high) in enumerate(rows):
        y = 30 + k * row_h
        parts.append(f'<text x="4" y="{y + 4}">{esc(label)[:26]}</text>')
        if low is not None and high is not None and low == low:
            parts.append(f'<line x1="{x(low):.1f}" y1="{y}" x2="{x(high):.1f}" y2="{y}" stroke="#1f77b4" '
                         'stroke-width="2"/>')
        parts.append(f'<circle cx="{x(value):.1f}" cy="{y}" r="4" fill="#1f77b4"><title>{esc(label)}: '
                     f'{value:.3f}</title></circle>')
    return "".join(parts) + "</svg>"


def line_svg(frame: pd.DataFrame, title: str) -> str:
    """A metric over runs (x: run order), one line per variant."""
    if frame.empty:
        return ""
    runs = list(dict.fromkeys(frame.sort_values("started_at").run_id))
    width, height, left = 520, 200, 40
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"]
    x = (lambda i: left + i * (width - left - 20) / max(1, len(runs) - 1))
    y = (lambda v: height - 30 - v * (height - 60))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">',
             f'<text x="4" y="14" font-weight="bold">{esc(title)}</text>',
             f'<line x1="{left}" y1="{y(0)}" x2="{width - 20}" y2="{y(0)}" stroke="#999"/>',
             f'<text x="4" y="{y(0)}">0</text><text x="4" y="{y(1)}">1</text>']
    for k, (variant, part) in enumerate(frame.groupby("variant")):
        points = [(x(runs.index(r.run_id)), y(r.value)) for r in part.sort_values("started_at").itertuples()
                  if r.value == r.value]
        color = colors[k % len(colors)]
        parts.append(f'<polyline fill="none" stroke="{color}" points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in points)}"/>')
        parts += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{color}"/>' for a, b in points]
        parts.append(f'<text x="{width - 150}" y="{30 + 14 * k}" fill="{color}">{esc(variant)[:22]}</text>')
    return "".join(parts) + "</svg>"


def _page(out: Path, name: str, title: str, body: list[str], store: Store) -> None:
    nav = "".join(f'<a href="{f}"{" class=here" if f == name else ""}>{esc(t)}</a>' for f, t in PAGES)
    document = (f"<!doctype html><html lang='en'><meta charset='utf-8'><title>tunebench · {esc(title)}</title>"
                f"<style>{STYLE}</style><nav>{nav}</nav><main><h1>{esc(title)}</h1>"
                f"<p>store: <code>{esc(store.path)}</code></p>" + "\n".join(body) + "</main></html>")
    tmp = out / f".{name}.tmp"
    tmp.write_text(document, encoding="utf-8")
    tmp.replace(out / name)


def _overview(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    for run in run_ids:
        decision = decide(store, run)
        frame = decision_frame(decision)
        body.append(f"<h2>Run {esc(run)}</h2><p>{esc(run_line(decision))}</p><h3>Answer per suite</h3>")
        body.append(table(pd.DataFrame(answer_rows(decision))))
        body += [f"<p class=warn>⚠ {esc(line)} — see the <a href='scorers.html'>Scorers</a> page</p>"
                 for line in scorer_lines(decision)]
        body += [f"<p class=warn>⚠ {esc(line)}</p>" for line in decision.warnings]
        body.append(f"<p>Baseline: {esc(decision.baseline)}. {esc(DIRECTIONS)}. ▲/▼: test accuracy significantly "
                    "above/below the baseline (paired, Holm across suites; the interval is the one that test was "
                    "judged at).</p>")
        board = data.metric_frame(store, run)
        for suite in dict.fromkeys(frame.suite):
            found = decision.answers.get(suite)
            body.append(f"<h3>{esc(suite)}</h3><p><b>Answer:</b> {esc(found.headline if found else 'no verdict')}</p>"
                        f"<p>{esc(decision.reasons.get(suite) or decision.verdicts.get(suite, ''))}</p>")
            body.append(table(frame[frame.suite == suite].drop(columns=["suite"])))
            rows = board[(board.suite == suite) & (board.split == "test") & (board.metric == "accuracy")]
            body.append(interval_svg([(r.variant, r.value, r.ci_low, r.ci_high) for r in rows.itertuples()],
                                     "test accuracy, 95% interval"))
        money = money_frame(decision)
        if not money.empty:
            body.append(f"<h3>{esc(money_title(decision))}</h3>")
            body.append(table(money))
            body.append(f"<p>Assumptions: {esc(assumptions_line(decision))}</p>")
        for title, note, frame in sections(decision):
            body += [f"<h3>{esc(title)}</h3><p>{esc(note)}</p>", table(frame)]
        body += [interval_svg(_curve_rows(c), f"{c.suite}: {c.variant} by training items, against {c.prompted}")
                 for c in decision.curves]
    return body


def _curve_rows(curve) -> list[tuple]:
    """A learning curve's points for ``interval_svg``, the best prompt first: the level the curve must pass."""
    prompt = curve.prompt_accuracy
    rows = [(f"{curve.prompted} (best prompt)", prompt.value, prompt.ci_low, prompt.ci_high)] if prompt else []
    return rows + [(f"n={p.train_items}", p.accuracy.value, p.accuracy.ci_low, p.accuracy.ci_high) for p in curve.points]


def _leaderboard(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    for run in run_ids:
        body.append(f"<h2>Run {esc(run)}</h2>")
        frame = data.metric_frame(store, run)
        for suite in data.suites(store, run):
            body.append(f"<h3>{esc(suite)}</h3>")
            for split, metric in CHARTS:
                rows = frame[(frame.suite == suite) & (frame.split == split) & (frame.metric == metric)]
                if not rows.empty:
                    body.append(interval_svg([(r.variant, r.value, r.ci_low, r.ci_high) for r in rows.itertuples()],
                                             f"{split} · {metric}"))
        body.append("<details><summary>Every metric, with how it was computed</summary>"
                    + table(data.section_table(store, run, ["test", "ood", "safety", "train", "overfitting",
                                                            "robustness", "probe"], ("",))) + "</details>")
    return body


def _compare(store: Store, run_ids: list[str]) -> list[str]:
    body = ["<p>The static report compares each variant with the run's baseline; the site compares any two.</p>"]
    for run in run_ids:
        decision = decide(store, run)
        for variant in data.variants(store, run):
            if variant == decision.baseline:
                continue
            result = compare(store, Side(run, decision.baseline), Side(run, variant))
            body.append(f"<h2>{esc(decision.baseline)} (A) vs {esc(variant)} (B), run {esc(run)}</h2>")
            body.append(table(comparison_frame(result)))
            body += [f"<p>{esc(note)}</p>" for note in result.notes]
            items = data.side_by_side(store, run, decision.baseline, variant)
            changed = items[items.differs]
            body.append(f"<details><summary>{len(changed)} item(s) where A and B differ</summary>"
                        + table(changed[["suite", "split", "item_id", "correct_a", "correct_b", "output_a",
                                         "output_b", "explanation_a", "explanation_b"]]) + "</details>")
    return body


def _overfitting(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    for run in run_ids:
        body.append(f"<h2>Run {esc(run)}</h2>" + table(data.adapters(store, run)))
        frame = data.metric_frame(store, run)
        acc = frame[(frame.metric == "accuracy") & frame.split.isin(["train", "test", "ood"])]
        if not acc.empty:
            body.append(table(acc.pivot_table(index=["suite", "variant"], columns="split", values="value").reset_index()))
        body.append(table(frame[frame.metric.str.startswith(("overfit.", "probe."))][
            ["suite", "variant", "metric", "value", "n", "explanation"]]))
        curves = data.training_curves(store, run)
        for variant, part in curves.groupby("variant"):
            val = part.dropna(subset=["val_loss"])
            body.append(f"<details><summary>Loss per step: {esc(variant)}</summary>"
                        + table(part[["step", "train_loss", "val_loss"]]) + "</details>")
            if not val.empty:
                body.append(f"<p>{esc(variant)}: best validation loss {val.val_loss.min():.3f} at step "
                            f"{int(val.loc[val.val_loss.idxmin(), 'step'])}</p>")
    return body


def _safety(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    for run in run_ids:
        frame = data.metric_frame(store, run)
        rows = frame[(frame.split == "safety") & frame.metric.isin(data.SAFETY_METRICS)]
        body.append(f"<h2>Run {esc(run)}</h2>")
        for suite in sorted(rows.suite.unique()):
            body.append(f"<h3>{esc(suite)}</h3>")
            for metric in data.SAFETY_METRICS:
                part = rows[(rows.suite == suite) & (rows.metric == metric)]
                body.append(interval_svg([(r.variant, r.value, r.ci_low, r.ci_high) for r in part.itertuples()],
                                         metric))
        samples = data.sample_table(store, run)
        wrong = samples[(samples.split == "safety") & (samples.correct == 0)]
        body.append("<details><summary>Safety items handled wrongly, with the outputs</summary>"
                    + table(wrong[["variant", "suite", "item_id", "target_json", "output", "explanation"]]
                            .rename(columns={"target_json": "expected"}))
                    + "</details>")
    return body


def _trends(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    runs = data.run_list(store)
    for run in run_ids:
        experiment = runs[runs.run_id == run].experiment.iloc[0]
        body.append(f"<h2>{esc(experiment)}</h2>")
        for suite in data.suites(store, run):
            frame = data.trends(store, experiment, suite, "test", "accuracy")
            if frame.run_id.nunique() < 2:
                body.append(f"<p>{esc(suite)}: one complete run so far; a trend needs a second one (run the "
                            "experiment again, or <code>tunebench audit run</code> it).</p>")
                continue
            body.append(line_svg(frame, f"{suite}: test accuracy per run"))
            body.append("<details><summary>values</summary>" + table(frame) + "</details>")
    return body


def _audit(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    runs = data.run_list(store)
    for run in run_ids:
        row = runs[runs.run_id == run].iloc[0]
        body.append(f"<h2>Run {esc(run)}</h2><p>experiment {esc(row.experiment)}, status {esc(row.status)}, started "
                    f"{esc(row.started_at)}, finished {esc(row.finished_at)}</p>")
        body.append("<details><summary>Provenance</summary><pre>"
                    + esc(json.dumps(row.provenance_json, indent=2)) + "</pre></details>")
        body.append("<h3>Suite files</h3>" + table(data.suite_hashes(store, run)))
        body.append("<h3>Adapters</h3>" + table(data.adapters(store, run)))
        wall = wall_seconds(row.started_at, row.finished_at)
        body.append(f"<h3>Where the time went{f' (run wall time {wall:.0f} s)' if wall else ''}</h3>"
                    + table(stage_frame(data.stages(store, run), wall)))
    body.append("<h2>Audits</h2>" + table(data.audit_list(store)))
    body.append("<h2>Reviews</h2>" + table(data.review_table(store)))
    return body


def _reviews(store: Store, run_ids: list[str]) -> list[str]:
    return ["<p>Reviews are made on the report site's Review page (<code>tunebench report --store STORE</code>, "
            "then Review): this static export only shows them.</p>",
            "<h2>Scorers against reviewers</h2>", table(data.reviewer_agreement(store)),
            "<h2>Every review</h2>", table(data.review_table(store))]


def _scorers(store: Store, run_ids: list[str]) -> list[str]:
    body = []
    for run in run_ids:
        body.append(f"<h2>Run {esc(run)}: agreement with hand labels</h2>" + table(data.scorer_checks(store, run)))
        body.append(f"<h3>Against the reviewers, on run {esc(run)}'s outputs</h3>"
                    + table(data.reviewer_agreement(store, run)))
    body.append("<h2>Against the reviewers, every run</h2>" + table(data.reviewer_agreement(store)))
    return body


BUILDERS = {"index.html": _overview, "leaderboard.html": _leaderboard, "compare.html": _compare,
            "overfitting.html": _overfitting, "safety.html": _safety, "trends.html": _trends, "audit.html": _audit,
            "reviews.html": _reviews, "scorers.html": _scorers}


def export_html(store_path: str | Path, out_dir: str | Path, run_ids: list[str] | None = None) -> Path:
    """Write the static site into ``out_dir`` (``index.html`` and one file per page); return index.html."""
    store = Store(store_path, create=False)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    runs = store.runs_frame()
    chosen = run_ids if run_ids is not None else [store.latest_run_id(e) for e in runs.experiment.unique()]
    chosen = [r for r in chosen if r is not None]
    for name, title in PAGES:
        body = BUILDERS[name](store, chosen) if chosen else [
            "<p>No complete run in this store yet: run an experiment first (tunebench run EXPERIMENT.yaml).</p>"]
        _page(out, name, title, body, store)
    return out / "index.html"
