"""Statistics for honest comparisons: intervals on proportions (more come with the compare issue)."""

from __future__ import annotations

from scipy.stats import binomtest


def proportion_ci(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval: well-behaved near 0 and 1 and for small n, unlike the normal one."""
    if n == 0:
        return float("nan"), float("nan")
    ci = binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)
