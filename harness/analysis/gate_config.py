"""The gate file: its checks (metric, split, rule, margin of interest, floor) and its settings (alpha,
``on_inconclusive``, ``require_same_suites``), read with every problem located by file, line and field.
The rules themselves are in ``tunebench.harness.analysis.gate``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from tunebench.harness.analysis.pairing import PERTURBED
from tunebench.harness.core.errors import BadInput, Problems, did_you_mean
from tunebench.harness.core.metric_table import DEFAULT_GATE, margin_of_interest
from tunebench.harness.core.policy import SPLIT_NAMES
from tunebench.harness.core.yamlio import line_of, load_yaml, validate

Rule = Literal["no_regression", "non_inferior", "proven_non_inferior", "floor"]
PASS, FAIL, INCONCLUSIVE, WARN, SKIPPED = "pass", "fail", "inconclusive", "warn", "skipped"


class GateCheck(BaseModel):
    """One gated metric."""

    model_config = ConfigDict(extra="forbid")
    metric: str = Field(description="A stored per-sample metric: accuracy, policy.prompt_level, "
                                    "safety.refusal_rate, field_f1, policy.rule.<id>, ...")
    split: str = Field("test", description="Split the metric is read on (perturbed = every perturbed copy).")
    rule: Rule = "no_regression"
    margin: float | None = Field(None, gt=0.0, le=1.0, description="The drop that matters, in the metric's units "
                                 "(0.05 = 5 points); default: the metric's margin of interest.")
    floor: float | None = Field(None, ge=0.0, le=1.0, description="rule floor: the rate the candidate must keep "
                                "(at least, or at most for lower-is-better rates).")
    suites: list[str] | None = Field(None, description="Suites to gate (default: every suite either side has; "
                                      "one a side lacks fails: missing evidence is not a pass).")

    @property
    def drop_that_matters(self) -> float:
        return self.margin if self.margin is not None else margin_of_interest(self.metric)

    @property
    def name(self) -> str:
        return f"{self.split} {self.metric}" + (" floor" if self.rule == "floor" else "")


# The metric table's default checks (harness.core.metric_table), in its order.
DEFAULT_CHECKS = [GateCheck(metric=metric, split=default.split, rule=default.rule, margin=default.margin or None,
                            floor=default.floor) for metric, default in DEFAULT_GATE]


class GateConfig(BaseModel):
    """The content of a gate file (``--config gate.yaml``)."""

    model_config = ConfigDict(extra="forbid")
    alpha: float = Field(0.05, gt=0.0, lt=0.5, description="Family-wise false-alarm rate of the whole gate.")
    checks: list[GateCheck] = Field(default_factory=lambda: list(DEFAULT_CHECKS), min_length=1)
    require_same_suites: bool = Field(True, description="Fail a suite whose files differ between the two runs.")
    on_inconclusive: Literal["fail", "warn"] = Field("fail", description="What an inconclusive check does to "
                                                     "the gate: fail it (default) or only warn.")
    _source: tuple[Path | None, Any] = PrivateAttr((None, None))

    def bad_input(self, message: str, *loc: str | int) -> BadInput:
        path, node = self._source
        return BadInput(message, file=path, line=line_of(node, loc) if node is not None else None,
                        field=".".join(map(str, loc)))


def load_gate(path: Path | None) -> GateConfig:
    if path is None:
        return GateConfig()
    data, node = load_yaml(path)
    config = validate(GateConfig, data, node, path)
    config._source = (path, node)
    problems = Problems()
    for index, check in enumerate(config.checks):
        if check.split not in (*SPLIT_NAMES, PERTURBED):
            problems.extend(config.bad_input(f"unknown split {check.split!r}"
                                             f"{did_you_mean(check.split, (*SPLIT_NAMES, PERTURBED))}", "checks",
                                             index, "split"))
        if (check.rule == "floor") != (check.floor is not None):
            problems.extend(config.bad_input("rule floor takes a floor (e.g. floor: 0.9), and floor needs rule: floor",
                                             "checks", index, "floor" if check.floor is not None else "rule"))
    problems.raise_if_any()
    return config
