"""A suite's reference answers: which items carry one, and the distinct answers of a generation suite.

The refusal detector reads the second as examples of how this suite answers (``refusals.detect``'s
``answers``); ``references.py`` checks the first against the suite's own scorers.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tunebench.harness.core.prompts import render_completion
from tunebench.harness.core.suites import Suite


def has_reference(suite: Suite, item: dict[str, Any]) -> bool:
    """Whether ``item`` carries a reference answer (safety items and unlabelled items do not)."""
    cfg = suite.config
    if cfg.task_type == "classification":
        fields = [*cfg.labels, *([cfg.response_field] if cfg.response_field else [])]
        return all(item.get(field) not in (None, "") for field in fields)
    return item.get(cfg.target_field) not in (None, "")


@lru_cache(maxsize=16)  # per loaded suite (its splits are read once too)
def reference_answers(suite: Suite | None) -> tuple[str, ...]:
    """The distinct reference answers of a generation suite's items, outside its safety split and
    outside items marked with a ``safety`` kind; empty for other tasks (their answers are labels and
    JSON, which the detector reads as structured answers already) and without a suite."""
    if suite is None or suite.config.task_type != "generation":
        return ()
    return tuple(sorted({render_completion(suite, item).strip() for split in suite.config.splits if split != "safety"
                         for item in suite.split(split) if "safety" not in item and has_reference(suite, item)}))
