"""Paired evidence: two variants' samples on the same items, and the one shape of a paired result.

Compare, gate, the decision table and the audit all ask the same question of the store: on the
items both a baseline and a candidate were evaluated on, how does the candidate's metric differ?
``pair`` matches the two sides' samples item by item (``Sample.pair_key``: suite, split,
perturbation, item id) and ``Pairing.values`` lines up one metric's per-item values with the
cluster of each item; ``paired_result`` turns those into a ``PairedResult`` (both means, the
difference with its interval, the p-value, what the sample size can detect) and ``settle``
gives a family of results their Holm-adjusted p-values, the intervals at the levels Holm judges
them at, and verdicts.

One family per question: a metric on a split, across the suites, for one pair of variants
(``settle_by_question``). Compare, the gate, the decision table, the report and the audit all
form it the same way, so one comparison shows one p-value wherever it is read. The headline
question (test accuracy) is confirmatory; the other metrics are exploratory, each adjusted
within its own family only.

Items of one cluster (``Sample.cluster``, e.g. turns of one conversation) are not independent
evidence; an item without a cluster is its own, named by its item id. Perturbed copies of the
test split are read as one pooled ``perturbed`` split (``on_split``), clustered by the item they
were made from.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from tunebench.harness.core.metric_table import higher_is_better
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.stats import PairedTest, holm, holm_levels, paired_difference

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
        diff: candidate - baseline, with its interval ``ci_low``..``ci_high`` at ``confidence``: 95% until
            ``settle`` sets the level its family judges it at (then the interval matches the verdict).
        p_value: the test's two-sided p-value (one test gives the p-value and every interval:
            ``stats.PairedTest``); p_holm: adjusted over its family (``settle``).
        family: the question the adjustment ran over ("test accuracy across 5 suites").
        confirmatory: whether the family is the question a decision is made on (the headline
            metric), or exploratory (every other metric: adjusted within its own metric only).
        method: the test and interval used.
        detectable: the smallest difference the test detects with 80% power at its level;
            items_for_observed: the items needed to detect the observed difference (only when more
            than ``n``).
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
    confidence: float = 0.95
    family: str = ""
    confirmatory: bool = False
    test: PairedTest | None = field(default=None, repr=False, compare=False)

    @property
    def higher_is_better(self) -> bool:
        return higher_is_better(self.metric)

    @property
    def reach(self) -> float:
        """The largest difference this metric can show from the baseline's value (a rate of 0.5 can move
        by 0.5 at most); 1 where the baseline is not a [0, 1] value."""
        if self.baseline is None or not 0 <= self.baseline <= 1:
            return 1.0
        return max(self.baseline, 1 - self.baseline)

    def power_note(self) -> str:
        """What the sample size can and cannot tell, for a difference the data did not settle: the
        detectable difference of the same test at the same level as the verdict, bounded by what the
        metric can move, and the items the observed difference needs when they are more than ``n``."""
        if self.verdict != SAME or self.detectable is None:
            return ""
        if self.detectable >= self.reach:
            text = f"{self.n} items are too few to detect any change this metric can make (80% power)"
        else:
            text = f"{self.n} items detect ±{self.detectable:.2f} (80% power)"
        if self.diff and self.items_for_observed:
            text += f"; {self.diff:+.2f} would need ~{self.items_for_observed} items"
        return text

    def items_to_detect(self, delta: float) -> int:
        """Items (at this result's items per cluster) its test needs to detect a true ``delta`` with 80% power
        at the level it was judged at: the "would need ~N items" of the answers, the gate and compare."""
        per_unit = self.n / max(self.test.units, 1)
        return math.ceil(self.test.units_needed(delta, 1 - self.confidence) * per_unit)

    def interval_text(self, digits: int = 2) -> str:
        """"+0.42 [+0.07, +0.68]" with the interval's confidence when it is not 95%."""
        if self.diff is None:
            return "–"
        level = "" if abs(self.confidence - 0.95) < 1e-9 else f" ({self.confidence:.1%})"
        return f"{self.diff:+.{digits}f} [{self.ci_low:+.{digits}f}, {self.ci_high:+.{digits}f}]{level}"


def paired_result(suite: str, split: str, values: PairedValues) -> PairedResult:
    """The paired test of ``values``: estimate, 95% interval, p-value and power; not tested below 2 items."""
    result = PairedResult(suite, split, values.metric, values.n)
    if values.n < 2:
        result.note = "fewer than 2 shared items"
        return result
    d = paired_difference(list(values.baseline), list(values.candidate), list(values.clusters))
    result.test = d.test
    result.baseline, result.candidate, result.diff = d.mean_a, d.mean_b, d.diff
    result.ci_low, result.ci_high, result.p_value, result.method = d.ci_low, d.ci_high, d.p_value, d.method
    result.clusters = d.clusters
    _power(result)
    if d.clusters < d.n:
        result.note = f"{d.n} items in {d.clusters} clusters"
    return result


def _power(result: PairedResult) -> None:
    """The detectable difference at the result's level and the items the observed difference needs (if more
    than n)."""
    result.detectable = result.test.detectable(1 - result.confidence)
    needed = result.items_to_detect(result.diff) if result.diff else None
    result.items_for_observed = needed if needed and needed > result.n else None


def settle(results: list[PairedResult], alpha: float, family: str = "", confirmatory: bool = False) -> None:
    """Settle one family of results (one question: a metric on a split across suites): Holm-adjust
    their p-values together, give each the interval of its test at the level Holm judges it at (so
    an interval excludes 0 exactly when its verdict is better or worse), the power at that level,
    and its verdict (better or worse in the metric's direction when adjusted p < ``alpha``, else no
    detectable difference). Results of fewer than 2 items stay not comparable."""
    tested = [r for r in results if r.p_value is not None and r.test is not None]
    p_values = [r.p_value for r in tested]
    for result, adjusted, level in zip(tested, holm(p_values), holm_levels(p_values, alpha)):
        result.p_holm, result.family, result.confirmatory = adjusted, family, confirmatory
        result.confidence = 1 - level
        result.ci_low, result.ci_high = result.test.interval(result.confidence)
        _power(result)
        if adjusted < alpha and result.diff:
            result.verdict = BETTER if (result.diff > 0) == result.higher_is_better else WORSE
        else:
            result.verdict = SAME


def settle_by_question(results: list[PairedResult], alpha: float,
                       confirmatory: tuple[str, str] = ("test", "accuracy")) -> None:
    """Settle ``results`` one family per question (split, metric), across the suites: the family of the
    ``confirmatory`` question is what decisions read; every other family is exploratory (adjusted
    within its own metric, not across metrics)."""
    families: dict[tuple[str, str], list[PairedResult]] = {}
    for r in results:
        families.setdefault((r.split, r.metric), []).append(r)
    for (split, metric), members in families.items():
        tested = sum(r.p_value is not None for r in members)
        settle(members, alpha, f"{split} {metric} across {tested} suite{'s' * (tested != 1)}",
               (split, metric) == confirmatory)
