"""Statistics for honest comparisons: intervals, paired tests, multiple comparisons, power.

- One metric: Wilson interval for proportions, percentile bootstrap for means, and the rule of
  three when nothing (or everything) failed: 0 failures in n only says the rate is below 3/n.
- Two variants on the same items (``paired_difference``): for 0/1 outcomes on independent items,
  the exact McNemar test and Tango's score interval (it keeps its coverage at small n, where
  Wald and plain bootstrap intervals fall short); otherwise a cluster bootstrap interval, expanded for
  small samples (Hesterberg 2015), and a t test on the clustered standard error (Miller 2024,
  "Adding Error Bars to Evals"), where a cluster is a group of items sharing a source.
- ``one_sided_p``: the test behind the CI gate, "is the candidate worse than the baseline by more
  than the margin?" (margin 0: a plain regression test).
- Holm-Bonferroni across the tests of one comparison (scipy has only Benjamini-Hochberg).
- Power: the minimum detectable difference at 80% power for n items, and the n needed for a
  given difference.
``benchmarks/stats_calibration.py`` measures the coverage and error rates these give.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

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

    def as_dict(self) -> dict:
        return asdict(self)


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


def tango_interval(a: np.ndarray, b: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """Score interval for mean(b) - mean(a) of paired 0/1 outcomes (Tango 1998, Stat Med 17:891).

    Inverts the score test that uses the restricted maximum-likelihood estimate under each
    candidate difference; it keeps its coverage near the nominal level at small n, where the Wald
    and plain bootstrap intervals fall short (``benchmarks/stats_calibration.py``).
    """
    n = len(a)
    b_only, a_only = int(np.sum((a == 0) & (b == 1))), int(np.sum((a == 1) & (b == 0)))
    z = stats.norm.ppf(0.5 + confidence / 2)

    def score(delta: float) -> float:
        big_a, big_b = 2 * n, -b_only - a_only + (2 * n - b_only + a_only) * delta
        big_c = -a_only * delta * (1 - delta)
        q = (math.sqrt(max(big_b ** 2 - 4 * big_a * big_c, 0.0)) - big_b) / (2 * big_a)
        variance = n * (2 * q + delta * (1 - delta))
        gap = b_only - a_only - n * delta
        return gap / math.sqrt(variance) if variance > 0 else math.copysign(math.inf, gap) if gap else 0.0

    estimate, edge = (b_only - a_only) / n, 1 - 1e-9
    low = brentq(lambda d: score(d) - z, -edge, estimate) if score(-edge) > z else -1.0
    high = brentq(lambda d: score(d) + z, estimate, edge) if score(edge) < -z else 1.0
    return float(low), float(high)


def cluster_bootstrap(d: np.ndarray, cluster: np.ndarray, confidence: float = 0.95, seed: int = 0,
                      resamples: int = BOOTSTRAP_RESAMPLES) -> tuple[float, float]:
    """Percentile interval of mean(d) resampling whole clusters, expanded for small samples
    (Hesterberg 2015: the quantiles are widened so that the interval matches a t interval's
    coverage at few clusters)."""
    groups = int(cluster.max()) + 1
    if groups < 2 or np.all(d == d[0]):
        return float(d.mean()), float(d.mean())
    sums = np.bincount(cluster, weights=d, minlength=groups)
    sizes = np.bincount(cluster, minlength=groups).astype(float)
    picks = np.random.default_rng(seed).integers(0, groups, size=(resamples, groups))
    means = sums[picks].sum(axis=1) / sizes[picks].sum(axis=1)
    expanded = math.sqrt(groups / (groups - 1)) * stats.t.ppf(0.5 + confidence / 2, groups - 1)
    tail = stats.norm.cdf(-expanded)
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def paired_difference(a: list[float], b: list[float], clusters: list | None = None,
                      seed: int = 0) -> PairedDifference:
    """Difference b - a on paired items; ``clusters`` groups items that share a source."""
    a_arr, b_arr = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a_arr)
    cluster = _clusters(n, clusters)
    groups = int(cluster.max()) + 1 if n else 0
    d = b_arr - a_arr
    diff = float(d.mean()) if n else float("nan")
    se = clustered_se(d, cluster) if n else float("nan")
    binary = n > 0 and _is_binary(a_arr) and _is_binary(b_arr)
    b_better = int(np.sum((a_arr == 0) & (b_arr == 1))) if binary else 0
    a_better = int(np.sum((a_arr == 1) & (b_arr == 0))) if binary else 0
    if n == 0:
        return PairedDifference(0, 0, *(float("nan"),) * 6, "no shared items")
    if binary and groups == n:
        low, high = tango_interval(a_arr, b_arr)
        discordant = b_better + a_better
        p = binomtest(b_better, discordant, 0.5).pvalue if discordant else 1.0
        method = "exact McNemar test; Tango score interval"
    else:
        low, high = cluster_bootstrap(d, cluster, seed=seed)
        p = _t_p_value(diff, se, groups, "two-sided")
        method = ("clustered t test and cluster bootstrap interval" if groups < n
                  else "paired t test; paired bootstrap interval (expanded percentile)")
    return PairedDifference(n, groups, float(a_arr.mean()), float(b_arr.mean()), diff, float(low), float(high),
                            float(p), se, method, b_better, a_better)


def _t_p_value(shifted_mean: float, se: float, groups: int, alternative: str) -> float:
    """p-value of a t test of ``shifted_mean`` against 0 with ``groups - 1`` degrees of freedom."""
    if se == 0 or groups < 2:  # no variation at all: the data settle it
        if alternative == "less":
            return 0.0 if shifted_mean < 0 else 1.0
        return 1.0 if shifted_mean == 0 else 0.0
    t = shifted_mean / se
    if alternative == "less":
        return float(stats.t.cdf(t, groups - 1))
    return float(2 * stats.t.sf(abs(t), groups - 1))


def one_sided_p(baseline: list[float], candidate: list[float], margin: float = 0.0,
                higher_is_better: bool = True, clusters: list | None = None) -> float:
    """p-value for "the candidate is worse than the baseline by more than ``margin``".

    H0: candidate - baseline >= -margin (in the better direction); H1: it is below. Small p = a
    regression the data show. Margin 0 and independent 0/1 outcomes: the exact one-sided McNemar
    test; otherwise a one-sided t test on the clustered standard error.
    """
    a, b = np.asarray(baseline, dtype=float), np.asarray(candidate, dtype=float)
    if not higher_is_better:
        a, b = -a, -b
    n = len(a)
    if n == 0:
        return 1.0
    cluster = _clusters(n, clusters)
    groups = int(cluster.max()) + 1
    exact = None
    if groups == n and _is_binary(np.abs(a)) and _is_binary(np.abs(b)):
        worse = int(np.sum(b < a))
        better = int(np.sum(b > a))
        exact = float(stats.binom.sf(worse - 1, worse + better, 0.5)) if worse + better else 1.0
        if margin == 0:
            return exact
    d = b - a
    p = _t_p_value(float(d.mean()) + margin, clustered_se(d, cluster), groups, "less")
    # Worse by more than a margin is never better shown than worse at all: on few 0/1 items whose
    # differences all agree the t test's standard error is 0 and its p 0 (4 items "prove" a regression)
    return p if exact is None else max(p, exact)


def holm(p_values: list[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (family-wise error control, uniformly better than Bonferroni)."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def minimum_detectable_difference(n: int, sd_diff: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest true difference a two-sided paired test of ``n`` items detects with ``power``."""
    if n < 2:
        return float("inf")
    return (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * sd_diff / math.sqrt(n)


def items_needed(delta: float, sd_diff: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Paired items needed to detect a true difference ``delta`` with ``power``."""
    if delta == 0:
        return 10**9
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return max(2, math.ceil((z * sd_diff / abs(delta)) ** 2))


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
