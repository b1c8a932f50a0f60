"""What every scorer returns: per-sample scores with explanations, and aggregate metric rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.core.metrics import MetricRow


@dataclass
class Score:
    """One scorer's verdict on one sample: a value in [0, 1] (or None: not applicable) and why."""

    value: float | None
    explanation: str


@dataclass
class ScorerResult:
    samples: list[Score] = field(default_factory=list)  # aligned with the items scored
    metrics: list[MetricRow] = field(default_factory=list)
