"""How a paired comparison reads: one frame for the CLI (``tunebench compare``) and the site.

Columns keep the CLI's words: A is the baseline, B the candidate.
"""

from __future__ import annotations

import pandas as pd

from tunebench.harness.analysis.compare import Comparison
from tunebench.harness.analysis.gate import GateResult
from tunebench.harness.analysis.pairing import BETTER, WORSE

MARKS = {BETTER: "▲ better", WORSE: "▼ worse"}


def _num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def comparison_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per (suite, split, metric): A (baseline), B (candidate), B - A [interval at the verdict's
    level], Holm p within the metric's question, verdict, n, what n can detect; confirmatory rows first."""
    rows = []
    ordered = sorted(comparison.rows, key=lambda r: not r.confirmatory)
    for r in ordered:
        rows.append({"question": "confirmatory" if r.confirmatory else "exploratory", "suite": r.suite,
                     "split": r.split, "metric": r.metric + (" ↑" if r.higher_is_better else " ↓"),
                     "A": _num(r.baseline), "B": _num(r.candidate), "B - A [adjusted CI]": r.interval_text(),
                     "p (Holm)": _num(r.p_holm, 4), "verdict": MARKS.get(r.verdict, r.verdict), "n": r.n,
                     "power / note": r.power_note() or r.note})
    return pd.DataFrame(rows, columns=["question", "suite", "split", "metric", "A", "B", "B - A [adjusted CI]",
                                       "p (Holm)", "verdict", "n", "power / note"])


def print_comparison(console, comparison: Comparison) -> None:
    from rich.table import Table

    frame = comparison_frame(comparison)
    table = Table(title=f"A = {comparison.baseline.label}   B = {comparison.candidate.label}   (paired on shared "
                        f"items; alpha {comparison.alpha}, Holm within each question: one metric on one split across "
                        "the suites; intervals at the level Holm judged each at; ↑ higher is better, ↓ lower)")
    for column in frame.columns:
        table.add_column(column, justify="right" if column in ("A", "B", "p (Holm)", "n") else "left",
                         overflow="fold")  # a narrow terminal wraps names, never cuts them
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    console.print(table)
    counts = comparison.counts()
    console.print("verdicts: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    console.print("confirmatory: test accuracy, the question decisions are made on; exploratory: every other "
                  "metric, adjusted within its own metric only (not across metrics)", highlight=False)
    for note in comparison.notes:
        console.print(f"note: {note}")


def gate_frame(result: GateResult) -> pd.DataFrame:
    rows = [{"status": c.status.upper(), "suite": c.suite, "split": c.split, "metric": c.metric,
             "rule": f"floor {c.floor:g}" if c.rule == "floor" else f"{c.rule} (margin {c.margin:g})",
             "baseline": _num(c.baseline), "candidate": _num(c.candidate),
             "difference [interval]": c.interval_text(3) if c.rule != "floor" else "–",
             "p (Holm)": _num(c.p_holm, 4), "n": c.n, "why": c.reason} for c in result.checks]
    return pd.DataFrame(rows)


STYLES = {"FAIL": "red", "INCONCLUSIVE": "yellow", "WARN": "yellow"}


def print_gate(console, result: GateResult) -> None:
    from rich.table import Table

    frame = gate_frame(result)
    table = Table(title=f"gate: candidate {result.candidate.label} vs baseline {result.baseline.label} "
                        f"(alpha {result.alpha} over {result.families} checks, Holm across suites within each)")
    for column in frame.columns:
        table.add_column(column, overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row), style=STYLES.get(row.status))
    console.print(table)
    for check in result.checks:
        if check.status == "inconclusive":
            console.print(f"INCONCLUSIVE {check.suite} {check.name}: {check.reason}", highlight=False)
    console.print(result.summary(), highlight=False)
