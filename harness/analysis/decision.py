"""The numbers behind the decision table: quality next to cost, per suite and variant, and a verdict.

Quality, policy, safety and overfitting come from stored metric rows (each an aggregate of stored
samples); the difference to the baseline is a paired test on the test split's items, Holm-corrected
over every variant and suite of the run. Cost comes from the store too: training time and tokens
and adapter size from the provenance each run records for its adapters, prompt tokens per request
(few-shot examples and policy text are paid on every call), latency and output tokens per second
from the cached generations of the run's test items. Each suite gets one verdict: the best
fine-tuned variant against the best prompted one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tunebench.harness.analysis.compare import Side, compare
from tunebench.harness.analysis.pairing import PairedResult, settle
from tunebench.harness.core.metric_table import DECISION_COLUMNS
from tunebench.harness.core.metrics import TRUSTED, MetricRow, scorer_of
from tunebench.harness.core.store import StoredMetric, Store

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


@dataclass
class VariantRow:
    suite: str
    variant: str
    kind: str  # prompt | adapter
    metrics: dict[tuple[str, str], MetricRow] = field(default_factory=dict)  # keyed as DECISION_COLUMNS
    vs_baseline: PairedResult | None = None  # test accuracy against the baseline, Holm over the run
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

    def untrusted(self, suite: str, metric: str) -> MetricRow | None:
        """The agreement row of the scorer behind ``metric`` when it is below TRUSTED, else None."""
        scorer = scorer_of(metric, self.task_types.get(suite))
        row = self.scorers.get(scorer) if scorer else None
        return row if row is not None and row.value is not None and row.value < TRUSTED else None


def _costs(store: Store, run_id: str) -> dict[tuple[str, str], Cost]:
    """(variant, suite) -> cost, from the run's adapters and its test generations."""
    adapters = {}
    for record in store.run_adapters(run_id):
        provenance = record.provenance
        adapters[record.variant] = Cost(train_seconds=provenance.get("train_seconds"),
                                        train_tokens=provenance.get("data_counts", {}).get("train_tokens"),
                                        adapter_mb=(provenance["weights_bytes"] / 2**20)
                                        if provenance.get("weights_bytes") else None)
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
    decision = Decision(run_id, record.baseline or "")
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
    _against_baseline(store, decision, alpha)
    _verdicts(store, decision, alpha)
    return decision


def _test_accuracy(store: Store, run_id: str, baseline: str, candidate: str, suite: str) -> PairedResult | None:
    """The paired test-accuracy result of the candidate against the baseline on one suite (None when not
    comparable)."""
    rows = [r for r in compare(store, Side(run_id, baseline), Side(run_id, candidate), ("accuracy",), ("test",)).rows
            if r.suite == suite and r.p_value is not None]
    return rows[0] if rows else None


def _against_baseline(store: Store, decision: Decision, alpha: float) -> None:
    """Each variant's test accuracy against the baseline, Holm-corrected over every variant and suite."""
    for row in decision.rows:
        if row.variant != decision.baseline:
            row.vs_baseline = _test_accuracy(store, decision.run_id, decision.baseline, row.variant, row.suite)
    settle([row.vs_baseline for row in decision.rows if row.vs_baseline is not None], alpha)


def _best(rows: list[VariantRow], kind: str) -> VariantRow | None:
    scored = [r for r in rows if r.kind == kind and ("test", "accuracy") in r.metrics
              and r.metrics[("test", "accuracy")].value is not None]
    return max(scored, key=lambda r: r.metrics[("test", "accuracy")].value, default=None)


def _verdicts(store: Store, decision: Decision, alpha: float) -> None:
    """Per suite: the best adapter against the best prompt variant, Holm-corrected over suites."""
    pending = []
    for suite in dict.fromkeys(r.suite for r in decision.rows):
        rows = [r for r in decision.rows if r.suite == suite]
        tuned, prompted = _best(rows, "adapter"), _best(rows, "prompt")
        if tuned is None or prompted is None:
            decision.verdicts[suite] = "no verdict: the run needs a prompt and an adapter variant with test accuracy"
            continue
        found = _test_accuracy(store, decision.run_id, prompted.variant, tuned.variant, suite)
        if found is None:
            decision.verdicts[suite] = "no verdict: too few shared test items"
            continue
        pending.append((suite, tuned, prompted, found))
    settle([found for *_, found in pending], alpha)
    for suite, tuned, prompted, found in pending:
        adjusted = found.p_holm
        head = (f"fine-tuning ({tuned.variant}) {found.candidate:.2f} vs best prompting ({prompted.variant}) "
                f"{found.baseline:.2f} "
                f"test accuracy: {found.diff:+.2f} [{found.ci_low:+.2f}, {found.ci_high:+.2f}], p = {adjusted:.3g} "
                f"(Holm, {found.n} items)")
        if adjusted < alpha and found.diff:
            winner = "fine-tuning" if found.diff > 0 else "prompting"
            text = f"{winner} is better. {head}"
        else:
            text = (f"no detectable difference. {head}; {found.n} items detect ±{found.detectable:.2f}"
                    + (f", the observed {found.diff:+.2f} needs ~{found.items_for_observed} items"
                       if found.items_for_observed and found.diff else ""))
        cost_a, cost_t = prompted.cost, tuned.cost
        extras = []
        if cost_t.train_seconds is not None:
            extras.append(f"training {cost_t.train_seconds / 60:.1f} min once")
        if cost_a.prompt_tokens is not None and cost_t.prompt_tokens is not None:
            saved = cost_a.prompt_tokens - cost_t.prompt_tokens
            extras.append(f"{abs(saved):.0f} {'fewer' if saved >= 0 else 'more'} prompt tokens per request")
        decision.verdicts[suite] = text + (f". Cost of fine-tuning: {', '.join(extras)}." if extras else ".")


def traced_accuracy(store: Store, run_id: str, variant: str, suite: str, split: str = "test") -> float | None:
    """Test accuracy recomputed from the stored samples alone (what the decision table's number must equal)."""
    values = [s.values["accuracy"] for s in store.samples(run_id, variant=variant, suite=suite, split=split)
              if not s.perturbation and "accuracy" in s.values]
    return sum(values) / len(values) if values else None


def cost_frame(store: Store, run_id: str) -> pd.DataFrame:
    """The cost columns per (variant, suite), for the report's cost views."""
    return pd.DataFrame([{"variant": v, "suite": s, **c.__dict__} for (v, s), c in _costs(store, run_id).items()])

