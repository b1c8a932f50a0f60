"""Paired evidence: two variants' samples on the same items, and the one shape of a paired result.

Compare, gate, the decision table and the audit all ask the same question of the store: on the
items both a baseline and a candidate were evaluated on, how does the candidate's metric differ?
``pair`` matches the two sides' samples item by item (``Sample.pair_key``: suite, split,
perturbation, item id) and ``Pairing.values`` lines up one metric's per-item values with the
cluster of each item; ``paired_result`` turns those into a ``PairedResult`` (both means, the
difference with its 95% interval, the p-value, what the sample size can detect) and ``settle``
gives a family of results their Holm-adjusted p-values and verdicts.

Items of one cluster (``Sample.cluster``, e.g. turns of one conversation) are not independent
evidence; an item without a cluster is its own, named by its item id. Perturbed copies of the
test split are read as one pooled ``perturbed`` split (``on_split``), clustered by the item they
were made from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from tunebench.harness.core.metric_table import higher_is_better
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.stats import diff_sd, holm, items_needed, minimum_detectable_difference, paired_difference

BETTER, WORSE, SAME, NOT_COMPARABLE = "better", "worse", "no detectable difference", "not comparable"
PERTURBED = "perturbed"  # the pooled split of every perturbed copy of the test items

PairKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class PairedValues:
    """One metric's values on the items both sides have, aligned: ``baseline[i]`` and ``candidate[i]``
    are item ``item_ids[i]``'s, ``clusters[i]`` its cluster (its item id when it has none)."""

    metric: str
    baseline: tuple[float, ...]
    candidate: tuple[float, ...]
    clusters: tuple[str, ...]
    item_ids: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.baseline)


@dataclass(frozen=True)
class Pairing:
    """Two sides' samples matched item by item, in pair-key order.

    Attributes:
        pairs: (baseline sample, candidate sample) of each item both sides have.
        only_baseline: keys of the items only the baseline has.
        only_candidate: keys of the items only the candidate has.
        changed: keys of the items both have with different targets (the suite changed between two
            runs); left out of ``pairs`` when ``pair`` was asked to drop them.
    """

    pairs: tuple[tuple[Sample, Sample], ...]
    only_baseline: frozenset[PairKey] = frozenset()
    only_candidate: frozenset[PairKey] = frozenset()
    changed: frozenset[PairKey] = frozenset()

    def values(self, metric: str) -> PairedValues:
        """``metric``'s values on the paired items that have it on both sides, with their clusters (the
        baseline sample's cluster, else the item id)."""
        both = [(b, c) for b, c in self.pairs if metric in b.values and metric in c.values]
        return PairedValues(metric, tuple(float(b.values[metric]) for b, _ in both),
                            tuple(float(c.values[metric]) for _, c in both),
                            tuple(b.cluster if b.cluster is not None else b.item_id for b, _ in both),
                            tuple(b.item_id for b, _ in both))

    def metrics(self) -> set[str]:
        """The metrics each side has on some paired item (a metric the two sides have on different
        items only is there, with no paired value: "fewer than 2 shared items")."""
        return ({m for b, _ in self.pairs for m in b.values} & {m for _, c in self.pairs for m in c.values})


def pair(baseline: Iterable[Sample], candidate: Iterable[Sample], drop_changed: bool = True) -> Pairing:
    """Match the baseline's and the candidate's samples on the same items (suite, split, perturbation,
    item id); ``drop_changed``: leave out items whose target differs between the two sides."""
    left = {s.pair_key: s for s in baseline}
    right = {s.pair_key: s for s in candidate}
    shared = sorted(left.keys() & right.keys())
    changed = frozenset(k for k in shared if left[k].target != right[k].target)
    kept = [k for k in shared if not (drop_changed and k in changed)]
    return Pairing(tuple((left[k], right[k]) for k in kept), frozenset(left.keys() - right.keys()),
                   frozenset(right.keys() - left.keys()), changed)


def on_split(samples: Iterable[Sample], split: str) -> list[Sample]:
    """The samples read on ``split``: the items as written, or for ``perturbed`` every perturbed copy of
    a test item, relabelled split ``perturbed`` and clustered by the item it was made from."""
    if split == PERTURBED:
        return [replace(s, split=PERTURBED, cluster=s.item_id) for s in samples if s.perturbation]
    return [s for s in samples if s.split == split and not s.perturbation]


@dataclass
class PairedResult:
    """One metric of a candidate against a baseline on the items both were evaluated on.

    Attributes:
        suite, split, metric: what was compared (split ``perturbed``: every perturbed copy pooled).
        n: paired items; clusters: the independent units among them.
        baseline, candidate: the two sides' means on the paired items.
        diff: candidate - baseline, with its 95% interval ``ci_low``..``ci_high``.
        p_value: the test's p-value (two-sided; the gate's checks hold their one-sided one);
            p_holm: adjusted over the family of tests it was reported with (``settle``).
        method: the test and interval used.
        detectable: the smallest difference ``n`` items detect with 80% power; items_for_observed:
            the items needed to detect the observed difference.
        verdict: better, worse, no detectable difference, or not comparable (fewer than 2 items).
        note: what else the reader needs (clusters, too few items).
    """

    suite: str
    split: str
    metric: str
    n: int = 0
    baseline: float | None = None
    candidate: float | None = None
    diff: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_holm: float | None = None
    clusters: int = 0
    method: str = ""
    detectable: float | None = None
    items_for_observed: int | None = None
    verdict: str = NOT_COMPARABLE
    note: str = ""

    @property
    def higher_is_better(self) -> bool:
        return higher_is_better(self.metric)

    def power_note(self) -> str:
        """ "24 items cannot tell 0.50 from 0.35" in numbers, for differences the data did not settle."""
        if self.verdict != SAME or self.detectable is None:
            return ""
        text = f"n={self.n} detects ±{self.detectable:.2f} (80% power)"
        if self.diff and self.items_for_observed:
            text += f"; {self.diff:+.2f} would need ~{self.items_for_observed} items"
        return text


def paired_result(suite: str, split: str, values: PairedValues) -> PairedResult:
    """The paired test of ``values``: estimate, interval, p-value and power; not tested below 2 items."""
    result = PairedResult(suite, split, values.metric, values.n)
    if values.n < 2:
        result.note = "fewer than 2 shared items"
        return result
    d = paired_difference(list(values.baseline), list(values.candidate), list(values.clusters))
    sd = diff_sd(list(values.baseline), list(values.candidate))
    result.baseline, result.candidate, result.diff = d.mean_a, d.mean_b, d.diff
    result.ci_low, result.ci_high, result.p_value, result.method = d.ci_low, d.ci_high, d.p_value, d.method
    result.clusters = d.clusters
    result.detectable = minimum_detectable_difference(d.clusters, sd)
    result.items_for_observed = items_needed(d.diff, sd) if d.diff else None
    if d.clusters < d.n:
        result.note = f"{d.n} items in {d.clusters} clusters"
    return result


def settle(results: list[PairedResult], alpha: float) -> None:
    """Holm-adjust the p-values of the tested results together and set each one's verdict: better or
    worse (in the metric's direction) when the adjusted p is below ``alpha`` and the difference is not
    0, else no detectable difference; results of fewer than 2 items stay not comparable."""
    tested = [r for r in results if r.p_value is not None]
    for result, adjusted in zip(tested, holm([r.p_value for r in tested])):
        result.p_holm = adjusted
        if result.n < 2:
            continue
        if adjusted < alpha and result.diff:
            result.verdict = BETTER if (result.diff > 0) == result.higher_is_better else WORSE
        else:
            result.verdict = SAME
