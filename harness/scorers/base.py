"""The one scorer contract: ``Scorer.score(ScoringContext) -> ScorerResult``.

A ``ScoringContext`` holds everything any scorer may need for one split of one suite; a scorer
takes what it needs from it and returns per-sample scores with explanations and aggregate metric
rows. ``suite_scorers.scorers_for`` picks the scorers a split needs, ``score_split`` runs them.

A sample's ``values`` hold its share of each aggregate metric (``accuracy``: 1 or 0,
``field_f1``: 0.67, ``safety.refusal_rate``: 1 on a harmful request that was refused); the
aggregates are computed from them (``ScorerResult.proportion`` / ``mean``), so every stored
number can be recomputed from stored samples and two variants can be compared item by item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Protocol, runtime_checkable

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.records import read_jsonl
from tunebench.harness.core.suites import Suite

if TYPE_CHECKING:
    from tunebench.harness.scorers.judge import Judge
    from tunebench.harness.scorers.refusals import Referee


@dataclass
class Score:
    """One scorer's verdict on one sample: a value in [0, 1] (or None: not applicable), why, and the
    sample's value for each aggregate metric it takes part in.

    ``details``: None for most scorers; a scorer whose verdict on a sample is structured instead
    (the LLM judge: metric -> {value, reason}) puts it there, and the sample keeps those details
    as the score (``record``).
    """

    value: float | None
    explanation: str
    values: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] | None = None

    def record(self) -> dict[str, Any]:
        """What a stored sample's ``scores`` keep of this score: value, explanation and values, or the
        ``details`` of a score that has them. Empty: nothing to keep (the judge did not reach the item)."""
        if self.details is not None:
            return dict(self.details)
        return {"value": self.value, "explanation": self.explanation, "values": self.values}


@dataclass
class ScorerResult:
    """A scorer's answer on one split: a ``Score`` per item (aligned with the items) and the metric rows."""

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


class VerdictCache(Protocol):
    """Where the judge keeps its verdicts between runs (the run's ``Store``), used through these two only."""

    def cached_values(self, keys: Iterable[str]) -> dict[str, Any]: ...

    def put_cached(self, kind: Any, rows: list[dict[str, Any]]) -> None: ...


@dataclass(frozen=True)
class ScoringContext:
    """Everything a scorer may need to score one split of one suite for one variant.

    Attributes:
        suite: the suite the items come from (task type, label fields, target field, policy, schema).
        split: the *source* suite split of the items: test, ood, safety, train or val. Perturbed
            copies of test items (test+typos, ...) have split "test"; policy rules select on it.
        items: the items scored, in order; every scorer's samples are aligned with them.
        outputs: the generated text per item, the answer cue already prepended where the prompt
            ends with one (never on the safety split, whose reply is read as written). None: the
            split is scored by choices only (no generation).
        chosen: the choice result per item (``orchestration/choices.py``: ``{"labels": {field:
            label}, ...}``); None when the split was not scored by choices.
        pii_hashes: SHA-256 hex digests of the PII values in the adapter's training data (the
            policy's no_pii rule names a repeat of one); empty for prompt variants.
        referee: the refusal detector's third tier (the LLM judge labelling the responses the
            classifier is unsure of); None: uncertain verdicts stay uncertain.
        judge: the experiment's LLM judge (ragas metrics); None when none is configured.
        cache: where the judge caches its verdicts (the run's ``Store``); None without a judge.
        prompts: the prompt each output was generated from, aligned with ``items`` (the refusal
            detector sets aside what a response repeats of its prompt); None where not known.
        judged: whether the LLM judge scores this split: the runner sets it for generation suites on
            the real test and ood splits only, never on training items or perturbed copies (judge
            calls cost money). Without a ``judge`` such a split gets the "skipped" row.
    """

    suite: Suite
    split: str
    items: list[dict[str, Any]]
    outputs: list[str] | None = None
    chosen: list[dict[str, Any]] | None = None
    pii_hashes: frozenset[str] = frozenset()
    referee: Referee | None = None
    judge: Judge | None = None
    cache: VerdictCache | None = None
    judged: bool = False
    prompts: list[str] | None = None

    def generated(self) -> list[str]:
        """The outputs, for scorers that read generated text; a ValueError on a split scored by choices only."""
        if self.outputs is None:
            raise ValueError(f"split {self.split!r} of {self.suite.name} has no generated outputs to score "
                             "(scored by choices only)")
        return self.outputs

    def choices(self) -> list[dict[str, Any]]:
        """The choice results, for the choices scorer; a ValueError on a split not scored by choices."""
        if self.chosen is None:
            raise ValueError(f"split {self.split!r} of {self.suite.name} was not scored by choices")
        return self.chosen


@runtime_checkable
class Scorer(Protocol):
    """A scorer: a name (the metric family it reports) and ``score``, which reads what it needs from
    the context and returns a sample per item and its metric rows."""

    name: str

    def score(self, ctx: ScoringContext) -> ScorerResult: ...


def shipped_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSONL data file shipped with tunebench (check sets, refusal training data).

    A bad line there is a broken install, not user input: raised (``BadInput`` naming the line).
    """
    records, problems = read_jsonl(path, "tunebench data file")
    if problems:
        raise BadInput(problems=problems)
    return [record for _, record in records]
