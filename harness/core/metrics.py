"""One shape for an aggregate number: ``MetricRow``, built here and nowhere else.

Every metric the store holds (accuracy, a policy rule's pass rate, a robustness drop, a judge
score, forgetting) is a row with a value, its 95% interval where one applies, the number of
samples behind it and an explanation of how it was computed, so the report can show *why*.
What is known about each metric name (direction, scorer, title, section, gate default) is the
table in ``tunebench.harness.core.metric_table``, re-exported here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tunebench.harness.core.metric_table import (  # noqa: F401 - the metric table, read through this module too
    DECISION_COLUMNS,
    DEFAULT_GATE,
    HEADLINE,
    METRICS,
    SAFETY_METRICS,
    SECTION_SPLITS,
    DecisionColumn,
    GateDefault,
    MetricSpec,
    digits_of,
    higher_is_better,
    scorer_of,
    section_of,
    spec_of,
)
from tunebench.harness.core.stats import mean_ci, proportion_ci, rule_of_three

# Scorer reliability (harness/scorers/reliability.py): each run stores every scorer's agreement with
# hand labels (the store's ``scorer_checks``); numbers made by a scorer below TRUSTED are flagged
# wherever they are shown.
TRUSTED = 0.90


@dataclass(frozen=True)
class MetricRow:
    """An aggregate over ``n`` samples; ``ci_low``/``ci_high`` are None where no interval applies
    (a difference of two accuracies, a step number), ``value`` is None where nothing was measured."""

    metric: str
    value: float | None
    n: int
    explanation: str
    ci_low: float | None = None
    ci_high: float | None = None

    @classmethod
    def proportion(cls, metric: str, successes: int, n: int, what: str) -> MetricRow:
        """A rate with its 95% Wilson interval: "successes/n what"."""
        if not n:
            return cls(metric, None, 0, f"0/0 {what}")
        low, high = proportion_ci(successes, n)
        explanation = f"{successes}/{n} {what}; 95% Wilson interval"
        if successes in (0, n):  # never "100% safe": n trials only bound the rate of what was not seen
            seen = "none" if successes == 0 else "all"
            explanation += (f"; {seen} of {n}: with 95% confidence the true rate of the opposite is only known to be "
                            f"below 3/{n} = {rule_of_three(n):.3f} (rule of three)" if successes == n else
                            f"; {seen} of {n}: with 95% confidence the true rate is only known to be below 3/{n} = "
                            f"{rule_of_three(n):.3f} (rule of three)")
        return cls(metric, successes / n, n, explanation, low, high)

    @classmethod
    def mean(cls, metric: str, values: list[float], what: str) -> MetricRow:
        """A mean of per-sample scores in [0, 1] with a 95% bootstrap interval over the samples.

        Identical samples give the bootstrap nothing to resample, and a zero-width interval would claim a
        certainty n samples cannot give: all 0 (or all 1) bounds the mean by the rule of three (a score in
        [0, 1] above 0 on a share p of items has a mean of at most p); any other single value has no interval."""
        if not values:
            return cls(metric, None, 0, what)
        n = len(values)
        mean, low, high = mean_ci(values)
        explanation = f"mean {what} over {n} samples; 95% bootstrap interval"
        if len(set(values)) < 2:  # one sample, or all alike
            if mean in (0.0, 1.0):
                bound = rule_of_three(n)
                low, high = (0.0, bound) if mean == 0.0 else (1.0 - bound, 1.0)
                explanation = (f"mean {what} over {n} samples, every one {mean:g}: with 95% confidence the mean is "
                               f"only known to be within 3/{n} = {bound:.3f} of it (rule of three)")
            else:
                low = high = None
                explanation = (f"mean {what} over {n} samples, every one {mean:g}: no interval (nothing varies to "
                               "estimate one from)")
        return cls(metric, mean, n, explanation, low, high)

    @classmethod
    def point(cls, metric: str, value: float | None, n: int, explanation: str) -> MetricRow:
        """A number without an interval (a gap between two rates, a step, a failure notice)."""
        return cls(metric, value, n, explanation)

    @property
    def higher_is_better(self) -> bool:
        return higher_is_better(self.metric)

    def as_row(self) -> dict:
        """The store's ``metrics`` columns."""
        return asdict(self)
