"""The content of a suite's ``suite.yaml``, typed: what the suite asks, how items look, how it is scored.

Validated once, at load time (``tunebench.harness.core.suites.load_suite`` reads the file and reports every
problem with file, line and field); inner code trusts a ``SuiteConfig``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tunebench.harness.core.errors import did_you_mean
from tunebench.harness.core.policy import SPLIT_NAMES


class PromptSettings(BaseModel):
    """The ``prompts`` block of ``suite.yaml``: settings of the prompt strategies for this suite."""

    model_config = ConfigDict(extra="forbid")
    few_shot_k: int = Field(4, ge=1, description="Examples shown by the few-shot strategy.")


class SuiteConfig(BaseModel):
    """The content of ``suite.yaml``."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    language: str = "en"
    task_type: Literal["classification", "generation", "extraction"]
    input_field: str
    input_label: str = Field("Input", description="Shown before the input in every prompt.")
    context_field: str | None = Field(None, description="Optional per-item context (e.g. a knowledge-base "
                                      "excerpt), rendered before the input.")
    context_label: str = "Context"
    cluster_field: str | None = Field(None, description="Items sharing this field's value come from one source (a "
                                      "template, a document, a customer): paired comparisons count them as one "
                                      "cluster (clustered standard errors).")
    labels: dict[str, list[str]] = Field({}, description="classification: target field -> its label set.")
    target_field: str | None = Field(None, description="generation: the reference answer; extraction: "
                                     "the JSON object to extract.")
    output_label: str = Field("Answer", description="generation/extraction: the prompt ends with '<label>:'.")
    json_schema: dict[str, Any] | None = Field(None, description="extraction: JSON schema of the target.")
    response_field: str | None = Field(None, description="classification: an optional free-text line after the "
                                       "labels (e.g. the advice given with an urgency level); policy rules check "
                                       "it, accuracy does not.")
    response_label: str = Field("Response", description="Shown before the response line.")
    instruction: str
    prompts: PromptSettings = PromptSettings()
    scoring: Literal["generate", "choices", "both"] | None = Field(
        None, description="classification: how to score it (default: the experiment's scoring).")
    max_new_tokens: int = Field(16, ge=1, le=512)
    splits: dict[str, str] = Field(description="Split name -> JSONL file in the suite folder.")

    @field_validator("splits")
    @classmethod
    def _known_splits(cls, splits: dict[str, str]) -> dict[str, str]:
        for name, fname in splits.items():
            if name not in SPLIT_NAMES:
                raise ValueError(f"unknown split {name!r}{did_you_mean(name, SPLIT_NAMES)}; valid: {', '.join(SPLIT_NAMES)}")
            if Path(fname).is_absolute() or ".." in Path(fname).parts:
                raise ValueError(f"split file {fname!r} must be a file name inside the suite folder")
            if Path(fname).suffix.lower() not in (".jsonl", ".csv"):
                raise ValueError(f"split file {fname!r}: tunebench reads .jsonl or .csv files")
        if "test" not in splits:
            raise ValueError("a suite needs at least a 'test' split")
        return splits

    @field_validator("labels")
    @classmethod
    def _labels_once(cls, labels: dict[str, list[str]]) -> dict[str, list[str]]:
        for field, values in labels.items():
            twice = sorted({v for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(f"label set of '{field}' lists {', '.join(map(repr, twice))} more than once; "
                                 "each label once (a repeated label would be scored as two choices)")
        return labels

    @model_validator(mode="after")
    def _check(self) -> SuiteConfig:
        for field, values in self.labels.items():
            if not values:
                raise ValueError(f"label set of '{field}' is empty")
        if self.task_type == "classification" and not self.labels:
            raise ValueError("a classification suite needs 'labels' (target field -> label set)")
        if self.response_field and self.task_type != "classification":
            raise ValueError("'response_field' is only valid for classification suites")
        if self.task_type != "classification" and not self.target_field:
            raise ValueError(f"a {self.task_type} suite needs 'target_field'")
        if self.task_type == "extraction":
            if not self.json_schema:
                raise ValueError("an extraction suite needs 'json_schema'")
            from jsonschema import Draft202012Validator
            from jsonschema.exceptions import SchemaError

            try:
                Draft202012Validator.check_schema(self.json_schema)
            except SchemaError as exc:
                raise ValueError(f"json_schema is not a valid JSON schema: {exc.message}") from None
        return self
