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
    """One row per (suite, split, metric): A (baseline), B (candidate), B - A [95% CI], Holm p, verdict, n,
    what n can detect."""
    rows = []
    for r in comparison.rows:
        diff = "–" if r.diff is None else f"{r.diff:+.3f} [{r.ci_low:+.2f}, {r.ci_high:+.2f}]"
        rows.append({"suite": r.suite, "split": r.split, "metric": r.metric + ("" if r.higher_is_better else " (↓)"),
                     "A": _num(r.baseline), "B": _num(r.candidate), "B - A [95% CI]": diff, "p (Holm)": _num(r.p_holm, 4),
                     "verdict": MARKS.get(r.verdict, r.verdict), "n": r.n, "power / note": r.power_note() or r.note})
    return pd.DataFrame(rows, columns=["suite", "split", "metric", "A", "B", "B - A [95% CI]", "p (Holm)", "verdict",
                                       "n", "power / note"])


def print_comparison(console, comparison: Comparison) -> None:
    from rich.table import Table

    frame = comparison_frame(comparison)
    table = Table(title=f"A = {comparison.baseline.label}   B = {comparison.candidate.label}   "
                        "(paired on shared items; "
                        f"Holm-corrected over {frame['p (Holm)'].ne('–').sum()} tests, alpha {comparison.alpha})")
    for column in frame.columns:
        table.add_column(column, justify="right" if column in ("A", "B", "p (Holm)", "n") else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    console.print(table)
    counts = comparison.counts()
    console.print("verdicts: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    for note in comparison.notes:
        console.print(f"note: {note}")


def gate_frame(result: GateResult) -> pd.DataFrame:
    rows = [{"status": c.status.upper(), "suite": c.suite, "split": c.split, "metric": c.metric,
             "rule": c.rule + (f" ({c.margin:g})" if c.margin else ""), "baseline": _num(c.baseline),
             "candidate": _num(c.candidate),
             "difference [95% CI]": "–" if c.diff is None else f"{c.diff:+.3f} [{c.ci_low:+.2f}, {c.ci_high:+.2f}]",
             "p (Holm)": _num(c.p_holm, 4), "n": c.n, "why": c.reason} for c in result.checks]
    return pd.DataFrame(rows)


def print_gate(console, result: GateResult) -> None:
    from rich.table import Table

    frame = gate_frame(result)
    table = Table(title=f"gate: candidate {result.candidate.label} vs baseline {result.baseline.label} "
                        f"(alpha {result.alpha}, Holm)")
    for column in frame.columns:
        table.add_column(column)
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row), style="red" if row.status == "FAIL" else None)
    console.print(table)
    failed = sum(c.status == "fail" for c in result.checks)
    console.print(f"gate {'PASSED' if result.passed else 'FAILED'}: {failed} of {len(result.checks)} checks failed")
