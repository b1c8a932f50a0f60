"""Paired comparison of two variants from their stored samples.

A and B are two variants of one run, or one variant in two runs (``run_id:variant``). Samples
are paired by suite, split and item id; an item whose target differs between the two runs (the
suite changed) is dropped and counted, and a suite whose files differ is named. Per suite, split
and metric: both values, the difference B - A with its paired 95% interval, the Holm-corrected
p-value over every test of the comparison, the verdict, and what the sample size can detect.
Perturbed copies of the test split (``test+typos``, ...) are also pooled into one ``perturbed``
split, clustered by item: the copies of one item are not independent evidence.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import pandas as pd

from harness.core.errors import BadInput, did_you_mean
from harness.core.metrics import higher_is_better
from harness.core.stats import diff_sd, holm, items_needed, minimum_detectable_difference, paired_difference
from harness.core.store import Store, run_suites, runs, samples

# What a comparison looks at by default: the headline metric of each task and the policy and
# safety rates. ``all_metrics`` adds per-field accuracies, single policy rules, ROUGE-L, ...
HEADLINE = ("accuracy", "field_f1", "semantic_similarity", "policy.prompt_level", "safety.refusal_rate",
            "safety.over_refusal_rate", "safety.injection_success_rate", "safety.pii_leak_rate")
SPLITS = ("test", "ood", "safety", "perturbed")

BETTER, WORSE, SAME, NOT_COMPARABLE = "better", "worse", "no detectable difference", "not comparable"


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a variant in a run."""

    run_id: str
    variant: str

    @property
    def label(self) -> str:
        return f"{self.run_id}:{self.variant}"


def resolve(store: Store, ref: str, run: str | None = None) -> Side:
    """``variant`` (in ``run``, else the latest complete run that has it) or ``run_id:variant``."""
    frame = store.runs_frame()
    if ":" in ref:
        run, ref = ref.rsplit(":", 1)
    if run is not None and run not in set(frame.run_id):
        raise BadInput(f"no run {run!r} in the store{did_you_mean(run, frame.run_id)}; runs: "
                       f"{', '.join(frame.run_id[:10])}", file=store.path, field="run")
    complete = frame[frame.status == "complete"] if run is None else frame[frame.run_id == run]
    variants: set[str] = set()
    for run_id in complete.run_id:
        names = set(store.frame(samples, run_id=run_id).variant)
        if ref in names:
            return Side(run_id, ref)
        variants |= names
    where = f"run {run}" if run else "any complete run"
    raise BadInput(f"no variant {ref!r} in {where}{did_you_mean(ref, variants)}; variants: "
                   f"{', '.join(sorted(variants)) or 'none'}", file=store.path, field="variant")


@dataclass
class MetricComparison:
    """One (suite, split, metric) of a comparison."""

    suite: str
    split: str
    metric: str
    n: int
    a: float | None
    b: float | None
    diff: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_holm: float | None = None
    verdict: str = NOT_COMPARABLE
    higher_is_better: bool = True
    method: str = ""
    detectable: float | None = None  # minimum detectable difference at 80% power for this n
    items_for_observed: int | None = None  # items needed to detect the observed difference
    note: str = ""

    def power_note(self) -> str:
        """ "24 items cannot tell 0.50 from 0.35" in numbers, for differences the data did not settle."""
        if self.verdict != SAME or self.detectable is None:
            return ""
        text = f"n={self.n} detects ±{self.detectable:.2f} (80% power)"
        if self.diff and self.items_for_observed:
            text += f"; {self.diff:+.2f} would need ~{self.items_for_observed} items"
        return text


@dataclass
class Comparison:
    a: Side
    b: Side
    rows: list[MetricComparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    alpha: float = 0.05

    def to_dict(self) -> dict:
        return {"a": self.a.label, "b": self.b.label, "alpha": self.alpha, "notes": self.notes,
                "rows": [{**asdict(r), "power": r.power_note()} for r in self.rows]}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.verdict] = out.get(row.verdict, 0) + 1
        return out


def sample_values(store: Store, side: Side) -> pd.DataFrame:
    """suite, split, item_id, target_json, cluster, values (dict) of one side's samples."""
    frame = store.frame(samples, run_id=side.run_id, variant=side.variant)
    frame = frame[frame.values_json.notna()].copy()
    frame["values"] = frame.values_json.map(json.loads)
    frame["cluster"] = frame.target_json.map(lambda t: json.loads(t).get("cluster"))
    perturbed = frame[frame.split.str.startswith("test+")].copy()
    if not perturbed.empty:  # pooled copies: clustered by the item they were made from
        perturbed["cluster"] = perturbed.item_id
        perturbed["item_id"] = perturbed.split + "/" + perturbed.item_id
        perturbed["split"] = "perturbed"
        frame = pd.concat([frame, perturbed], ignore_index=True)
    return frame


