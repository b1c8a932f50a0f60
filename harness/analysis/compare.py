"""Paired comparison of two variants from their stored samples.

The baseline and the candidate (``compare A B``: A is the baseline) are two variants of one run,
or one variant in two runs (``run_id:variant``). Samples are paired by suite, split, perturbation
and item id (``tunebench.harness.analysis.pairing``); an item whose target differs between the two runs (the
suite changed) is dropped and counted, and a suite whose files differ is named. Per suite, split
and metric: both values, the difference candidate - baseline with its paired interval, the
p-value Holm-adjusted within its question (the metric on the split, across the suites: test
accuracy is the confirmatory question, every other metric exploratory), the interval at the level
Holm judged it at (it excludes 0 exactly when the verdict is better or worse), the verdict, and
what the sample size can detect at that level. Perturbed copies of the test split (typos, casing,
...) are also pooled into one
``perturbed`` split, clustered by item: the copies of one item are not independent evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tunebench.harness.analysis.pairing import (  # noqa: F401 - the verdict words, read from here by the report
    BETTER,
    NOT_COMPARABLE,
    PERTURBED,
    SAME,
    WORSE,
    PairedResult,
    Pairing,
    on_split,
    pair,
    paired_result,
    settle_by_question,
)
from tunebench.harness.core.errors import BadInput, did_you_mean
from tunebench.harness.core.metric_table import HEADLINE
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store import Store

# What a comparison looks at by default: the headline metrics (harness.core.metric_table) on these
# splits. ``all_metrics`` adds per-field accuracies, single policy rules, ROUGE-L, ...
SPLITS = ("test", "ood", "safety", PERTURBED)


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
    records = store.runs()
    if ":" in ref:
        run, ref = ref.rsplit(":", 1)
    if run is not None and run not in {r.run_id for r in records}:
        names = [r.run_id for r in records]
        raise BadInput(f"no run {run!r} in the store{did_you_mean(run, names)}; runs: "
                       f"{', '.join(names[:10])}", file=store.path, field="run")
    chosen = [r for r in records if (r.status == "complete" if run is None else r.run_id == run)]
    variants: set[str] = set()
    for record in chosen:
        names = {s.variant for s in store.samples(record.run_id)}
        if ref in names:
            return Side(record.run_id, ref)
        variants |= names
    where = f"run {run}" if run else "any complete run"
    raise BadInput(f"no variant {ref!r} in {where}{did_you_mean(ref, variants)}; variants: "
                   f"{', '.join(sorted(variants)) or 'none'}", file=store.path, field="variant")


@dataclass
class Comparison:
    """Every paired result of a candidate against a baseline, with what the reader must know (notes)."""

    baseline: Side
    candidate: Side
    rows: list[PairedResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    alpha: float = 0.05

    def to_dict(self) -> dict[str, Any]:
        """The comparison as stored and printed (``--json``): a = the baseline, b = the candidate."""
        return {"a": self.baseline.label, "b": self.candidate.label, "alpha": self.alpha, "notes": self.notes,
                "rows": [row_dict(r) for r in self.rows]}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row.verdict] = out.get(row.verdict, 0) + 1
        return out


def row_dict(r: PairedResult) -> dict[str, Any]:
    """One row of a comparison's JSON (a: the baseline's value, b: the candidate's)."""
    return {"suite": r.suite, "split": r.split, "metric": r.metric, "n": r.n, "a": r.baseline, "b": r.candidate,
            "diff": r.diff, "ci_low": r.ci_low, "ci_high": r.ci_high, "p_value": r.p_value, "p_holm": r.p_holm,
            "verdict": r.verdict, "higher_is_better": r.higher_is_better, "method": r.method,
            "detectable": r.detectable, "items_for_observed": r.items_for_observed, "note": r.note,
            "power": r.power_note(), "confidence": r.confidence, "family": r.family,
            "confirmatory": r.confirmatory}


def side_samples(store: Store, side: Side) -> list[Sample]:
    """One side's samples that carry per-item values (what paired tests use)."""
    return [s for s in store.samples(side.run_id, variant=side.variant) if s.values]


def suite_hashes(store: Store, run_id: str) -> dict[str, str]:
    """Suite -> the content hash of its files, as the run evaluated them."""
    return {s.suite: s.sha256 for s in store.run_suites(run_id)}


def by_suite(samples: list[Sample]) -> dict[str, list[Sample]]:
    """Samples grouped by suite."""
    out: dict[str, list[Sample]] = {}
    for s in samples:
        out.setdefault(s.suite, []).append(s)
    return out


def compare(store: Store, baseline: Side, candidate: Side, metrics: tuple[str, ...] | None = HEADLINE,
            splits: tuple[str, ...] = SPLITS, alpha: float = 0.05) -> Comparison:
    """Every (suite, split, metric) both sides have, compared item by item; ``metrics=None``: all."""
    result = Comparison(baseline, candidate, alpha=alpha)
    left, right = side_samples(store, baseline), side_samples(store, candidate)
    if not left or not right:
        empty = baseline if not left else candidate
        status = [r.status for r in store.runs() if r.run_id == empty.run_id]
        result.notes.append(f"{empty.label} has no samples with per-item values (run status: {status}; runs stored "
                            "before tunebench 0.2 lack them: run the experiment again, nothing is regenerated)")
        return result
    hashes_b, hashes_c = suite_hashes(store, baseline.run_id), suite_hashes(store, candidate.run_id)
    for suite in sorted(set(hashes_b) & set(hashes_c)):
        if hashes_b[suite] != hashes_c[suite]:
            result.notes.append(f"suite {suite}: its files differ between the two runs (content hash "
                                f"{hashes_b[suite][:12]} vs {hashes_c[suite][:12]}); only items with the same id "
                                "and target are compared")
    left_suites, right_suites = by_suite(left), by_suite(right)
    for side, own, other in ((baseline, left_suites, right_suites), (candidate, right_suites, left_suites)):
        missing = sorted(set(other) - set(own))
        if missing:  # one note, not one per split and suite: e.g. a variant limited to some suites
            result.notes.append(f"{side.label} has no samples on {', '.join(missing)} (not evaluated there: a "
                                "variant's `suites`, or another experiment's suites); compared on the suites both have")
    for suite in sorted(set(left_suites) & set(right_suites)):
        for split in splits:
            base = on_split(left_suites.get(suite, []), split)
            cand = on_split(right_suites.get(suite, []), split)
            if not base and not cand:
                continue
            pairing = pair(base, cand)
            only_b, only_c, changed = len(pairing.only_baseline), len(pairing.only_candidate), len(pairing.changed)
            if only_b + only_c + changed:
                result.notes.append(f"{suite}/{split}: {only_b + only_c + changed} item(s) not compared ({only_b} "
                                    f"only in A, {only_c} only in B, {changed} with a different target)")
            result.rows += _compare_split(suite, split, pairing, metrics)
    settle_by_question(result.rows, alpha)
    return result


def _compare_split(suite: str, split: str, pairing: Pairing, metrics: tuple[str, ...] | None
                   ) -> list[PairedResult]:
    names = sorted(pairing.metrics())
    if metrics is not None:
        names = [m for m in metrics if m in names]
    return [paired_result(suite, split, pairing.values(metric)) for metric in names]
