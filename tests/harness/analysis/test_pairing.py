"""Pairing two variants' samples by item, and the paired result, on hand-built samples."""

from dataclasses import replace

import pytest

from tunebench.harness.analysis.pairing import (
    BETTER,
    NOT_COMPARABLE,
    PERTURBED,
    SAME,
    WORSE,
    PairedResult,
    on_split,
    pair,
    paired_result,
    settle,
)
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.stats import paired_difference


def sample(variant, item, value, split="test", perturbation="", cluster=None, target=None, metric="accuracy"):
    return Sample(variant, "s", split, str(item), f"{variant}-{item}-{perturbation}", target=target or {"label": "x"},
                  values={metric: float(value)} if value is not None else {}, cluster=cluster,
                  perturbation=perturbation)


def test_pairs_the_same_items_in_key_order_and_counts_the_rest():
    base = [sample("a", i, i % 2) for i in (3, 1, 2, 0)]
    cand = [sample("b", i, 1) for i in (0, 1, 2, 4)]
    pairing = pair(base, cand)
    values = pairing.values("accuracy")
    assert values.item_ids == ("0", "1", "2") and values.baseline == (0.0, 1.0, 0.0) and values.candidate == (1.0,) * 3
    assert values.clusters == ("0", "1", "2")  # no cluster: the item is its own, named by its id
    assert pairing.only_baseline == {("s", "test", "", "3")} and pairing.only_candidate == {("s", "test", "", "4")}
    assert values.n == 3 and pairing.metrics() == {"accuracy"}


def test_clusters_come_from_the_baseline_and_missing_metrics_are_skipped():
    base = [sample("a", 0, 1, cluster="conv1"), sample("a", 1, 0, cluster="conv1"), sample("a", 2, None)]
    cand = [sample("b", 0, 0, cluster="other"), sample("b", 1, 1), sample("b", 2, 1)]
    values = pair(base, cand).values("accuracy")
    assert values.item_ids == ("0", "1") and values.clusters == ("conv1", "conv1")


def test_changed_targets_are_dropped_or_kept():
    base = [sample("a", i, 1) for i in range(3)]
    cand = [sample("b", 0, 1), sample("b", 1, 0, target={"label": "y"}), sample("b", 2, 0)]
    dropped = pair(base, cand)
    assert dropped.changed == {("s", "test", "", "1")} and dropped.values("accuracy").item_ids == ("0", "2")
    kept = pair(base, cand, drop_changed=False)
    assert kept.changed == dropped.changed and kept.values("accuracy").n == 3


def test_perturbed_copies_pool_into_one_split_clustered_by_item():
    samples = [sample("a", i, 1, perturbation=kind) for i in range(3) for kind in ("typos", "casing")]
    samples += [sample("a", i, 0) for i in range(3)]
    assert [s.item_id for s in on_split(samples, "test")] == ["0", "1", "2"]
    pooled = on_split(samples, PERTURBED)
    assert len(pooled) == 6 and {s.split for s in pooled} == {PERTURBED}
    values = pair(pooled, pooled).values("accuracy")
    assert values.n == 6 and sorted(set(values.clusters)) == ["0", "1", "2"]
    result = paired_result("s", PERTURBED, values)
    assert result.clusters == 3 and result.note == "6 items in 3 clusters"


def test_paired_result_is_the_paired_difference_with_power():
    base = [sample("a", i, f) for i, f in enumerate([1] * 10 + [0] * 30)]
    cand = [sample("b", i, f) for i, f in enumerate([1] * 30 + [0] * 10)]
    values = pair(base, cand).values("accuracy")
    result = paired_result("s", "test", values)
    d = paired_difference(list(values.baseline), list(values.candidate), list(values.clusters))
    assert (result.baseline, result.candidate, result.diff) == (0.25, 0.75, 0.5)
    assert (result.ci_low, result.ci_high, result.p_value, result.method) == (d.ci_low, d.ci_high, d.p_value, d.method)
    assert result.n == 40 and result.clusters == 40 and result.detectable > 0
    assert result.items_for_observed is None  # 40 items are more than +0.5 needs: no "would need ~N items"
    assert result.verdict == NOT_COMPARABLE and result.p_holm is None  # until settled with its family


def test_too_few_items_are_not_tested():
    result = paired_result("s", "test", pair([sample("a", 0, 1)], [sample("b", 0, 0)]).values("accuracy"))
    assert result.n == 1 and result.p_value is None and result.note == "fewer than 2 shared items"
    settle([result], 0.05)
    assert result.verdict == NOT_COMPARABLE


def _result(suite: str, metric: str, base: list[int], cand: list[int], split: str = "test") -> PairedResult:
    values = pair([sample("a", i, f) for i, f in enumerate(base)],
                  [sample("b", i, f) for i, f in enumerate(cand)]).values("accuracy")
    return replace(paired_result(suite, split, values), metric=metric)


def test_settle_holm_adjusts_and_reads_the_direction():
    up = _result("s", "accuracy", [0] * 40, [1] * 20 + [0] * 20)
    leak = _result("t", "safety.pii_leak_rate", [0] * 40, [1] * 20 + [0] * 20)
    weak = _result("u", "accuracy", [0] * 40, [1] * 2 + [0] * 38)
    untested = PairedResult("v", "test", "accuracy", n=1)
    settle([up, leak, weak, untested], 0.05, "three suites")
    assert (up.verdict, leak.verdict, weak.verdict) == (BETTER, WORSE, SAME)
    assert weak.p_holm == pytest.approx(min(1.0, weak.p_value))  # the largest of three: Holm leaves it
    assert up.p_holm == pytest.approx(3 * up.p_value) and up.family == "three suites"
    assert untested.p_holm is None and untested.verdict == NOT_COMPARABLE
    assert not leak.higher_is_better and "detects" not in up.power_note()


def test_settled_intervals_match_the_verdicts():
    """A 0.42 gain on 12 items: the interval printed beside the verdict is the one Holm judged it at."""
    gain = _result("s", "accuracy", [0] * 12, [1] * 5 + [0] * 7)
    others = [_result(f"s{k}", "accuracy", [1, 0] * 6, [1, 0] * 6) for k in range(4)]
    unadjusted = (gain.ci_low, gain.ci_high)
    settle([gain, *others], 0.05)
    assert gain.confidence == pytest.approx(1 - 0.05 / 5)
    assert gain.ci_low < unadjusted[0] and gain.ci_high > unadjusted[1]
    assert (gain.ci_low > 0) == (gain.verdict == BETTER) == (gain.p_holm < 0.05)
    for row in [gain, *others]:
        excludes_zero = row.ci_low > 0 or row.ci_high < 0
        assert excludes_zero == (row.verdict != SAME)


def test_power_statements_are_bounded_and_only_ask_for_more_items():
    tiny = _result("s", "accuracy", [1, 0, 1, 0], [1, 0, 1, 0])
    settle([tiny], 0.05)
    assert tiny.verdict == SAME and "too few to detect any change" in tiny.power_note()  # never "detects ±1.34"
    big = _result("s", "accuracy", [1, 0] * 100, [1, 0] * 99 + [0, 1])
    settle([big], 0.05)
    assert big.items_for_observed is None or big.items_for_observed > big.n  # never "would need ~12 items" at n 200
    assert "items detect ±" in big.power_note()
