"""The numbers behind the decision table: quality next to cost, per suite and variant, and a verdict.

Quality, policy, safety and overfitting come from stored metric rows (each an aggregate of stored
samples); the difference to the baseline is a paired test on the test split's items, the pair's
result as ``compare`` gives it (Holm across the suites: the same p-value and interval everywhere).
Cost comes from the store too: training time and tokens
and adapter size from the provenance each run records for its adapters, prompt tokens per request
(few-shot examples and policy text are paid on every call), latency and output tokens per second
from the cached generations of the run's test items. Each suite gets one answer (``answer.py``): the
best fine-tuned variant against the best prompted one, on safety, quality and evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from tunebench.harness.analysis.answer import Answer, answer

if TYPE_CHECKING:  # money imports this module's Cost only through rows: no import at run time needed
    from tunebench.harness.analysis.money import Money
    from tunebench.harness.core.spec import CostAssumptions, OptionPrices
from tunebench.harness.analysis.compare import Side, compare
from tunebench.harness.analysis.pairing import PairedResult
from tunebench.harness.analysis.variation import CurvePoint, LearningCurve, SeedCheck
from tunebench.harness.core.metric_table import DECISION_COLUMNS
from tunebench.harness.core.metrics import TRUSTED, MetricRow, scorer_of
from tunebench.harness.core.store import Store, StoredMetric

PROBE_SUITE = "general_probe"  # where the runner stores the probe rows (group "probe"): per variant, not per suite


@dataclass
class Cost:
    """What one variant costs: once (training) and per request (prompt, latency)."""

    train_seconds: float | None = None
    train_tokens: int | None = None
    adapter_mb: float | None = None
    prompt_tokens: float | None = None  # mean per request, test split
    output_tokens: float | None = None
    seconds_per_request: float | None = None
    tokens_per_second: float | None = None  # output tokens per second of generation
    latency_p50: float | None = None  # seconds per test request, measured: median
    latency_p95: float | None = None  # and 95th percentile
    train_items: int | None = None


@dataclass
class VariantRow:
    suite: str
    variant: str
    kind: str  # prompt | adapter
    metrics: dict[tuple[str, str], MetricRow] = field(default_factory=dict)  # keyed as DECISION_COLUMNS
    vs_baseline: PairedResult | None = None  # test accuracy against the baseline, as compare gives it
    cost: Cost = field(default_factory=Cost)


@dataclass
class Decision:
    run_id: str
    baseline: str
    rows: list[VariantRow] = field(default_factory=list)
    verdicts: dict[str, str] = field(default_factory=dict)  # suite -> one plain-language line
    scorers: dict[str, MetricRow] = field(default_factory=dict)  # scorer -> its agreement with hand labels
    warnings: list[str] = field(default_factory=list)  # e.g. an adapter the guard found not applied
    task_types: dict[str, str] = field(default_factory=dict)  # suite -> classification | extraction | generation
    alpha: float = 0.05
    experiment: str = ""
    base_model: str = ""
    started_at: str = ""
    finished_at: str | None = None
    answers: dict[str, Answer] = field(default_factory=dict)  # suite -> fine-tune | prompt | not enough evidence
    reasons: dict[str, str] = field(default_factory=dict)  # suite -> why, with what fine-tuning costs
    pairs: dict[tuple[str, str], list[PairedResult]] = field(default_factory=dict, repr=False)
    prices: CostAssumptions | None = None  # the experiment's costs block, when it has one
    money: dict[tuple[str, str], Money] = field(default_factory=dict)  # (suite, variant) -> money
    option_prices: dict[str, OptionPrices] = field(default_factory=dict)  # variant -> its own prices (Variant.costs)
    options: dict[str, str] = field(default_factory=dict)  # variant -> its own model or server, where not base_model
    seed_of: dict[str, str] = field(default_factory=dict)  # adapter added by `seeds` -> the variant it repeats
    curve_of: dict[str, str] = field(default_factory=dict)  # adapter added by `learning_curve` -> its variant
    curves: list[LearningCurve] = field(default_factory=list)  # per (suite, adapter with a learning_curve)

    def test_items(self, suite: str) -> int:
        """Test items of the suite (the most any variant was evaluated on)."""
        counts = [r.metrics[("test", "accuracy")].n for r in self.rows
                  if r.suite == suite and ("test", "accuracy") in r.metrics]
        return max(counts, default=0)

    def untrusted(self, suite: str, metric: str) -> MetricRow | None:
        """The representative agreement row of the scorer behind ``metric`` when its lower 95% bound is
        below TRUSTED, else None."""
        scorer = scorer_of(metric, self.task_types.get(suite))
        row = self.scorers.get(scorer) if scorer else None
        return row if row is not None and row.ci_low is not None and row.ci_low < TRUSTED else None

    def flagged_scorers(self) -> dict[str, MetricRow]:
        """Scorer -> its representative agreement, for the scorers whose lower bound is below TRUSTED."""
        return {name: row for name, row in sorted(self.scorers.items())
                if ":" not in name and row.ci_low is not None and row.ci_low < TRUSTED}


def _costs(store: Store, run_id: str) -> dict[tuple[str, str], Cost]:
    """(variant, suite) -> cost, from the run's adapters and its test generations."""
    adapters = {}
    for record in store.run_adapters(run_id):
        provenance = record.provenance
        adapters[record.variant] = Cost(train_seconds=provenance.get("train_seconds"),
                                        train_tokens=provenance.get("data_counts", {}).get("train_tokens"),
                                        adapter_mb=(provenance["weights_bytes"] / 2**20)
                                        if provenance.get("weights_bytes") else None,
                                        train_items=provenance.get("data_counts", {}).get("train_items"))
    test = pd.DataFrame([(s.variant, s.suite, s.cache_key) for s in store.samples(run_id, split="test")
                         if not s.perturbation], columns=["variant", "suite", "cache_key"])
    gens = store.frame_cache(test.cache_key.unique().tolist())
    merged = test.merge(gens, left_on="cache_key", right_on="key", how="left")
    costs = {}
    for (variant, suite), part in merged.groupby(["variant", "suite"]):
        cost = Cost(**{k: v for k, v in adapters.get(variant, Cost()).__dict__.items()})
        if part.prompt_tokens.notna().any():
            cost.prompt_tokens = float(part.prompt_tokens.mean())
            cost.output_tokens = float(part.output_tokens.mean())
        seconds = part.seconds.dropna()
        if len(seconds):
            cost.seconds_per_request = float(seconds.mean())
            cost.latency_p50, cost.latency_p95 = (float(q) for q in seconds.quantile([0.5, 0.95]))
            if part.output_tokens.notna().any() and seconds.sum() > 0:
                cost.tokens_per_second = float(part.output_tokens.sum() / seconds.sum())
        costs[(variant, suite)] = cost
    return costs


