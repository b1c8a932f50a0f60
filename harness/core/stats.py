"""Statistics for honest comparisons: intervals, paired tests, multiple comparisons, power.

- One metric: Wilson interval for proportions, percentile bootstrap for means, and the rule of
  three when nothing (or everything) failed: 0 failures in n only says the rate is below 3/n.
- Two variants on the same items (``paired_test``, ``paired_difference``): one test gives both the
  p-value and the interval. For 0/1 outcomes on independent items, Tango's score test and interval
  (it keeps its coverage at small n, where Wald and plain bootstrap intervals fall short; at 0 it
  is McNemar's statistic); otherwise a t test and interval on the clustered standard error (Miller
  2024, "Adding Error Bars to Evals"), where a cluster is a group of items sharing a source. Where
  the differences show no spread at all, the score interval of as many independent items: never a
  zero-width interval.
- Holm-Bonferroni across the tests of one question (scipy has only Benjamini-Hochberg), and the
  level each test is judged at (``holm_levels``), so the interval printed beside a verdict is the
  same test's interval at that level: it excludes 0 exactly when the verdict is significant.
- Power (``PairedTest.detectable``, ``units_needed``): the smallest difference the same test detects
  at 80% power at its level, and the units a given difference needs.
``benchmarks/stats_calibration.py`` measures the coverage and error rates these give.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.optimize import brentq
from scipy.stats import binomtest, bootstrap

BOOTSTRAP_RESAMPLES = 2000


def proportion_ci(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval: well-behaved near 0 and 1 and for small n, unlike the normal one."""
    if n == 0:
        return float("nan"), float("nan")
    ci = binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def mean_ci(values: list[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): percentile bootstrap (scipy, 2000 resamples, fixed seed) for a mean."""
    mean = float(np.mean(values))
    if len(values) < 2 or len(set(values)) < 2:
        return mean, mean, mean
    ci = bootstrap((np.asarray(values, dtype=float),), np.mean, confidence_level=confidence,
                   n_resamples=BOOTSTRAP_RESAMPLES, method="percentile", random_state=0).confidence_interval
    return mean, float(ci.low), float(ci.high)


def rule_of_three(n: int) -> float:
    """95% upper bound on a rate that was never observed in ``n`` independent trials (Hanley 1983)."""
    return min(1.0, 3 / n) if n else 1.0


@dataclass(frozen=True)
class PairedDifference:
    """``b - a`` of one metric on the same items: the estimate, its 95% interval and a two-sided p-value."""

    n: int  # paired items
    clusters: int  # independent units (items, or groups of items sharing a source)
    mean_a: float
    mean_b: float
    diff: float
    ci_low: float
    ci_high: float
    p_value: float
    se: float  # clustered standard error of the difference
    method: str
    b_better: int = 0  # binary outcomes: items right with b only
    a_better: int = 0  # items right with a only
    test: PairedTest | None = None  # the test behind p and the interval (its interval at any other level)


def _clusters(n: int, clusters: list | None) -> np.ndarray:
    """Cluster index per item (each item its own cluster when none are given)."""
    if clusters is None:
        return np.arange(n)
    _, index = np.unique(np.asarray([str(c) for c in clusters]), return_inverse=True)
    return index


def clustered_se(d: np.ndarray, cluster: np.ndarray) -> float:
    """Standard error of mean(d) with errors correlated inside clusters (Miller 2024, eq. 4)."""
    n, groups = len(d), int(cluster.max()) + 1 if len(d) else 0
    if n < 2 or groups < 2:
        return 0.0
    residual_sums = np.bincount(cluster, weights=d - d.mean(), minlength=groups)
    return float(math.sqrt(groups / (groups - 1) * np.sum(residual_sums ** 2)) / n)


def _is_binary(values: np.ndarray) -> bool:
    return bool(np.isin(values, (0.0, 1.0)).all())


def _tango_score(delta: float, n: float, b_only: float, a_only: float) -> float:
    """Tango's score statistic for mean(b) - mean(a) = ``delta`` of paired 0/1 outcomes (Tango 1998,
    Stat Med 17:891): ``n`` pairs, ``b_only`` right with b only, ``a_only`` right with a only. It falls
    as ``delta`` rises; at 0 it is McNemar's statistic (b_only - a_only) / sqrt(b_only + a_only)."""
    big_a, big_b = 2 * n, -b_only - a_only + (2 * n - b_only + a_only) * delta
    big_c = -a_only * delta * (1 - delta)
    q = (math.sqrt(max(big_b ** 2 - 4 * big_a * big_c, 0.0)) - big_b) / (2 * big_a)
    variance = n * (2 * q + delta * (1 - delta))
    gap = b_only - a_only - n * delta
    return gap / math.sqrt(variance) if variance > 0 else math.copysign(math.inf, gap) if gap else 0.0


