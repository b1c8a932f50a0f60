"""One evaluated sample: ``Sample``, the shape an item has from scoring to the paired test.

A sample is one (variant, suite, split, item) generation (or choice) with its scores, as the
design's words define it. It is built once, by the scoring step, stored as one row of the
``samples`` table (``to_row`` / ``from_row`` are the only conversions) and read back as itself by
compare, gate, decision, audit and the report, so no reader re-parses JSON or digs the item's
cluster out of its target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Sample:
    """One (variant, suite, split, item) of a run, scored.

    Attributes:
        variant: the variant that produced the output (a prompt strategy or an adapter).
        suite: the suite the item belongs to.
        split: the suite split the item comes from (train, val, test, ood, safety): never a
            perturbed copy or a metric group.
        item_id: the item's ``id`` in its split file.
        perturbation: '' for the item as written; the robustness perturbation (typos, casing,
            noise, language) for a perturbed copy of a test item.
        cache_key: the content hash of the cached generation (or choice) the sample was scored from:
            the link to its prompt, output, latency and token counts.
        target: what the scorers compared the output with: the item's label fields, its target
            field and its safety kind (fields the item lacks are absent).
        cluster: the item's cluster (``cluster_field`` of the suite, e.g. the conversation it comes
            from); items of one cluster are not independent evidence. None: its own cluster.
        correct: whether the headline scorer counted the sample right.
        explanation: why, in words (the headline scorer's).
        scores: each scorer's verdict on the sample: scorer name -> {value, explanation, values}.
        values: the sample's share of each aggregate metric (``accuracy``: 1 or 0, ``field_f1``:
            0.67, ``safety.refusal_rate``: 1 on a refused harmful request): what paired tests use.
    """

    variant: str
    suite: str
    split: str
    item_id: str
    cache_key: str
    target: dict[str, Any] = field(default_factory=dict)
    correct: bool = False
    explanation: str = ""
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    values: dict[str, float] = field(default_factory=dict)
    cluster: str | None = None
    perturbation: str = ""

    @property
    def pair_key(self) -> tuple[str, str, str, str]:
        """What pairs two variants' samples: the same item of the same suite, split and perturbation."""
        return self.suite, self.split, self.perturbation, self.item_id

    def to_row(self) -> dict[str, Any]:
        """The ``samples`` table's columns (run_id apart: the store adds it)."""
        return {"variant": self.variant, "suite": self.suite, "split": self.split, "perturbation": self.perturbation,
                "item_id": self.item_id, "cache_key": self.cache_key, "target_json": self.target,
                "cluster": self.cluster, "correct": int(self.correct), "explanation": self.explanation,
                "scores_json": self.scores, "values_json": self.values}

    @classmethod
    def from_row(cls, row: Any) -> Sample:
        """A sample from a stored row (a mapping with the ``samples`` columns; JSON columns decoded)."""
        return cls(variant=row["variant"], suite=row["suite"], split=row["split"], item_id=row["item_id"],
                   cache_key=row["cache_key"], target=row["target_json"] or {}, correct=bool(row["correct"]),
                   explanation=row["explanation"] or "", scores=row["scores_json"] or {},
                   values=row["values_json"] or {}, cluster=row["cluster"], perturbation=row["perturbation"] or "")