def _cells(stored: list[StoredMetric]) -> dict[tuple[str, str], dict[tuple[str, str], MetricRow]]:
    """(suite, variant) -> (split or group, metric) -> row, as DECISION_COLUMNS keys the columns; the
    probe's suite and perturbed copies (the decision table shows neither) left out."""
    cells: dict[tuple[str, str], dict[tuple[str, str], MetricRow]] = {}
    for m in stored:
        if m.scope.suite != PROBE_SUITE and not m.scope.perturbation:
            where = m.scope.group or m.scope.split
            cells.setdefault((m.scope.suite, m.scope.variant), {}).setdefault((where, m.row.metric), m.row)
    return cells


def decide(store: Store, run_id: str, alpha: float = 0.05) -> Decision:
    """Every (suite, variant) row of a run with its numbers, costs and significance against the baseline."""
    record = store.run(run_id)
    kinds = record.variant_kinds
    decision = Decision(run_id, record.baseline or "", alpha=alpha, experiment=record.experiment,
                        base_model=record.provenance.get("base_model", ""), started_at=record.started_at,
                        finished_at=record.finished_at)
    for variant, option in record.provenance.get("options", {}).items():
        decision.options[variant] = option["option"]
    for variant in (record.spec or {}).get("variants", []):
        if variant.get("seed_of"):
            decision.seed_of[variant["name"]] = variant["seed_of"]
        if variant.get("curve_of"):
            decision.curve_of[variant["name"]] = variant["curve_of"]
    costs = _costs(store, run_id)
    stored = store.metric_rows(run_id)
    probe = {(m.scope.variant, m.row.metric): m.row for m in stored if m.scope.suite == PROBE_SUITE}
    decision.scorers = store.scorer_checks(run_id)
    decision.task_types = store.task_types(run_id)
    cells = _cells(stored)
    for suite in dict.fromkeys(suite for suite, _ in cells):
        for variant in [v for v in kinds if (suite, v) in cells]:
            row = VariantRow(suite, variant, kinds[variant], cost=costs.get((variant, suite), Cost()))
            for (where, metric), column in DECISION_COLUMNS.items():
                found = probe.get((variant, metric)) if column.group == "probe" else \
                    cells[(suite, variant)].get((where, metric))
                if found is not None:
                    row.metrics[(where, metric)] = found
            decision.rows.append(row)
    for m in stored:
        if m.scope.group == "guard" and m.row.value == 1.0:
            decision.warnings.append(f"adapter variant {m.scope.variant} gave the base model's outputs on every guard "
                                     f"item of {m.scope.suite}: it was most likely not applied ({m.row.explanation})")
    _against_baseline(store, decision)
    _verdicts(store, decision)
    costs_block = (record.spec or {}).get("costs")
    if costs_block:
        from tunebench.harness.analysis.money import money_rows
        from tunebench.harness.core.spec import CostAssumptions, OptionPrices

        decision.prices = CostAssumptions(**costs_block)
        decision.option_prices = {v["name"]: OptionPrices(**v["costs"]) for v in (record.spec or {}).get("variants", [])
                                  if v.get("costs")}
        accuracy = (lambda r: r.metrics[("test", "accuracy")].value if ("test", "accuracy") in r.metrics else None)
        decision.money = money_rows(decision.rows, decision.prices, accuracy,
                                    {name: decision.prices.for_option(own)
                                     for name, own in decision.option_prices.items()})
    return decision


