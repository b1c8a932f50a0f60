import math

import numpy as np
import pytest
from scipy.stats import norm

from tunebench.harness.core.stats import (
    clustered_se,
    holm,
    holm_levels,
    paired_difference,
    paired_test,
    rule_of_three,
    tango_interval,
)


def test_binary_pairs_use_tangos_score_test_and_interval():
    a = [1, 0, 1, 1, 0, 1, 0, 0] * 3
    b = [1, 1, 1, 1, 0, 1, 1, 0] * 3  # 6 items right with b only, none with a only
    d = paired_difference(a, b)
    assert (d.n, d.b_better, d.a_better, d.diff) == (24, 6, 0, 0.25)
    # the score test at 0 is McNemar's statistic (6 - 0) / sqrt(6 + 0), two-sided
    assert d.p_value == pytest.approx(2 * norm.sf(6 / math.sqrt(6)))
    # Tango's score statistic is exactly -z and +z at the interval's ends
    def score(delta, n=24, x=6, y=0):
        big_b, big_c = -x - y + (2 * n - x + y) * delta, -y * delta * (1 - delta)
        q = (math.sqrt(big_b ** 2 - 8 * n * big_c) - big_b) / (4 * n)
        return (x - y - n * delta) / math.sqrt(n * (2 * q + delta * (1 - delta)))
    assert score(d.ci_low) == pytest.approx(1.959964, abs=1e-4) and score(d.ci_high) == pytest.approx(-1.959964, abs=1e-4)
    assert 0 < d.ci_low < 0.25 < d.ci_high < 0.5 and "Tango" in d.method


def test_identical_outputs_give_no_difference():
    d = paired_difference([1, 0, 1, 0], [1, 0, 1, 0])
    assert d.diff == 0 and d.p_value == 1.0 and d.ci_low < 0 < d.ci_high  # 4 items cannot exclude differences


def test_continuous_pairs_use_a_t_test_and_its_interval():
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


def _random_pairs(rng, kind: str) -> tuple[list[float], list[float], list | None]:
    n = int(rng.integers(3, 80))
    if kind == "binary":
        a = (rng.uniform(size=n) < rng.uniform(0.1, 0.9)).astype(float)
        flip = rng.uniform(size=n) < rng.uniform(0.0, 0.5)
        return a.tolist(), np.where(flip, 1 - a, a).tolist(), None
    a = rng.uniform(size=n)
    b = np.clip(a + rng.normal(rng.uniform(-0.2, 0.2), rng.uniform(0.0, 0.3), n), 0, 1)
    clusters = rng.integers(0, max(2, n // 3), n).tolist() if kind == "clustered" else None
    return a.tolist(), b.tolist(), clusters


@pytest.mark.parametrize("kind", ["binary", "continuous", "clustered"])
def test_an_interval_excludes_zero_exactly_when_its_p_value_is_below_its_level(kind):
    """The verdict and the interval printed beside it come from one test: they never disagree."""
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(150):
        a, b, clusters = _random_pairs(rng, kind)
        test = paired_test(a, b, clusters)
        for level in (0.05, 0.025, 0.01, 0.005):
            low, high = test.interval(1 - level)
            if abs(test.p_value - level) < 1e-6:
                continue  # on the boundary itself, root finding decides
            assert (low > 0 or high < 0) == (test.p_value < level), (a, b, clusters, level)
            checked += 1
    assert checked > 500


def test_no_zero_width_interval_where_the_differences_have_no_spread():
    same = paired_difference([1, 0, 1, 0, 1, 0, 1, 0], [1, 0, 1, 0, 1, 0, 1, 0])
    assert same.ci_low < -0.2 and same.ci_high > 0.2 and same.p_value == 1.0  # 8 items settle nothing
    continuous = paired_difference([0.4] * 8, [0.4] * 8)
    assert continuous.ci_high - continuous.ci_low > 0.3 and "no spread" in continuous.method
    # four items of four clusters of two, every one lost: still the evidence of 4 units, not a certainty
    lost = paired_difference([1.0] * 8, [0.0] * 8, clusters=[0, 0, 1, 1, 2, 2, 3, 3])
    assert lost.ci_low == -1.0 and -1.0 < lost.ci_high < 0 and lost.clusters == 4


def test_holm_levels_match_the_adjusted_p_values():
    p = [0.005, 0.04, 0.03, 0.5, 0.012]
    levels = holm_levels(p, 0.05)
    # step down: 0.005 < 0.05/5, 0.012 < 0.05/4, 0.03 >= 0.05/3: stops; the rest share 0.05/3
    assert levels == pytest.approx([0.01, 0.05 / 3, 0.05 / 3, 0.05 / 3, 0.0125])
    assert [x < level for x, level in zip(p, levels)] == [a < 0.05 for a in holm(p)]


def test_holm_matches_hand_computation():
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert holm([]) == []


def test_power_and_rule_of_three():
    # 24 independent-looking items at accuracy 0.5 (sd of a difference ~0.71) cannot tell 0.50 from 0.35
    test = paired_test([1, 0] * 12, [0, 1] * 6 + [1, 0] * 6)  # sd of a difference about 0.72
    assert 0.35 < test.detectable() < 0.45 and test.units_needed(0.15) > 150
    assert test.units_needed(test.detectable()) == pytest.approx(24, abs=1)  # the one inverts the other
    assert rule_of_three(24) == 0.125 and rule_of_three(2) == 1.0


def test_the_t_test_needs_the_units_its_detectable_difference_implies():
    # a continuous metric on 8 items: the t quantiles at 7 degrees of freedom are well above the normal
    a = [0.1, 0.4, 0.3, 0.2, 0.5, 0.3, 0.6, 0.2]
    test = paired_test(a, [x + d for x, d in zip(a, [0.2, -0.1, 0.3, 0.1, 0.0, 0.25, -0.05, 0.15])])
    assert test.kind == "t"
    assert test.units_needed(test.detectable()) == pytest.approx(8, abs=1)  # the one inverts the other
    normal = math.ceil(((norm.ppf(0.975) + norm.ppf(0.8)) * test.sd / test.detectable()) ** 2)
    assert normal < 8  # what the normal approximation would have claimed


def test_tango_interval_edges():
    low, high = tango_interval(np.zeros(5), np.ones(5))
    assert -1 <= low < high == 1.0
    low, high = tango_interval(np.ones(24), np.ones(24))  # no discordant pair: symmetric around 0
    assert low == pytest.approx(-high) and 0 < high < 0.2
