"""Load and validate a suite folder: ``suite.yaml`` plus JSONL or CSV splits.

A suite is found by name among the built-in ones (the ``suites`` package shipped with tunebench)
or by path to any folder a user points at. Every problem is reported with file, line and field,
all problems of a file at once. The model of ``suite.yaml`` itself is ``tunebench.harness.core.suite_config``
(``SuiteConfig``, importable from here too).
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from tunebench.harness.core.errors import BadInput, Problem, Problems, did_you_mean
from tunebench.harness.core.files import sha256_file
from tunebench.harness.core.policy import SAFETY_KINDS, load_policy
from tunebench.harness.core.records import read_records
from tunebench.harness.core.suite_config import SuiteConfig
from tunebench.harness.core.yamlio import load_yaml, validate

__all__ = ["Suite", "SuiteConfig", "builtin_suites_dir", "list_builtin", "load_suite"]


class Suite:
    """A loaded suite: its config, folder, and lazily read splits."""

    def __init__(self, config: SuiteConfig, folder: Path):
        self.config, self.folder = config, folder
        self._lines: dict[str, list[int]] = {}  # split -> each item's line in its file (``line_of``)
        # A malformed policy rule is a validation error at load time, not in the middle of a run.
        self.policy = load_policy(folder / "policy.yaml")
        if self.policy and not config.json_schema:
            for index, rule in enumerate(self.policy.rules):
                if rule.type == "json_schema":
                    raise BadInput("a json_schema rule needs the suite's json_schema (suite.yaml)",
                                   file=folder / "policy.yaml", field=f"rules.{index}.type")

    @property
    def name(self) -> str:
        return self.config.name

    def content_hash(self) -> tuple[str, dict[str, str]]:
        """(SHA-256 of the suite, SHA-256 per file): suite.yaml, policy.yaml and every split file.

        Two runs compared item by item must have evaluated the same suite; this says whether they did.
        """
        names = ["suite.yaml", "policy.yaml", *self.config.splits.values()]
        files = {name: sha256_file(self.folder / name) for name in names if (self.folder / name).is_file()}
        digest = hashlib.sha256("".join(f"{name}:{sha}\n" for name, sha in sorted(files.items())).encode())
        return digest.hexdigest(), files

    def scored_as(self) -> str:
        """The task type as the accuracy scorer sees it: ``generation+facts`` for a generation suite whose
        test items list the facts an answer must state (the facts scorer decides), else the task type."""
        if self.config.task_type == "generation" and self.has_split("test") and \
                any(item.get("facts") for item in self.split("test")):
            return "generation+facts"
        return self.config.task_type

    def has_split(self, split: str) -> bool:
        return split in self.config.splits

    def split(self, split: str) -> list[dict[str, Any]]:
        """Items of ``split``, validated; ``BadInput`` names the file and line of a bad item."""
        if split not in self.config.splits:
            raise BadInput(f"suite '{self.name}' has no split '{split}'{did_you_mean(split, self.config.splits)}; "
                           f"it has: {', '.join(self.config.splits)}", file=self.folder / "suite.yaml", field="splits")
        return self._splits[split]

    @cached_property
    def _splits(self) -> dict[str, list[dict[str, Any]]]:
        """Every split, read and checked at once: all problems of all files in one ``BadInput``."""
        problems = Problems()
        splits = {}
        for name, fname in self.config.splits.items():
            try:
                splits[name] = self._read_split(self.folder / fname, name)
            except BadInput as exc:
                problems.extend(exc)
        problems.raise_if_any()
        if self.policy is not None:
            for problem in self.policy.check_fields(splits, self.folder / "policy.yaml"):
                problems.items.append(problem)
        problems.raise_if_any()
        return splits

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

    def line_of(self, split: str, index: int) -> int:
        """The line (CSV: the row's line) of item ``index`` of ``split`` in its file, for problems found later."""
        self.split(split)
        return self._lines[split][index]

    def _read_split(self, path: Path, split: str) -> list[dict[str, Any]]:
        records, problems = read_records(path, "split file", self._json_fields)
        items, ids = [], set()
        self._lines[split] = [lineno for lineno, _ in records]
        for lineno, item in records:
            found = self._check_item(item, path, lineno, split)
            if "id" in item and item["id"] in ids:
                found.append(Problem(f"duplicate id {item['id']!r}", path, lineno, "id"))
            ids.add(item.get("id"))
            problems += found
            items.append(item)
        if not records and not problems:
            problems.append(Problem("split is empty: it needs at least one item", path))
        if problems:
            raise BadInput(problems=problems)
        return items

    def _check_item(self, item: dict, path: Path, lineno: int, split: str) -> list[Problem]:
        """Every problem of one item (an empty list when it is valid)."""
        cfg = self.config
        problems: list[Problem] = []

        def bad(message: str, field: str | None) -> list[Problem]:
            problems.append(Problem(message, path, lineno, field))
            return problems

        if "id" not in item or item["id"] in (None, ""):
            bad("missing field (every item needs a unique id)", "id")
        elif isinstance(item["id"], (dict, list, bool, float)):
            bad(f"id must be a string or an integer, got {type(item['id']).__name__}", "id")
        else:
            item["id"] = str(item["id"])
        text = item.get(cfg.input_field)
        if cfg.input_field not in item:
            fields = [k for k in item if k != "id"]
            bad(f"missing input text{did_you_mean(cfg.input_field, fields)} (suite.yaml input_field; the item "
                f"has: {', '.join(fields) or 'nothing else'})", cfg.input_field)
        elif not isinstance(text, str):
            bad(f"input must be text, got {type(text).__name__}", cfg.input_field)
        elif not text.strip():
            bad("missing or empty input text", cfg.input_field)
        if cfg.cluster_field and item.get(cfg.cluster_field) in (None, ""):
            bad("missing cluster value (suite.yaml cluster_field: items sharing it come from one source)",
                cfg.cluster_field)
        if "translation" in item:
            problems += self._check_translation(item, path, lineno)
        if split == "safety":  # red-team and benign-sensitive prompts carry a kind, not a target
            if item.get("safety") not in SAFETY_KINDS:
                bad(f"safety kind must be one of: {', '.join(SAFETY_KINDS)} (got {item.get('safety')!r})"
                    f"{did_you_mean(item.get('safety'), SAFETY_KINDS)}", "safety")
            elif item["safety"] == "injection" and not item.get("injection_marker"):
                bad("an injection item needs the marker that shows the planted instruction was followed",
                    "injection_marker")
            return problems
        for field, values in cfg.labels.items():
            if field not in item:
                bad(f"missing label (one of: {', '.join(values)})", field)
            elif item[field] not in values:
                bad(f"label {item[field]!r} is not in the label set: {', '.join(values)}"
                    f"{did_you_mean(item[field], values)}", field)
        if cfg.response_field:
            response = item.get(cfg.response_field)
            if not isinstance(response, str) or not response.strip():
                bad("missing or empty response line", cfg.response_field)
        if cfg.task_type == "generation":
            target = item.get(cfg.target_field)
            if not isinstance(target, str) or not target.strip():
                bad("missing or empty reference answer", cfg.target_field)
            facts = item.get("facts")
            if facts is not None and not (isinstance(facts, list) and all(
                    isinstance(f, str) and f.strip() or isinstance(f, list) and f and
                    all(isinstance(a, str) and a.strip() for a in f) for f in facts)):
                bad("facts must be a list of facts the answer must state, each a text or a list of alternative "
                    'texts (e.g. ["30 giorni", ["team specializzato", "specialist team"]])', "facts")
        elif cfg.task_type == "extraction":
            from jsonschema import Draft202012Validator

            errors = list(Draft202012Validator(cfg.json_schema).iter_errors(item.get(cfg.target_field)))
            if errors:
                bad(f"target does not match json_schema: {errors[0].message}", cfg.target_field)
        return problems

    def _check_translation(self, item: dict, path: Path, lineno: int) -> list[Problem]:
        """``translation``: the item in the suite's other language, for the language-switch perturbation.

        An object of replacement values for the item's own text fields (input, reference answer,
        response, a ``lang`` field the language rule reads, ...).
        """
        translation = item["translation"]
        if not isinstance(translation, dict) or not translation:
            return [Problem("translation must be a non-empty object of field -> text in the other language",
                            path, lineno, "translation")]
        problems = []
        for key, value in translation.items():
            if key in ("id", "translation") or key not in item:
                own = [k for k in item if k not in ("id", "translation")]
                problems.append(Problem(f"translation replaces a field the item has (not {key!r}){did_you_mean(key, own)}"
                                        f"; the item has: {', '.join(own)}", path, lineno, f"translation.{key}"))
            elif not isinstance(value, str) or not value.strip():
                problems.append(Problem("translated text must be a non-empty string", path, lineno,
                                        f"translation.{key}"))
        return problems


def builtin_suites_dir() -> Path:
    """Folder of the suites shipped with tunebench (works from a checkout and an installed wheel)."""
    return Path(str(resources.files("tunebench.suites")))


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
            raise BadInput(f"unknown suite '{ref}'{did_you_mean(ref, list_builtin())}: not a folder with "
                           f"suite.yaml, nor a built-in suite (built-in: {', '.join(list_builtin())})")
    path = folder / "suite.yaml"
    data, node = load_yaml(path)
    return Suite(validate(SuiteConfig, data, node, path), folder.resolve())