def _tango_bounds(n: float, b_only: float, a_only: float, confidence: float) -> tuple[float, float]:
    """The score interval: every ``delta`` whose score statistic lies within +-z."""
    z = stats.norm.ppf(0.5 + confidence / 2)
    estimate, edge = (b_only - a_only) / n, 1 - 1e-9

    def score(d: float) -> float:
        return _tango_score(d, n, b_only, a_only)
    low = brentq(lambda d: score(d) - z, -edge, estimate) if score(-edge) > z else -1.0
    high = brentq(lambda d: score(d) + z, estimate, edge) if score(edge) < -z else 1.0
    return float(low), float(high)


def tango_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Score interval for mean(b) - mean(a) of paired 0/1 outcomes (Tango 1998, Stat Med 17:891).

    Inverts the score test that uses the restricted maximum-likelihood estimate under each
    candidate difference; it keeps its coverage near the nominal level at small n, where the Wald
    and plain bootstrap intervals fall short (``benchmarks/stats_calibration.py``).
    """
    b_only, a_only = int(np.sum((a == 0) & (b == 1))), int(np.sum((a == 1) & (b == 0)))
    return _tango_bounds(len(a), b_only, a_only, confidence)


@dataclass(frozen=True)
class PairedTest:
    """The one test behind a paired difference. Its p-value and its interval at any confidence come
    from the same statistic, so an interval at confidence 1 - level excludes 0 exactly when p < level:
    a verdict and the interval printed next to it cannot disagree.

    ``kind`` "score": Tango's score test and interval for 0/1 outcomes on independent items
    (``units`` items, ``b_only``/``a_only`` discordant counts); also the fallback where the
    differences of a [0, 1] metric show no spread at all (identical outputs, every item moved
    alike), where a t interval would have zero width: the counts then are what ``units``
    independent items with those differences would give. ``kind`` "t": a t test and interval on the
    clustered standard error ``se`` with ``units - 1`` degrees of freedom (Miller 2024).
    """

    kind: str
    units: int  # independent units: items, or clusters of items
    diff: float
    se: float = 0.0
    b_only: float = 0.0
    a_only: float = 0.0
    sd: float = 0.0  # SD of a unit's difference, for power (never 0: see ``diff_sd``)

    @property
    def p_value(self) -> float:
        """Two-sided p-value of "no difference"."""
        if self.units < 2:
            return 1.0
        if self.kind == "score":
            return float(2 * stats.norm.sf(abs(_tango_score(0.0, self.units, self.b_only, self.a_only))))
        return float(2 * stats.t.sf(abs(self.diff / self.se), self.units - 1))

    def interval(self, confidence: float = 0.95) -> tuple[float, float]:
        """The difference's interval at ``confidence`` (the values this test would not reject)."""
        if self.kind == "score":
            return _tango_bounds(self.units, self.b_only, self.a_only, confidence)
        half = stats.t.ppf(0.5 + confidence / 2, self.units - 1) * self.se
        return self.diff - half, self.diff + half

    def detectable(self, level: float = 0.05, power: float = 0.8) -> float:
        """The smallest true difference this test detects with ``power`` at two-sided ``level``, on these
        units (normal approximation for the score test, the t quantiles for the t test)."""
        if self.units < 2:
            return math.inf
        if self.kind == "score":
            z = stats.norm.ppf(1 - level / 2) + stats.norm.ppf(power)
        else:
            z = stats.t.ppf(1 - level / 2, self.units - 1) + stats.t.ppf(power, self.units - 1)
        return z * self.sd / math.sqrt(self.units)

    def units_needed(self, delta: float, level: float = 0.05, power: float = 0.8) -> int:
        """Units (items, or clusters) the test needs to detect a true difference ``delta`` with ``power``:
        the inverse of ``detectable``, with the same quantiles (normal for the score test; for the t
        test, the t quantiles of the answer's own degrees of freedom, found by fixed-point iteration
        from the normal answer, which is too small when few units are needed)."""
        if not delta:
            return 10**9

        def needed(z: float) -> int:
            return max(2, math.ceil((z * self.sd / abs(delta)) ** 2))

        units = needed(stats.norm.ppf(1 - level / 2) + stats.norm.ppf(power))
        if self.kind == "score":
            return units
        for _ in range(50):  # converges in a few steps: the t quantiles shrink towards normal as units grow
            again = needed(stats.t.ppf(1 - level / 2, units - 1) + stats.t.ppf(power, units - 1))
            if again == units:
                break
            units = again
        return units


