"""Seeds and learning curves as tables, for the CLI, the report site and the static export.

``seed_frame``: per suite, the answer asked of every seed of the chosen adapter; ``curve_frame``: per
suite and curve, test accuracy against training items next to the best prompt's. Both empty when the
experiment trained no seeds or curves (``seeds:`` and ``learning_curve:`` on an adapter variant).
"""

from __future__ import annotations

import pandas as pd

from tunebench.harness.analysis.decision import Decision


def _interval(row) -> str:
    if row is None or row.value is None:
        return "-"
    return f"{row.value:.3f}" + (f" [{row.ci_low:.2f}, {row.ci_high:.2f}]" if row.ci_low is not None else "")


def seed_frame(decision: Decision) -> pd.DataFrame:
    """One row per (suite, seed): its test accuracy and its difference to the best prompt, Holm across suites."""
    rows = []
    for suite, check in ((s, a.seeds) for s, a in decision.answers.items() if a.seeds is not None):
        for variant, result in check.results.items():
            rows.append({"suite": suite, "seed variant": variant, "against": check.prompted,
                         "test accuracy": f"{result.candidate:.3f}" if result.candidate is not None else "-",
                         "difference": result.interval_text(),
                         "p (Holm)": f"{result.p_holm:.3g}" if result.p_holm is not None else "-",
                         "verdict": result.verdict,
                         "stable": "yes" if check.stable else f"no ({check.holding} of {check.seeds})"})
    return pd.DataFrame(rows)


def curve_frame(decision: Decision) -> pd.DataFrame:
    """One row per (suite, curve point), smallest training set first; the curve's reading on its last row."""
    rows = []
    for curve in decision.curves:
        for i, point in enumerate(curve.points):
            vs = point.vs_prompt
            rows.append({"suite": curve.suite, "adapter": point.variant,
                         "training items": point.train_items if point.train_items is not None else "-",
                         "test accuracy [95% CI]": _interval(point.accuracy),
                         "best prompt": f"{curve.prompted} {_interval(curve.prompt_accuracy)}",
                         "vs prompt": "-" if vs is None or vs.p_holm is None else
                         f"{vs.interval_text()} p {vs.p_holm:.2g} ({vs.verdict})",
                         "reading": curve.text() if i == len(curve.points) - 1 else ""})
    return pd.DataFrame(rows)


SEEDS = ("Seeds: the answer asked of every seed of the chosen adapter",
         "Each seed paired with the best prompt on the same items (Holm across suites). Stable: every seed gives "
         "the same verdict (the same significant direction, or none significant).")
CURVE = ("How much data is enough: test accuracy against training items",
         "Adapters trained on nested subsets of the training items (the largest is the adapter itself), 95% "
         "intervals, each paired with the best prompt variant.")


def sections(decision: Decision) -> list[tuple[str, str, pd.DataFrame]]:
    """(title, explanation, table) of the seeds and of the learning curves, the ones the run has: what
    the CLI, the report page and the static export show."""
    found = [(*SEEDS, seed_frame(decision)), (*CURVE, curve_frame(decision))]
    return [(title, note, frame) for title, note, frame in found if not frame.empty]


def curve_points(decision: Decision) -> pd.DataFrame:
    """The curves as numbers, for a plot: suite, adapter, training items, accuracy and its interval, and the
    best prompt's accuracy."""
    return pd.DataFrame([{"suite": c.suite, "curve": c.variant, "training items": p.train_items,
                          "accuracy": p.accuracy.value, "ci_low": p.accuracy.ci_low, "ci_high": p.accuracy.ci_high,
                          "prompt": c.prompted,
                          "prompt accuracy": c.prompt_accuracy.value if c.prompt_accuracy else None}
                         for c in decision.curves for p in c.points])
