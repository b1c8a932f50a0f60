"""Statistics for honest comparisons: intervals on single metrics."""

from __future__ import annotations

import numpy as np
from scipy.stats import binomtest, bootstrap


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
    ci = bootstrap((np.asarray(values, dtype=float),), np.mean, confidence_level=confidence, n_resamples=2000,
                   method="percentile", random_state=0).confidence_interval
    return mean, float(ci.low), float(ci.high)
