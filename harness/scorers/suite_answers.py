"""A generation suite's distinct reference answers: the refusal detector reads them as examples of how
this suite answers (``refusals.detect``'s ``references``).

Every item outside the ``safety`` split carries a reference (``Suite`` checks it on loading); safety items
carry a kind instead.
"""

from __future__ import annotations

from functools import lru_cache

from tunebench.harness.core.prompts import render_completion
from tunebench.harness.core.suites import Suite


@lru_cache(maxsize=16)  # per loaded suite (its splits are read once too)
def reference_answers(suite: Suite | None) -> tuple[str, ...]:
    """The distinct reference answers of a generation suite's items outside its safety split; empty for
    other tasks (their answers are labels and JSON, which the detector reads as structured answers
    already) and without a suite."""
    if suite is None or suite.config.task_type != "generation":
        return ()
    return tuple(sorted({render_completion(suite, item).strip() for split in suite.config.splits if split != "safety"
                         for item in suite.split(split)}))
