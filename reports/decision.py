"""The decision table: per suite, each variant's quality, policy, safety and overfitting numbers next
to what it costs, its difference to the baseline, and one verdict line per suite.

Built here from ``tunebench.harness.analysis.decision`` for everything that shows it: ``run``/``demo`` print
it (``print_decision_table``) and the report site renders the same frame.
"""

from __future__ import annotations

import pandas as pd

from tunebench.harness.analysis.decision import Decision, decide
from tunebench.harness.analysis.pairing import BETTER, WORSE
from tunebench.harness.core.metric_table import DECISION_COLUMNS, digits_of, higher_is_better
from tunebench.harness.core.store import Store
from tunebench.reports.variation import sections

# (split or group, metric) -> the quality column's title with its better direction (↑ higher, ↓ lower is
# better), in column order (harness.core.metric_table)
TITLES = {key: f"{column.title} {'↑' if higher_is_better(key[1]) else '↓'}" for key, column in DECISION_COLUMNS.items()}
DIRECTIONS = "↑ = higher is better, ↓ = lower is better"
COST_TITLES = ["train min", "train k-tok", "adapter MB", "prompt tok/req", "s/req", "out tok/s"]
MARK = {BETTER: "▲", WORSE: "▼"}


def _cell(decision: Decision, row, key) -> str:
    metric = row.metrics.get(key)
    if metric is None or metric.value is None:
        return "-"
    text = f"{metric.value:.{digits_of(key[1])}f}"
    if DECISION_COLUMNS[key].interval and metric.ci_low is not None:
        text += f" [{metric.ci_low:.2f}, {metric.ci_high:.2f}]"
    return text


