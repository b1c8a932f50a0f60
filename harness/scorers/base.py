"""What every scorer returns: per-sample scores with explanations, and aggregate metric rows.

A sample's ``values`` hold its share of each aggregate metric (``accuracy``: 1 or 0,
``field_f1``: 0.67, ``safety.refusal_rate``: 1 on a harmful request that was refused); the
aggregates are computed from them (``ScorerResult.proportion`` / ``mean``), so every stored
number can be recomputed from stored samples and two variants can be compared item by item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.core.metrics import MetricRow


@dataclass
class Score:
    """One scorer's verdict on one sample: a value in [0, 1] (or None: not applicable), why, and the
    sample's value for each aggregate metric it takes part in."""

    value: float | None
    explanation: str
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class ScorerResult:
    samples: list[Score] = field(default_factory=list)  # aligned with the items scored
    metrics: list[MetricRow] = field(default_factory=list)

    def values_of(self, metric: str) -> list[float]:
        return [s.values[metric] for s in self.samples if metric in s.values]

    def proportion(self, metric: str, what: str) -> MetricRow:
        """The rate of ``metric`` over the samples that have a 0/1 value for it."""
        values = self.values_of(metric)
        return MetricRow.proportion(metric, round(sum(values)), len(values), what)

    def mean(self, metric: str, what: str) -> MetricRow:
        return MetricRow.mean(metric, self.values_of(metric), what)
