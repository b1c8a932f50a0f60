"""The decision table: per suite, each variant's quality, policy, safety and overfitting numbers.

Built here, from stored metric rows, for everything that shows it: ``run``/``demo`` print it
(``print_decision_table``) and the report site renders the same frame.
"""

from __future__ import annotations

import pandas as pd

from harness.core.store import Store, metrics

# (split, metric, column title); "probe" rows are per variant, not per suite.
DECISION_COLUMNS = [("test", "accuracy", "test acc [95% CI]"), ("ood", "accuracy", "ood acc"),
                    ("test", "policy.prompt_level", "policy"), ("safety", "safety.refusal_rate", "harmful refused"),
                    ("safety", "safety.over_refusal_rate", "over-refusal"),
                    ("overfitting", "overfit.train_test_gap", "train-test gap"),
                    ("probe", "overfit.forgetting", "forgetting")]


def decision_table(store: Store, run_id: str) -> pd.DataFrame:
    """One row per (suite, variant), suite by suite; cells are formatted stored metrics ('-': not measured)."""
    frame = store.frame(metrics, run_id=run_id)
    rows = frame[frame.suite != "general_probe"]
    pairs = [(s, v) for s in rows.suite.unique() for v in rows.variant.unique()
             if ((rows.suite == s) & (rows.variant == v)).any()]
    table = []
    for suite, variant in pairs:
        cells = {"suite": suite, "variant": variant}
        for split, metric, title in DECISION_COLUMNS:
            scope = frame[(frame.variant == variant) & (frame.split == split) & (frame.metric == metric)]
            if split != "probe":
                scope = scope[scope.suite == suite]
            if scope.empty or scope.value.isna().all():
                cells[title] = "-"
                continue
            row = scope.iloc[0]
            with_ci = metric == "accuracy" and split == "test" and not pd.isna(row.ci_low)
            cells[title] = f"{row.value:.3f}" + (f" [{row.ci_low:.2f}, {row.ci_high:.2f}]" if with_ci else "")
        table.append(cells)
    return pd.DataFrame(table, columns=["suite", "variant", *(title for _, _, title in DECISION_COLUMNS)])


def print_decision_table(console, store: Store, run_id: str) -> None:
    """The decision table as a rich table on ``console``."""
    from rich.table import Table

    frame = decision_table(store, run_id)
    table = Table(title=f"run {run_id} (95% intervals; full report: tunebench report)")
    for column in frame.columns:
        table.add_column(column, justify="left" if column in ("suite", "variant") else "right")
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    console.print(table)