def paired_test(a: list[float], b: list[float], clusters: list | None = None) -> PairedTest:
    """The test for b - a on paired items (see ``PairedTest``); ``clusters`` groups items that share a source."""
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a_arr)
    if n == 0:
        return PairedTest("score", 0, float("nan"))
    cluster = _clusters(n, clusters)
    groups = int(cluster.max()) + 1
    d = b_arr - a_arr
    diff, sd = float(d.mean()), diff_sd(a_arr.tolist(), b_arr.tolist())
    if _is_binary(a_arr) and _is_binary(b_arr) and groups == n:
        return PairedTest("score", n, diff, b_only=float(np.sum(d > 0)), a_only=float(np.sum(d < 0)), sd=sd)
    se = clustered_se(d, cluster)
    if se > 0:
        return PairedTest("t", groups, diff, se=se, sd=max(sd, se * math.sqrt(groups)))
    bounded = bool(np.all((a_arr >= 0) & (a_arr <= 1) & (b_arr >= 0) & (b_arr <= 1)))
    if bounded:  # no spread in the differences: what `groups` independent items moved alike would show
        return PairedTest("score", groups, diff, b_only=max(diff, 0.0) * groups, a_only=max(-diff, 0.0) * groups,
                          sd=sd)
    return PairedTest("t", groups, diff, se=se, sd=sd)


def paired_difference(a: list[float], b: list[float], clusters: list | None = None,
                      confidence: float = 0.95) -> PairedDifference:
    """Difference b - a on paired items, its interval at ``confidence`` and the p-value of the same test
    (``paired_test``); ``clusters`` groups items that share a source."""
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a_arr)
    if n == 0:
        return PairedDifference(0, 0, *(float("nan"),) * 6, "no shared items")
    test = paired_test(a, b, clusters)
    binary = _is_binary(a_arr) and _is_binary(b_arr)
    low, high = test.interval(confidence)
    if test.kind == "score" and test.units == n and binary:
        method = "Tango score test and interval (McNemar's statistic at 0)"
    elif test.kind == "score":
        method = f"score interval for {test.units} units (the differences show no spread)"
    else:
        method = ("clustered t test and interval" if test.units < n else "paired t test and interval")
    return PairedDifference(n, test.units, float(a_arr.mean()), float(b_arr.mean()), test.diff, float(low),
                            float(high), test.p_value, test.se, method,
                            int(np.sum((a_arr == 0) & (b_arr == 1))) if binary else 0,
                            int(np.sum((a_arr == 1) & (b_arr == 0))) if binary else 0, test)


def holm(p_values: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (family-wise error control, uniformly better than Bonferroni)."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def holm_levels(p_values: list[float], alpha: float) -> list[float]:
    """The level Holm's step-down procedure tests each p-value at: alpha / (m - i) for the i-th smallest
    while every smaller one was rejected; the hypotheses left when it stops share the level it stopped
    at. p < level exactly when the Holm-adjusted p is below ``alpha``; an interval of the same test at
    confidence 1 - level therefore excludes 0 exactly for the rejected hypotheses (the intervals
    printed beside Holm verdicts)."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    levels = [0.0] * m
    rank = 0
    while rank < m and p_values[order[rank]] < alpha / (m - rank):
        levels[order[rank]] = alpha / (m - rank)
        rank += 1
    for i in order[rank:]:
        levels[i] = alpha / (m - rank)
    return levels


def diff_sd(a: list[float], b: list[float]) -> float:
    """SD of paired differences for power calculations; when the sample shows none (too few items,
    identical outputs), the SD independent outcomes at these rates would have, so that "n items
    cannot tell" is never claimed from a degenerate sample."""
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = float(np.std(b_arr - a_arr, ddof=1)) if len(a_arr) > 2 else 0.0
    if observed > 0:
        return observed
    pooled = float(np.clip(np.mean(np.concatenate([a_arr, b_arr])) if len(a_arr) else 0.5, 0.05, 0.95))
    return math.sqrt(2 * pooled * (1 - pooled))