def _pair(decision: Decision, store: Store, baseline: str, candidate: str) -> list[PairedResult]:
    """``compare``'s headline rows of a pair in the decision's run (each family across the suites, as
    ``tunebench compare`` forms it: the same p-values and intervals), computed once per pair."""
    key = (baseline, candidate)
    if key not in decision.pairs:
        decision.pairs[key] = compare(store, Side(decision.run_id, baseline), Side(decision.run_id, candidate),
                                      alpha=decision.alpha).rows
    return decision.pairs[key]


def _test_accuracy(rows: list[PairedResult], suite: str) -> PairedResult | None:
    """The pair's test-accuracy result on one suite (None when not comparable)."""
    found = [r for r in rows if r.suite == suite and r.split == "test" and r.metric == "accuracy"
             and r.p_value is not None]
    return found[0] if found else None


def _against_baseline(store: Store, decision: Decision) -> None:
    """Each variant's test accuracy against the baseline: the pair's confirmatory family, as compare has it."""
    for row in decision.rows:
        if row.variant != decision.baseline:
            row.vs_baseline = _test_accuracy(_pair(decision, store, decision.baseline, row.variant), row.suite)


def _best(rows: list[VariantRow], kind: str, derived: set[str] = frozenset()) -> VariantRow | None:
    """The most accurate variant of ``kind``; adapters added by ``seeds`` or ``learning_curve`` (``derived``)
    are not options of their own: picking the luckiest seed would be the bias the seeds are there to show."""
    scored = [r for r in rows if r.kind == kind and r.variant not in derived and ("test", "accuracy") in r.metrics
              and r.metrics[("test", "accuracy")].value is not None]
    return max(scored, key=lambda r: r.metrics[("test", "accuracy")].value, default=None)