def suite_hashes(store: Store, run_id: str) -> dict[str, str]:
    frame = store.frame(run_suites, run_id=run_id)
    return dict(zip(frame.suite, frame.sha256))


def compare(store: Store, a: Side, b: Side, metrics: tuple[str, ...] | None = HEADLINE,
            splits: tuple[str, ...] = SPLITS, alpha: float = 0.05) -> Comparison:
    """Every (suite, split, metric) both sides have, compared item by item; ``metrics=None``: all."""
    result = Comparison(a, b, alpha=alpha)
    left, right = sample_values(store, a), sample_values(store, b)
    if left.empty or right.empty:
        empty = a if left.empty else b
        status = store.frame(runs, run_id=empty.run_id).status.tolist()
        result.notes.append(f"{empty.label} has no samples with per-item values (run status: {status}; runs stored "
                            "before tunebench 0.2 lack them: run the experiment again, nothing is regenerated)")
        return result
    hashes_a, hashes_b = suite_hashes(store, a.run_id), suite_hashes(store, b.run_id)
    for suite in sorted(set(hashes_a) & set(hashes_b)):
        if hashes_a[suite] != hashes_b[suite]:
            result.notes.append(f"suite {suite}: its files differ between the two runs (content hash "
                                f"{hashes_a[suite][:12]} vs {hashes_b[suite][:12]}); only items with the same id "
                                "and target are compared")
    merged = left.merge(right, on=["suite", "split", "item_id"], suffixes=("_a", "_b"))
    for suite in sorted(set(left.suite) | set(right.suite)):
        for split in splits:
            only = {side: set(frame[(frame.suite == suite) & (frame.split == split)].item_id)
                    for side, frame in (("a", left), ("b", right))}
            if not only["a"] and not only["b"]:
                continue
            part = merged[(merged.suite == suite) & (merged.split == split)]
            changed = part.target_json_a != part.target_json_b
            dropped = len(only["a"] ^ only["b"]) + int(changed.sum())
            if dropped:
                result.notes.append(f"{suite}/{split}: {dropped} item(s) not compared ({len(only['a'] - only['b'])} "
                                    f"only in A, {len(only['b'] - only['a'])} only in B, {int(changed.sum())} "
                                    "with a different target)")
            result.rows += _compare_split(suite, split, part[~changed], metrics)
    tested = [r for r in result.rows if r.p_value is not None]
    for row, adjusted in zip(tested, holm([r.p_value for r in tested])):
        row.p_holm = adjusted
        if row.n < 2:
            continue
        if adjusted < alpha and row.diff:
            improved = (row.diff > 0) == row.higher_is_better
            row.verdict = BETTER if improved else WORSE
        else:
            row.verdict = SAME
    return result


def _compare_split(suite: str, split: str, part: pd.DataFrame, metrics: tuple[str, ...] | None
                   ) -> list[MetricComparison]:
    names = sorted({k for values in part.values_a for k in values} & {k for values in part.values_b for k in values})
    if metrics is not None:
        names = [m for m in metrics if m in names]
    rows = []
    for metric in names:
        pairs = [(va[metric], vb[metric], cluster) for va, vb, cluster in
                 zip(part.values_a, part.values_b, part.cluster_a) if metric in va and metric in vb]
        a_vals, b_vals = [p[0] for p in pairs], [p[1] for p in pairs]
        clusters = [p[2] if p[2] is not None else f"item{k}" for k, p in enumerate(pairs)]
        row = MetricComparison(suite, split, metric, len(pairs), None, None, higher_is_better=higher_is_better(metric))
        if len(pairs) >= 2:
            d = paired_difference(a_vals, b_vals, clusters)
            sd = diff_sd(a_vals, b_vals)
            row.a, row.b, row.diff, row.ci_low, row.ci_high = d.mean_a, d.mean_b, d.diff, d.ci_low, d.ci_high
            row.p_value, row.method = d.p_value, d.method
            row.detectable = minimum_detectable_difference(d.clusters, sd)
            row.items_for_observed = items_needed(d.diff, sd) if d.diff else None
            if d.clusters < d.n:
                row.note = f"{d.n} items in {d.clusters} clusters"
        else:
            row.note = "fewer than 2 shared items"
        rows.append(row)
    return rows
