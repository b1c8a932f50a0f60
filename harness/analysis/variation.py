"""Does the verdict survive another training seed, and how much labelled data does fine-tuning need?

Both read the adapters an experiment adds for ``seeds`` and ``learning_curve`` (``spec.Variant``):
- ``SeedCheck``: the suite's answer (best adapter against best prompt) asked again of every seed of
  that adapter, each as ``compare`` asks it (Holm across the suites for that pair). The verdict is
  *stable* when every seed gives the same one (the same significant direction, or none significant);
  a difference that one seed shows and another does not is training luck as far as this run can tell.
- ``LearningCurve``: test accuracy of an adapter trained on nested subsets of its items (each with
  its interval and its paired difference to the best prompt), the first size that is significantly
  better than the prompt, and whether the curve still rises between its two largest sizes (the
  paired test of the largest against the one before it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tunebench.harness.analysis.pairing import BETTER, SAME, WORSE, PairedResult
from tunebench.harness.core.metrics import MetricRow


@dataclass
class SeedCheck:
    """One suite's answer, asked of each seed of the chosen adapter.

    Attributes:
        variant: the adapter the answer chose (its first seed).
        prompted: the best prompt variant it was compared with.
        results: seed variant -> its test accuracy against ``prompted`` (the chosen adapter first).
    """

    suite: str
    variant: str
    prompted: str
    results: dict[str, PairedResult] = field(default_factory=dict)

    @property
    def seeds(self) -> int:
        return len(self.results)

    @property
    def holding(self) -> int:
        """Seeds whose verdict is the chosen adapter's (its first seed's)."""
        first = next(iter(self.results.values())).verdict
        return sum(r.verdict == first for r in self.results.values())

    @property
    def stable(self) -> bool:
        """Every seed gives the same verdict: significant in the same direction, or none significant."""
        return self.holding == self.seeds

    @property
    def spread(self) -> tuple[float, float]:
        """Lowest and highest test accuracy across the seeds."""
        values = [r.candidate for r in self.results.values() if r.candidate is not None]
        return min(values), max(values)

    def text(self) -> str:
        """"stable across 3 seeds: every seed better (accuracy 0.40-0.47; ...)" or "not stable across seeds:
        1 of 3 seeds better (...)"."""
        low, high = self.spread
        diffs = [r.diff for r in self.results.values() if r.diff is not None]
        detail = (f"accuracy {_span(low, high, '.2f', '-')}; {_span(min(diffs), max(diffs), '+.2f', ' to ')} "
                  f"against {self.prompted}; "
                  + ", ".join(f"{name} p {r.p_holm:.3g}" for name, r in self.results.items() if r.p_holm is not None))
        first = next(iter(self.results.values())).verdict
        if self.stable:
            what = "no seed significantly different" if first == SAME else f"every seed {first}"
            return f"stable across {self.seeds} seeds: {what} ({detail})"
        return f"not stable across seeds: {self.holding} of {self.seeds} seeds {first} ({detail})"


def _span(low: float, high: float, spec: str, between: str) -> str:
    """"0.40-0.47", or "0.23 for each" when both print the same."""
    low_text, high_text = format(low, spec), format(high, spec)
    return f"{low_text} for each" if low_text == high_text else f"{low_text}{between}{high_text}"


@dataclass
class CurvePoint:
    train_items: int | None
    variant: str
    accuracy: MetricRow
    vs_prompt: PairedResult | None  # test accuracy against the best prompt variant


@dataclass
class LearningCurve:
    """Test accuracy against training items on one suite, the largest point being the adapter itself.

    Attributes:
        prompt_accuracy: the best prompt variant's test accuracy (the line to cross).
        rising: the largest point against the one before it (paired); None with fewer than two points.
    """

    suite: str
    variant: str
    prompted: str
    prompt_accuracy: MetricRow | None
    points: list[CurvePoint] = field(default_factory=list)
    rising: PairedResult | None = None

    @property
    def crosses_at(self) -> int | None:
        """The fewest training items whose adapter is significantly more accurate than the prompt."""
        return next((p.train_items for p in self.points if p.vs_prompt is not None and p.vs_prompt.verdict == BETTER),
                    None)

    def shape(self) -> str:
        """Whether more data would still help, as far as the two largest points can tell."""
        if self.rising is None or self.rising.diff is None:
            return "one point: no trend"
        if self.rising.verdict == BETTER:
            return f"still rising at the largest size ({self.rising.interval_text()}, p {self.rising.p_value:.3g})"
        if self.rising.verdict == WORSE:
            return f"lower at the largest size ({self.rising.interval_text()}, p {self.rising.p_value:.3g})"
        return f"no significant change between the two largest sizes ({self.rising.interval_text()})"

    def text(self) -> str:
        crossing = (f"better than {self.prompted} from {self.crosses_at} training items" if self.crosses_at
                    else f"never significantly better than {self.prompted}")
        return f"{crossing}; {self.shape()}"
