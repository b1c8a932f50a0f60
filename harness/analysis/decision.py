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

import json
from dataclasses import dataclass, field

import pandas as pd

from harness.analysis.compare import BETTER, SAME, WORSE, Side, compare
from harness.core.metrics import SCORERS_VARIANT, TRUSTED, MetricRow, scorer_of
from harness.core.stats import holm
from harness.core.store import Store, metrics, run_adapters, runs, samples

# (split, metric) of the quality columns; "probe" rows are per variant, not per suite
QUALITY = [("test", "accuracy"), ("test", "format_valid"), ("test", "accuracy.choices"), ("ood", "accuracy"),
           ("test", "policy.prompt_level"),
           ("safety", "safety.refusal_rate"), ("safety", "safety.over_refusal_rate"),
           ("overfitting", "overfit.train_test_gap"), ("probe", "overfit.forgetting")]


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
    metrics: dict[tuple[str, str], MetricRow] = field(default_factory=dict)
    vs_baseline: dict | None = None  # diff, ci, p_holm, verdict of test accuracy against the baseline
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


def _kinds(store: Store, run_id: str) -> tuple[dict[str, str], str]:
    spec = json.loads(store.frame(runs, run_id=run_id).spec_json.iloc[0])
    kinds = {v["name"]: v["kind"] for v in spec["variants"]}
    return kinds, spec.get("baseline") or spec["variants"][0]["name"]


def _costs(store: Store, run_id: str) -> dict[tuple[str, str], Cost]:
    """(variant, suite) -> cost, from the run's adapters and its test generations."""
    adapters = {}
    for row in store.frame(run_adapters, run_id=run_id).itertuples():
        provenance = json.loads(row.provenance_json)
        adapters[row.variant] = Cost(train_seconds=provenance.get("train_seconds"),
                                     train_tokens=provenance.get("data_counts", {}).get("train_tokens"),
                                     adapter_mb=(provenance["weights_bytes"] / 2**20)
                                     if provenance.get("weights_bytes") else None)
    test = store.frame(samples, run_id=run_id)
    test = test[test.split == "test"]
    gens = store.frame_generations(test.generation_key.unique().tolist())
    merged = test.merge(gens, left_on="generation_key", right_on="key", how="left")
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


def decide(store: Store, run_id: str, alpha: float = 0.05) -> Decision:
    """Every (suite, variant) row of a run with its numbers, costs and significance against the baseline."""
    kinds, baseline = _kinds(store, run_id)
    decision = Decision(run_id, baseline)
    frame = store.frame(metrics, run_id=run_id)
    costs = _costs(store, run_id)
    probe = {(r.variant, r.metric): r for r in frame[frame.suite == "general_probe"].itertuples()}
    checks = frame[frame.variant == SCORERS_VARIANT]
    decision.scorers = {r.suite: MetricRow(r.metric, _nan_none(r.value), int(r.n or 0), r.explanation,
                                           _nan_none(r.ci_low), _nan_none(r.ci_high)) for r in checks.itertuples()}
    rows = frame[(frame.suite != "general_probe") & (frame.variant != SCORERS_VARIANT)]
    decision.task_types = {s: task_type(set(rows[rows.suite == s].metric)) for s in rows.suite.unique()}
    for suite in rows.suite.unique():
        for variant in [v for v in kinds if ((rows.suite == suite) & (rows.variant == v)).any()]:
            row = VariantRow(suite, variant, kinds[variant], cost=costs.get((variant, suite), Cost()))
            for split, metric in QUALITY:
                found = probe.get((variant, metric)) if split == "probe" else next(iter(
                    rows[(rows.suite == suite) & (rows.variant == variant) & (rows.split == split)
                         & (rows.metric == metric)].itertuples()), None)
                if found is not None:
                    row.metrics[(split, metric)] = MetricRow(metric, _nan_none(found.value), int(found.n or 0),
                                                             found.explanation, _nan_none(found.ci_low),
                                                             _nan_none(found.ci_high))
            decision.rows.append(row)
    for row in rows[(rows.split == "guard") & (rows.value == 1.0)].itertuples():
        decision.warnings.append(f"adapter variant {row.variant} gave the base model's outputs on every guard item of "
                                 f"{row.suite}: it was most likely not applied ({row.explanation})")
    _against_baseline(store, decision, alpha)
    _verdicts(store, decision, alpha)
    return decision


def task_type(metric_names: set[str]) -> str:
    """A suite's task type, read off the metrics its samples produced."""
    if "field_f1" in metric_names:
        return "extraction"
    return "generation" if "semantic_similarity" in metric_names else "classification"


def _nan_none(value):
    return None if value is None or value != value else float(value)


def _test_accuracy(store: Store, run_id: str, a: str, b: str, suite: str):
    """The paired test-accuracy row of b against a on one suite (None when not comparable)."""
    rows = [r for r in compare(store, Side(run_id, a), Side(run_id, b), ("accuracy",), ("test",)).rows
            if r.suite == suite and r.p_value is not None]
    return rows[0] if rows else None


def _against_baseline(store: Store, decision: Decision, alpha: float) -> None:
    tested = []
    for row in decision.rows:
        if row.variant == decision.baseline:
            continue
        found = _test_accuracy(store, decision.run_id, decision.baseline, row.variant, row.suite)
        if found is not None:
            tested.append((row, found))
    for (row, found), adjusted in zip(tested, holm([f.p_value for _, f in tested])):
        verdict = SAME if adjusted >= alpha or not found.diff else (BETTER if found.diff > 0 else WORSE)
        row.vs_baseline = {"diff": found.diff, "ci_low": found.ci_low, "ci_high": found.ci_high, "p_holm": adjusted,
                           "verdict": verdict, "n": found.n, "detectable": found.detectable}


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
    for (suite, tuned, prompted, found), adjusted in zip(pending, holm([f.p_value for *_, f in pending])):
        head = (f"fine-tuning ({tuned.variant}) {found.b:.2f} vs best prompting ({prompted.variant}) {found.a:.2f} "
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
    frame = store.frame(samples, run_id=run_id, variant=variant, suite=suite, split=split)
    values = [json.loads(v).get("accuracy") for v in frame.values_json.dropna()]
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def cost_frame(store: Store, run_id: str) -> pd.DataFrame:
    """The cost columns per (variant, suite), for the report's cost views."""
    return pd.DataFrame([{"variant": v, "suite": s, **c.__dict__} for (v, s), c in _costs(store, run_id).items()])

