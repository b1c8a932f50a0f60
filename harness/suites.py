"""Load and validate a suite folder: ``suite.yaml`` plus JSONL splits.

A suite is found by name among the built-in ones (the ``suites`` package shipped with tunebench)
or by path to any folder a user points at. Every problem is reported with file, line and field.
"""

from __future__ import annotations

from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.errors import BadInput
from harness.jsonl import iter_records
from harness.policy import load_policy
from harness.yamlio import load_yaml, validate

SPLIT_NAMES = ("train", "val", "test", "ood", "safety")
SAFETY_KINDS = ("harmful", "benign", "injection")


class PromptSettings(BaseModel):
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
    max_new_tokens: int = Field(16, ge=1, le=512)
    splits: dict[str, str] = Field(description="Split name -> JSONL file in the suite folder.")

    @model_validator(mode="after")
    def _check(self) -> SuiteConfig:
        unknown = sorted(set(self.splits) - set(SPLIT_NAMES))
        if unknown:
            raise ValueError(f"unknown split(s) {unknown}; valid: {', '.join(SPLIT_NAMES)}")
        if "test" not in self.splits:
            raise ValueError("a suite needs at least a 'test' split")
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


class Suite:
    """A loaded suite: its config, folder, and lazily read splits."""

    def __init__(self, config: SuiteConfig, folder: Path):
        self.config, self.folder = config, folder
        # A malformed policy rule is a validation error at load time, not in the middle of a run.
        self.policy = load_policy(folder / "policy.yaml")

    @property
    def name(self) -> str:
        return self.config.name

    def has_split(self, split: str) -> bool:
        return split in self.config.splits

    def split(self, split: str) -> list[dict[str, Any]]:
        """Items of ``split``, validated; ``BadInput`` names the file and line of a bad item."""
        if split not in self.config.splits:
            raise BadInput(f"suite '{self.name}' has no split '{split}'; it has: "
                           f"{', '.join(self.config.splits)}", file=self.folder / "suite.yaml", field="splits")
        return self._splits[split]

    @cached_property
    def _splits(self) -> dict[str, list[dict[str, Any]]]:
        return {name: self._read_split(self.folder / fname, name) for name, fname in self.config.splits.items()}

    def subset(self, split: str, n: int | None) -> list[dict[str, Any]]:
        """At most ``n`` items of ``split``, the same ones on every run, in file order.

        Stratified round-robin over the safety kind (safety split) or the first label field
        (classification), so a limited run still sees every kind and label: safety files are often
        sorted by kind, and the first N items would then be harmful requests only.
        """
        items = self.split(split)
        if n is None or n >= len(items):
            return items
        key = "safety" if split == "safety" else next(iter(self.config.labels), None)
        groups: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            groups.setdefault(str(item.get(key)) if key else "", []).append(index)
        chosen: list[int] = []
        queues = list(groups.values())
        while len(chosen) < n:
            for queue in queues:
                if queue and len(chosen) < n:
                    chosen.append(queue.pop(0))
        return [items[i] for i in sorted(chosen)]

    @property
    def _json_fields(self) -> tuple[str, ...]:
        """Fields holding JSON values (a CSV cell is text: these cells are parsed as JSON)."""
        target = (self.config.target_field,) if self.config.task_type == "extraction" else ()
        return (*target, "translation")

    def _read_split(self, path: Path, split: str) -> list[dict[str, Any]]:
        items, ids = [], set()
        for lineno, item in iter_records(path, "split file", self._json_fields):
            self._check_item(item, path, lineno, split)
            if item["id"] in ids:
                raise BadInput(f"duplicate id {item['id']!r}", file=path, line=lineno, field="id")
            ids.add(item["id"])
            items.append(item)
        if not items:
            raise BadInput("split is empty", file=path)
        return items

    def _check_item(self, item: dict, path: Path, lineno: int, split: str) -> None:
        cfg = self.config
        if "id" not in item:
            raise BadInput("missing field", file=path, line=lineno, field="id")
        item["id"] = str(item["id"])
        text = item.get(cfg.input_field)
        if not isinstance(text, str) or not text.strip():
            raise BadInput("missing or empty input text", file=path, line=lineno, field=cfg.input_field)
        if "translation" in item:
            self._check_translation(item, path, lineno)
        if split == "safety":  # red-team and benign-sensitive prompts carry a kind, not a target
            if item.get("safety") not in SAFETY_KINDS:
                raise BadInput(f"safety kind must be one of: {', '.join(SAFETY_KINDS)} (got {item.get('safety')!r})",
                               file=path, line=lineno, field="safety")
            if item["safety"] == "injection" and not item.get("injection_marker"):
                raise BadInput("an injection item needs the marker that shows the planted instruction was "
                               "followed", file=path, line=lineno, field="injection_marker")
            return
        for field, values in cfg.labels.items():
            if field not in item:
                raise BadInput("missing label", file=path, line=lineno, field=field)
            if item[field] not in values:
                raise BadInput(f"label {item[field]!r} is not in the label set: {', '.join(values)}",
                               file=path, line=lineno, field=field)
        if cfg.response_field:
            response = item.get(cfg.response_field)
            if not isinstance(response, str) or not response.strip():
                raise BadInput("missing or empty response line", file=path, line=lineno, field=cfg.response_field)
        if cfg.task_type == "generation":
            target = item.get(cfg.target_field)
            if not isinstance(target, str) or not target.strip():
                raise BadInput("missing or empty reference answer", file=path, line=lineno, field=cfg.target_field)
        elif cfg.task_type == "extraction":
            from jsonschema import Draft202012Validator

            errors = list(Draft202012Validator(cfg.json_schema).iter_errors(item.get(cfg.target_field)))
            if errors:
                raise BadInput(f"target does not match json_schema: {errors[0].message}", file=path,
                               line=lineno, field=cfg.target_field)


    def _check_translation(self, item: dict, path: Path, lineno: int) -> None:
        """``translation``: the item in the suite's other language, for the language-switch perturbation.

        An object of replacement values for the item's own text fields (input, reference answer,
        response, a ``lang`` field the language rule reads, ...).
        """
        translation = item["translation"]
        if not isinstance(translation, dict) or not translation:
            raise BadInput("translation must be a non-empty object of field -> text in the other language",
                           file=path, line=lineno, field="translation")
        for key, value in translation.items():
            if key in ("id", "translation") or key not in item:
                raise BadInput(f"translation replaces a field the item has (not {key!r}); the item has: "
                               f"{', '.join(k for k in item if k not in ('id', 'translation'))}",
                               file=path, line=lineno, field=f"translation.{key}")
            if not isinstance(value, str) or not value.strip():
                raise BadInput("translated text must be a non-empty string", file=path, line=lineno,
                               field=f"translation.{key}")


def builtin_suites_dir() -> Path:
    """Folder of the suites shipped with tunebench (works from a checkout and an installed wheel)."""
    return Path(str(resources.files("suites")))


def list_builtin() -> list[str]:
    return sorted(p.parent.name for p in builtin_suites_dir().glob("*/suite.yaml"))


def load_suite(ref: str | Path) -> Suite:
    """Load a suite by built-in name or by folder path."""
    folder = Path(ref)
    if not (folder / "suite.yaml").is_file():
        builtin = builtin_suites_dir() / str(ref)
        if (builtin / "suite.yaml").is_file():
            folder = builtin
        elif folder.is_dir():
            raise BadInput("suite folder has no suite.yaml", file=folder / "suite.yaml")
        else:
            raise BadInput(f"unknown suite '{ref}': not a folder with suite.yaml, nor a built-in suite "
                           f"(built-in: {', '.join(list_builtin())})")
    path = folder / "suite.yaml"
    data, node = load_yaml(path)
    return Suite(validate(SuiteConfig, data, node, path), folder.resolve())
