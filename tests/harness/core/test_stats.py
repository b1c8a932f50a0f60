import math

import numpy as np
import pytest
from scipy.stats import binomtest

from harness.core.stats import (
    agresti_min,
    clustered_se,
    holm,
    items_needed,
    minimum_detectable_difference,
    one_sided_p,
    paired_difference,
    rule_of_three,
)


def test_binary_pairs_use_exact_mcnemar_and_agresti_min():
    a = [1, 0, 1, 1, 0, 1, 0, 0] * 3
    b = [1, 1, 1, 1, 0, 1, 1, 0] * 3  # 6 items right with b only, none with a only
    d = paired_difference(a, b)
    assert (d.n, d.b_better, d.a_better, d.diff) == (24, 6, 0, 0.25)
    assert d.p_value == pytest.approx(binomtest(6, 6, 0.5).pvalue) == pytest.approx(2 * 0.5 ** 6)
    # Agresti-Min by hand: half a count in each cell of the 2x2 table, then the Wald interval
    p_b, p_a = 6.5 / 26, 0.5 / 26
    half = 1.959964 * math.sqrt((p_b + p_a - (p_b - p_a) ** 2) / 26)
    assert (d.ci_low, d.ci_high) == pytest.approx((p_b - p_a - half, p_b - p_a + half), abs=1e-5)
    assert "McNemar" in d.method


def test_identical_outputs_give_no_difference():
    d = paired_difference([1, 0, 1, 0], [1, 0, 1, 0])
    assert d.diff == 0 and d.p_value == 1.0 and d.ci_low < 0 < d.ci_high  # 4 items cannot exclude differences


def test_continuous_pairs_use_t_test_and_bootstrap_interval():
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 1, 60)
    b = np.clip(a + 0.1 + rng.normal(0, 0.05, 60), 0, 1)
    d = paired_difference(a.tolist(), b.tolist())
    assert d.ci_low < d.diff < d.ci_high and d.ci_low > 0 and d.p_value < 1e-6
    assert "t test" in d.method


def test_clusters_widen_the_standard_error():
    """Copies of one item are one piece of evidence: the clustered SE is larger than the naive one."""
    d = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    clusters = np.repeat(np.arange(4), 3)
    naive = clustered_se(d, np.arange(12))
    assert clustered_se(d, clusters) > naive * 1.5
    result = paired_difference([0.0] * 12, d.tolist(), clusters=clusters.tolist())
    assert result.clusters == 4 and "clustered" in result.method


def test_one_sided_regression_test():
    base = [1] * 20 + [0] * 4
    worse = [0] * 8 + [1] * 12 + [0] * 4  # 8 items lost, none gained
    assert one_sided_p(base, worse) == pytest.approx(0.5 ** 8)
    assert one_sided_p(worse, base) == 1.0  # better is never a regression
    assert one_sided_p(base, base, margin=0.02) == 1.0
    # lower is better: a rate going up is the regression
    assert one_sided_p([0] * 24, [1] * 8 + [0] * 16, higher_is_better=False) == pytest.approx(0.5 ** 8)
    # a margin tolerates a small drop: one item of 100 lost is not worse by more than 2 points
    assert one_sided_p([1] * 100, [0] + [1] * 99, margin=0.02) > 0.5


def test_holm_matches_hand_computation():
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm([]) == []


def test_power_and_rule_of_three():
    # 24 independent-looking items at accuracy 0.5 (sd of a difference ~0.71) cannot tell 0.50 from 0.35
    mde = minimum_detectable_difference(24, math.sqrt(0.5))
    assert 0.35 < mde < 0.45 and items_needed(0.15, math.sqrt(0.5)) > 150
    assert rule_of_three(24) == 0.125 and rule_of_three(2) == 1.0


def test_agresti_min_stays_inside_minus_one_one():
    low, high = agresti_min(np.zeros(5), np.ones(5))
    assert -1 <= low < high <= 1
