import math

import numpy as np
import pytest
from scipy.stats import binomtest

from tunebench.harness.core.stats import (
    clustered_se,
    holm,
    items_needed,
    minimum_detectable_difference,
    one_sided_p,
    paired_difference,
    rule_of_three,
    tango_interval,
)


def test_binary_pairs_use_exact_mcnemar_and_tango():
    a = [1, 0, 1, 1, 0, 1, 0, 0] * 3
    b = [1, 1, 1, 1, 0, 1, 1, 0] * 3  # 6 items right with b only, none with a only
    d = paired_difference(a, b)
    assert (d.n, d.b_better, d.a_better, d.diff) == (24, 6, 0, 0.25)
    assert d.p_value == pytest.approx(binomtest(6, 6, 0.5).pvalue) == pytest.approx(2 * 0.5 ** 6)
    # Tango's score statistic is exactly -z and +z at the interval's ends
    def score(delta, n=24, x=6, y=0):
        big_b, big_c = -x - y + (2 * n - x + y) * delta, -y * delta * (1 - delta)
        q = (math.sqrt(big_b ** 2 - 8 * n * big_c) - big_b) / (4 * n)
        return (x - y - n * delta) / math.sqrt(n * (2 * q + delta * (1 - delta)))
    assert score(d.ci_low) == pytest.approx(1.959964, abs=1e-4) and score(d.ci_high) == pytest.approx(-1.959964, abs=1e-4)
    assert 0 < d.ci_low < 0.25 < d.ci_high < 0.5 and "McNemar" in d.method


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
    # four items, all lost: the differences have no spread, yet four items prove no more than the exact
    # test says (0.5 ** 4), margin or not (the t test alone gave p = 0 here)
    assert one_sided_p([1] * 4, [0] * 4, margin=0.02) == pytest.approx(0.5 ** 4)
    assert one_sided_p([0] * 4, [1] * 4, margin=0.02, higher_is_better=False) == pytest.approx(0.5 ** 4)


def test_holm_matches_hand_computation():
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm([]) == []


def test_power_and_rule_of_three():
    # 24 independent-looking items at accuracy 0.5 (sd of a difference ~0.71) cannot tell 0.50 from 0.35
    mde = minimum_detectable_difference(24, math.sqrt(0.5))
    assert 0.35 < mde < 0.45 and items_needed(0.15, math.sqrt(0.5)) > 150
    assert rule_of_three(24) == 0.125 and rule_of_three(2) == 1.0


def test_tango_interval_edges():
    low, high = tango_interval(np.zeros(5), np.ones(5))
    assert -1 <= low < high == 1.0
    low, high = tango_interval(np.ones(24), np.ones(24))  # no discordant pair: symmetric around 0
    assert low == pytest.approx(-high) and 0 < high < 0.2
