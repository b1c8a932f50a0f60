"""What every scorer returns: per-sample scores with explanations, and aggregate metrics."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.stats import proportion_ci


@dataclass
class Score:
    """One scorer's verdict on one sample: a value in [0, 1] (or None: not applicable) and why."""

    value: float | None
    explanation: str


@dataclass
class ScorerResult:
    samples: list[Score] = field(default_factory=list)  # aligned with the items scored
    metrics: list[dict] = field(default_factory=list)  # store rows: metric, value, ci_low, ci_high, n, explanation


def proportion_metric(metric: str, successes: int, n: int, what: str) -> dict:
    """A rate with its 95% Wilson interval, as a metrics row."""
    low, high = proportion_ci(successes, n)
    return {"metric": metric, "value": successes / n if n else None, "ci_low": low if n else None,
            "ci_high": high if n else None, "n": n, "explanation": f"{successes}/{n} {what}; 95% Wilson interval"}


def mean_metric(metric: str, values: list[float], what: str) -> dict:
    """A mean with a 95% bootstrap interval (scipy), as a metrics row."""
    import numpy as np
    from scipy.stats import bootstrap

    n = len(values)
    if n == 0:
        return {"metric": metric, "value": None, "ci_low": None, "ci_high": None, "n": 0, "explanation": what}
    mean = float(np.mean(values))
    low = high = mean
    if n > 1 and len(set(values)) > 1:
        ci = bootstrap((np.asarray(values),), np.mean, confidence_level=0.95, n_resamples=2000,
                       method="percentile", random_state=0).confidence_interval
        low, high = float(ci.low), float(ci.high)
    return {"metric": metric, "value": mean, "ci_low": low, "ci_high": high, "n": n,
            "explanation": f"mean {what} over {n} samples; 95% bootstrap interval"}