def _fmt(value, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def decision_frame(decision: Decision) -> pd.DataFrame:
    """One row per (suite, variant), suite by suite ('-': not measured or not applicable)."""
    table = []
    for row in decision.rows:
        cells = {"suite": row.suite, "variant": row.variant + (" (baseline)" if row.variant == decision.baseline else "")}
        cells.update({title: _cell(decision, row, key) for key, title in TITLES.items()})
        vs = row.vs_baseline
        cells["vs baseline"] = "-" if vs is None or vs.p_holm is None else \
            f"{MARK.get(vs.verdict, '=')} {vs.diff:+.2f} [{vs.ci_low:+.2f}, {vs.ci_high:+.2f}] p {vs.p_holm:.2g}"
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


def run_line(decision: Decision) -> str:
    """What the run was: experiment, base model, run and date."""
    when = (decision.finished_at or decision.started_at or "")[:16].replace("T", " ")
    own = "".join(f" · {variant} on {option}" for variant, option in decision.options.items()
                  if not decision.seed_of.get(variant) and not decision.curve_of.get(variant))
    return (f"experiment {decision.experiment or '?'} · base model {decision.base_model or '?'}{own} · run "
            f"{decision.run_id} · {when} UTC")


def answer_rows(decision: Decision) -> list[dict[str, str | int]]:
    """Per suite: its test items and its answer (fine-tune, prompt, or not enough evidence)."""
    rows = []
    for suite in dict.fromkeys(r.suite for r in decision.rows):
        found = decision.answers.get(suite)
        rows.append({"suite": suite, "test items": decision.test_items(suite),
                     "answer": found.headline if found else decision.verdicts.get(suite, "no verdict")})
    return rows


def header_lines(decision: Decision) -> list[str]:
    """What the run was and the answer per suite, before any table."""
    return [run_line(decision)] + [f"{r['suite']} ({r['test items']} test items): {r['answer']}"
                                   for r in answer_rows(decision)]


def print_decision_table(console, store: Store, run_id: str) -> None:
    """The answer per suite first, then the decision table (quality, then cost) and each answer's reasons,
    as rich output on ``console``."""
    decision = decide(store, run_id)
    frame = decision_frame(decision)
    first, *answers = header_lines(decision)
    console.print(f"[bold]{first}[/bold]", highlight=False)
    for line in answers:
        console.print(f"  [bold]{line}[/bold]", highlight=False)
    quality = ["suite", "variant", *TITLES.values(), "vs baseline"]
    for title, columns in ((f"quality: 95% intervals; {DIRECTIONS}; vs baseline: test accuracy against "
                            f"{decision.baseline} (▲/▼ significant; interval at the level Holm judged it at)",
                            quality),
                           ("cost: training once; per request on this machine", ["suite", "variant", *COST_TITLES])):
        _print_frame(console, title, frame[columns])
    money = money_frame(decision)
    if not money.empty:
        _print_frame(console, money_title(decision), money)
        console.print(f"assumptions: {assumptions_line(decision)}", highlight=False)
    for title, note, frame in sections(decision):
        _print_frame(console, f"{title}. {note}", frame)
    for suite, verdict in decision.verdicts.items():
        console.print(f"[bold]{suite}[/bold]: {verdict}", highlight=False)
    for line in scorer_warnings(decision):
        console.print(f"⚠ {line}", highlight=False)


def _print_frame(console, title: str, frame: pd.DataFrame) -> None:
    """``frame`` as a rich table: names left-aligned, numbers right; a narrow terminal wraps cells, never cuts them."""
    from rich.table import Table

    table = Table(title=title)
    for column in frame.columns:
        table.add_column(column, justify="left" if column in ("suite", "variant") else "right", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    console.print(table)


def money_title(decision: Decision) -> str:
    return (f"money ({decision.prices.currency}): one-off (training, labelling), per 1,000 requests and per month; "
            "break-even: requests after which an adapter has paid back its one-off cost against the most "
            "accurate prompt variant of its suite")


def assumptions_line(decision: Decision) -> str:
    """Every price the money table rests on, as the experiment's costs block gives it, then each option's own."""
    line = ", ".join(f"{k} {v}" for k, v in decision.prices.model_dump().items() if v is not None)
    for variant, own in decision.option_prices.items():
        if not decision.seed_of.get(variant) and not decision.curve_of.get(variant):
            line += f"; {variant}: " + ", ".join(f"{k} {v}" for k, v in own.model_dump(exclude_none=True).items())
    return line


def money_frame(decision: Decision) -> pd.DataFrame:
    """One row per (suite, variant) when the experiment has a ``costs:`` block (else empty): money and
    the measured latency it rests on."""
    if not decision.money:
        return pd.DataFrame()
    rows = []
    for row in decision.rows:
        money = decision.money.get((row.suite, row.variant))
        if money is None:
            continue
        even = ("-" if row.kind != "adapter" else
                f"{money.break_even_requests:,.0f} vs {money.against}" if money.break_even_requests is not None
                else f"never vs {money.against}" if money.against else "-")
        rows.append({"suite": row.suite, "variant": row.variant, "one-off": _fmt(money.one_off, 2),
                     "per 1,000 requests": _fmt(money.per_1000, 4), "per month": _fmt(money.per_month, 2),
                     "break-even requests": even, "p50 s/req": _fmt(row.cost.latency_p50, 3),
                     "p95 s/req": _fmt(row.cost.latency_p95, 3)})
    return pd.DataFrame(rows)


def decision_markdown(store: Store, run_id: str) -> str:
    """The answers, the decision table and the reasons as Markdown (audit bundles, CI job pages)."""
    decision = decide(store, run_id)
    frame = decision_frame(decision)
    first, *answers = header_lines(decision)
    lines = [f"# Decision, run {run_id}", "", first, "", "## Answers", ""] + [f"- **{a}**" for a in answers]
    lines += ["", f"Baseline: {decision.baseline}. {DIRECTIONS}. ▲/▼: test accuracy significantly above/below the "
              "baseline (paired, Holm across suites).", "", "| " + " | ".join(frame.columns) + " |",
              "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in frame.itertuples(index=False)]
    lines += ["", "## Why", ""] + [f"- **{suite}**: {text}" for suite, text in decision.verdicts.items()]
    lines += ["", *[f"⚠ {line}" for line in scorer_warnings(decision)]]
    return "\n".join(lines) + "\n"


def scorer_lines(decision: Decision) -> list[str]:
    """One line per scorer whose agreement on real outputs may be below the trust threshold (its lower
    95% bound is), naming the columns it makes: said once per page, not on every cell."""
    from tunebench.harness.core.metric_table import scorer_of
    from tunebench.harness.core.metrics import TRUSTED

    lines = []
    for name, row in decision.flagged_scorers().items():
        columns = [TITLES[key] for key in DECISION_COLUMNS
                   if any(scorer_of(key[1], task) == name for task in decision.task_types.values())]
        hard = decision.scorers.get(f"{name}:hard")
        lines.append(f"{name} scorer: agrees with hand labels on {row.value:.0%} [{row.ci_low:.0%}, {row.ci_high:.0%}] "
                     f"of outputs sampled from real runs (n={row.n}; the lower bound is below {TRUSTED:.0%})"
                     + (f", {hard.value:.0%} on hard cases" if hard and hard.value is not None else "")
                     + (f": read {', '.join(columns)} with that in mind" if columns else ""))
    return lines


def scorer_warnings(decision: Decision) -> list[str]:
    """The guard's warnings about adapters that were not applied, then one line per untrusted scorer."""
    return decision.warnings + [f"{line}; see `tunebench scorers`" for line in scorer_lines(decision)]