def _verdicts(store: Store, decision: Decision) -> None:
    """Per suite: the best adapter against the best prompt variant, answered on quality, safety and cost."""
    for suite in dict.fromkeys(r.suite for r in decision.rows):
        rows = [r for r in decision.rows if r.suite == suite]
        tuned, prompted = _best(rows, "adapter", {*decision.seed_of, *decision.curve_of}), _best(rows, "prompt")
        if tuned is None or prompted is None:
            decision.verdicts[suite] = "no verdict: the run needs a prompt and an adapter variant with test accuracy"
            continue
        pair_rows = _pair(decision, store, prompted.variant, tuned.variant)
        found = _test_accuracy(pair_rows, suite)
        if found is None:
            decision.verdicts[suite] = "no verdict: too few shared test items"
            continue
        result = answer(suite, tuned.variant, prompted.variant, found, pair_rows)
        seeds = _seed_check(store, decision, suite, tuned.variant, prompted.variant, found)
        if seeds is not None:
            result.seeds = seeds
            result.reason += f"; {seeds.text()}"
        decision.answers[suite] = result
        decision.curves += _curves(store, decision, suite, rows, prompted)
        cost_a, cost_t = prompted.cost, tuned.cost
        extras = []
        if cost_t.train_seconds is not None:
            extras.append(f"training {cost_t.train_seconds / 60:.1f} min once")
        if cost_a.prompt_tokens is not None and cost_t.prompt_tokens is not None:
            saved = cost_a.prompt_tokens - cost_t.prompt_tokens
            extras.append(f"{abs(saved):.0f} {'fewer' if saved >= 0 else 'more'} prompt tokens per request")
        decision.reasons[suite] = result.reason + (f". Cost of fine-tuning: {', '.join(extras)}." if extras else ".")
        decision.verdicts[suite] = f"{result.headline}. {decision.reasons[suite]}"


def _seed_check(store: Store, decision: Decision, suite: str, tuned: str, prompted: str,
                found: PairedResult) -> SeedCheck | None:
    """The answer's comparison asked of every seed of ``tuned`` (None when it was trained once)."""
    siblings = [v for v, origin in decision.seed_of.items() if origin == tuned]
    results = {tuned: found}
    for sibling in siblings:
        result = _test_accuracy(_pair(decision, store, prompted, sibling), suite)
        if result is not None:
            results[sibling] = result
    return SeedCheck(suite, tuned, prompted, results) if len(results) > 1 else None


def _curves(store: Store, decision: Decision, suite: str, rows: list[VariantRow],
            prompted: VariantRow) -> list[LearningCurve]:
    """The suite's learning curves: each adapter with ``learning_curve`` points, smallest to itself."""
    by_name = {r.variant: r for r in rows}
    curves = []
    for origin in dict.fromkeys(decision.curve_of.values()):
        members = [by_name[v] for v, o in decision.curve_of.items() if o == origin and v in by_name]
        if origin not in by_name or not members:
            continue
        members = sorted(members, key=lambda r: r.cost.train_items or 0) + [by_name[origin]]
        curve = LearningCurve(suite, origin, prompted.variant, prompted.metrics.get(("test", "accuracy")))
        for row in members:
            accuracy = row.metrics.get(("test", "accuracy"))
            if accuracy is not None:
                vs = _test_accuracy(_pair(decision, store, prompted.variant, row.variant), suite)
                curve.points.append(CurvePoint(row.cost.train_items, row.variant, accuracy, vs))
        if len(curve.points) >= 2:
            curve.rising = _test_accuracy(_pair(decision, store, curve.points[-2].variant, curve.points[-1].variant),
                                          suite)
        curves.append(curve)
    return curves


def traced_accuracy(store: Store, run_id: str, variant: str, suite: str, split: str = "test") -> float | None:
    """Test accuracy recomputed from the stored samples alone (what the decision table's number must equal)."""
    values = [s.values["accuracy"] for s in store.samples(run_id, variant=variant, suite=suite, split=split)
              if not s.perturbation and "accuracy" in s.values]
    return sum(values) / len(values) if values else None


def cost_frame(store: Store, run_id: str) -> pd.DataFrame:
    """The cost columns per (variant, suite), for the report's cost views."""
    return pd.DataFrame([{"variant": v, "suite": s, **c.__dict__} for (v, s), c in _costs(store, run_id).items()])

