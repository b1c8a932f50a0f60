"""Which scorers a split needs (``scorers_for``) and one split scored by all of them (``score_split``).

The first scorer is the split's headline: its value decides whether an item counts as right, its
explanation is the item's, and its samples are kept under ``"main"``. Then, in this order, policy
adherence, accuracy by choices (a diagnostic next to generation) and the LLM judge, each kept
under its own name. Every sample's values are merged into one dict (headline first), and the
metric rows are concatenated in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.scorers.accuracy import ACCURACY, CHOICES, CHOICES_HEADLINE
from tunebench.harness.scorers.base import Scorer, ScoringContext
from tunebench.harness.scorers.judge import JUDGE
from tunebench.harness.scorers.policy import POLICY
from tunebench.harness.scorers.safety import SAFETY

HEADLINE = "main"  # the name a sample's scores keep the headline scorer's score under


def scorers_for(ctx: ScoringContext) -> list[Scorer]:
    """The scorers of one split, headline first.

    - scored by choices only (no outputs): accuracy by choices is the headline;
    - otherwise safety on the safety split, accuracy on every other, then policy adherence when
      the suite has a policy, and accuracy by choices as a diagnostic when choices were made too;
    - the LLM judge last on a split the runner marks ``judged`` (its "skipped" row without a judge).
    """
    if ctx.outputs is None:
        scorers: list[Scorer] = [CHOICES_HEADLINE]
    else:
        scorers = [SAFETY if ctx.split == "safety" else ACCURACY]
        if ctx.suite.policy is not None:
            scorers.append(POLICY)
        if ctx.chosen is not None:
            scorers.append(CHOICES)
    if ctx.judged:
        scorers.append(JUDGE)
    return scorers


@dataclass(frozen=True)
class ItemScores:
    """One item of a split, scored by every scorer of the split.

    Attributes:
        correct: the headline scorer's value is 1.0 (the item counts as right).
        explanation: the headline scorer's explanation.
        scores: scorer -> its stored score (``Score.record``): the headline under ``"main"``, the
            others under their names (policy, choices, judge); a scorer with nothing to keep for the
            item (the judge past its ``max_items``) is absent.
        values: every scorer's values for the item merged, the headline's first.
    """

    correct: bool
    explanation: str
    scores: dict[str, dict[str, Any]]
    values: dict[str, float]


@dataclass
class SplitScores:
    """A split scored: an ``ItemScores`` per item (aligned with the items) and every metric row, the
    headline scorer's first, then those of the others in ``scorers_for`` order."""

    items: list[ItemScores] = field(default_factory=list)
    metrics: list[MetricRow] = field(default_factory=list)


def score_split(ctx: ScoringContext) -> SplitScores:
    """Run ``scorers_for(ctx)`` and merge their answers per item."""
    scorers = scorers_for(ctx)
    results = [scorer.score(ctx) for scorer in scorers]
    names = [HEADLINE] + [scorer.name for scorer in scorers[1:]]
    split = SplitScores(metrics=[row for result in results for row in result.metrics])
    for k, headline in enumerate(results[0].samples):
        scores: dict[str, dict[str, Any]] = {}
        values: dict[str, float] = {}
        for name, result in zip(names, results):
            sample = result.samples[k]
            if record := sample.record():
                scores[name] = record
            values.update(sample.values)
        split.items.append(ItemScores(headline.value == 1.0, headline.explanation, scores, values))
    return split
