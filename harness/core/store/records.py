"""Typed rows of the results store, as readers use them (the report's tables read DataFrames).

``Scope`` says where one write's results belong; ``StoredMetric`` is a ``MetricRow`` with its
scope; ``RunRecord``, ``SuiteRecord`` and ``AdapterRecord`` are a run's provenance with their
JSON already decoded. Samples are ``tunebench.harness.core.sample.Sample``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tunebench.harness.core.metrics import MetricRow


@dataclass(frozen=True)
class Scope:
    """Where results belong: a (variant, suite) and one split (perturbed copy or not), or a group.

    ``group`` is '' for the metrics of one split and names an aggregate across splits otherwise
    (overfitting, robustness, guard, probe), whose ``split`` is ''."""

    variant: str
    suite: str
    split: str = ""
    perturbation: str = ""
    group: str = ""

    def key(self) -> dict[str, str]:
        """The store columns that locate rows of this scope."""
        return {"variant": self.variant, "suite": self.suite, "split": self.split,
                "perturbation": self.perturbation, "metric_group": self.group}


@dataclass(frozen=True)
class StoredMetric:
    """One aggregate as stored: its scope and the ``MetricRow``."""

    scope: Scope
    row: MetricRow

    @classmethod
    def from_row(cls, r: Any) -> StoredMetric:
        def number(value: Any) -> float | None:
            return None if value is None or value != value else float(value)

        scope = Scope(r["variant"], r["suite"], r["split"], r["perturbation"], r["metric_group"])
        return cls(scope, MetricRow(r["metric"], number(r["value"]), int(r["n"] or 0), r["explanation"] or "",
                                    number(r["ci_low"]), number(r["ci_high"])))


@dataclass(frozen=True)
class RunRecord:
    """One run: what was asked (``spec``), on what (``provenance``), how it went and how long each stage took."""

    run_id: str
    experiment: str
    status: str
    started_at: str
    finished_at: str | None = None
    spec: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    stages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def variants(self) -> list[str]:
        """The experiment's variant names, in the order it lists them."""
        return [v["name"] for v in self.spec.get("variants", [])]

    @property
    def variant_kinds(self) -> dict[str, str]:
        """Variant name -> prompt | adapter."""
        return {v["name"]: v["kind"] for v in self.spec.get("variants", [])}

    @property
    def baseline(self) -> str | None:
        """The variant the experiment names as baseline (default: its first variant)."""
        names = self.variants
        return self.spec.get("baseline") or (names[0] if names else None)

    @classmethod
    def from_row(cls, r: Any) -> RunRecord:
        return cls(r["run_id"], r["experiment"], r["status"], r["started_at"], r["finished_at"],
                   r["spec_json"] or {}, r["provenance_json"] or {}, r["stages_json"] or [])


@dataclass(frozen=True)
class SuiteRecord:
    """A suite a run evaluated: its folder, the content hash of its files and its task type."""

    suite: str
    folder: str
    sha256: str
    files: dict[str, str] = field(default_factory=dict)
    task_type: str | None = None

    @classmethod
    def from_row(cls, r: Any) -> SuiteRecord:
        return cls(r["suite"], r["folder"], r["sha256"], r["files_json"] or {}, r["task_type"])

    def to_row(self) -> dict[str, Any]:
        return {"suite": self.suite, "folder": self.folder, "sha256": self.sha256, "files_json": self.files,
                "task_type": self.task_type}


@dataclass(frozen=True)
class AdapterRecord:
    """An adapter a run evaluated: its folder, the content hash of its weights and its provenance."""

    variant: str
    folder: str
    sha256: str
    provenance: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, r: Any) -> AdapterRecord:
        return cls(r["variant"], r["folder"], r["sha256"], r["provenance_json"] or {})

    def to_row(self) -> dict[str, Any]:
        return {"variant": self.variant, "folder": self.folder, "sha256": self.sha256,
                "provenance_json": self.provenance}
