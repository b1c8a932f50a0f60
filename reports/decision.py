"""The decision table: per suite, each variant's quality, policy, safety and overfitting numbers next
to what it costs, its difference to the baseline, and one verdict line per suite.

Built here from ``tunebench.harness.analysis.decision`` for everything that shows it: ``run``/``demo`` print
it (``print_decision_table``) and the report site renders the same frame.
"""

from __future__ import annotations

import pandas as pd

from tunebench.harness.analysis.decision import Decision, decide
from tunebench.harness.analysis.pairing import BETTER, WORSE
from tunebench.harness.core.metric_table import DECISION_COLUMNS, digits_of
from tunebench.harness.core.store import Store

# (split or group, metric) -> the quality column's title, in column order (harness.core.metric_table)
TITLES = {key: column.title for key, column in DECISION_COLUMNS.items()}
COST_TITLES = ["train min", "train k-tok", "adapter MB", "prompt tok/req", "s/req", "out tok/s"]
MARK = {BETTER: "▲", WORSE: "▼"}


def _cell(decision: Decision, row, key) -> str:
    metric = row.metrics.get(key)
    if metric is None or metric.value is None:
        return "-"
    text = f"{metric.value:.{digits_of(key[1])}f}"
    if DECISION_COLUMNS[key].interval and metric.ci_low is not None:
        text += f" [{metric.ci_low:.2f}, {metric.ci_high:.2f}]"
    return text + (" ⚠" if decision.untrusted(row.suite, key[1]) else "")


def _fmt(value, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def decision_frame(decision: Decision) -> pd.DataFrame:
    """One row per (suite, variant), suite by suite ('-': not measured or not applicable)."""
    table = []
    for row in decision.rows:
        cells = {"suite": row.suite, "variant": row.variant + (" (baseline)" if row.variant == decision.baseline else "")}
        cells.update({title: _cell(decision, row, key) for key, title in TITLES.items()})
        vs = row.vs_baseline
        cells["vs baseline"] = "-" if vs is None else f"{MARK.get(vs.verdict, '=')} {vs.diff:+.2f} (p {vs.p_holm:.2g})"
        c = row.cost
        cells.update(dict(zip(COST_TITLES, [_fmt(c.train_seconds / 60 if c.train_seconds else None, 1),
                                            _fmt(c.train_tokens / 1000 if c.train_tokens else None, 1),
                                            _fmt(c.adapter_mb, 1), _fmt(c.prompt_tokens, 0),
                                            _fmt(c.seconds_per_request, 2), _fmt(c.tokens_per_second, 1)])))
        table.append(cells)
    columns = ["suite", "variant", *TITLES.values(), "vs baseline", *COST_TITLES]
    return pd.DataFrame(table, columns=columns)


def decision_table(store: Store, run_id: str) -> pd.DataFrame:
    return decision_frame(decide(store, run_id))


def print_decision_table(console, store: Store, run_id: str) -> None:
    """The decision table (quality, then cost) and the verdict per suite, as rich output on ``console``."""
    from rich.table import Table

    decision = decide(store, run_id)
    frame = decision_frame(decision)
    quality = ["suite", "variant", *TITLES.values(), "vs baseline"]
    for title, columns in ((f"run {run_id}: quality, 95% intervals; ▲/▼ = test accuracy significantly above/below "
                            f"the baseline {decision.baseline} (paired, Holm); ⚠ = scorer below 90% agreement",
                            quality),
                           ("cost: training once; per request on this machine", ["suite", "variant", *COST_TITLES])):
        table = Table(title=title)
        for column in columns:
            table.add_column(column, justify="left" if column in ("suite", "variant") else "right")
        for row in frame[columns].itertuples(index=False):
            table.add_row(*map(str, row))
        console.print(table)
    for suite, verdict in decision.verdicts.items():
        console.print(f"[bold]{suite}[/bold]: {verdict}", highlight=False)
    for line in scorer_warnings(decision):
        console.print(f"⚠ {line}", highlight=False)


def decision_markdown(store: Store, run_id: str) -> str:
    """The decision table and verdicts as Markdown (audit bundles, CI job pages)."""
    decision = decide(store, run_id)
    frame = decision_frame(decision)
    lines = [f"# Decision table, run {run_id}", "", f"Baseline: {decision.baseline}. ▲/▼: test accuracy significantly "
             "above/below the baseline (paired, Holm).", "", "| " + " | ".join(frame.columns) + " |",
             "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in frame.itertuples(index=False)]
    lines += ["", "## Verdicts", ""] + [f"- **{suite}**: {text}" for suite, text in decision.verdicts.items()]
    lines += ["", *[f"⚠ {line}" for line in scorer_warnings(decision)]]
    return "\n".join(lines) + "\n"


def scorer_warnings(decision: Decision) -> list[str]:
    """One line per scorer below the trust threshold (what its ⚠ next to a number means), and the
    guard's warnings about adapters that were not applied."""
    from tunebench.harness.core.metrics import TRUSTED

    return decision.warnings + [f"{name}: agrees with hand labels on {row.value:.0%} [{row.ci_low:.0%}, {row.ci_high:.0%}] of its check "
            f"set (n={row.n}, below {TRUSTED:.0%}): numbers it produces are marked ⚠; see `tunebench scorers`"
            for name, row in sorted(decision.scorers.items()) if row.value is not None and row.value < TRUSTED]
