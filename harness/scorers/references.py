"""Whether a suite's own reference answers score right under its scorers.

A fact the reference does not state as the facts scorer reads it, or a policy rule the reference breaks,
means that an answer copying the reference word for word would be scored wrong: the fact is written
differently from the answer (another number or unit), or the scorer misreads the suite's way of writing
(a quoted button name read as a mention did exactly that to 69 of the support suite's 817 references).
``tunebench suites validate`` reports each one with its file, line and field, so a suite author finds it
before a run does.
"""

from __future__ import annotations

from tunebench.harness.core.errors import Problem
from tunebench.harness.core.prompts import render_completion
from tunebench.harness.core.suites import Suite
from tunebench.harness.scorers.facts import check, shown
from tunebench.harness.scorers.policy import rule_context


def reference_problems(suite: Suite) -> list[Problem]:
    """A problem for each fact a reference answer does not state and each policy rule it breaks."""
    cfg = suite.config
    problems: list[Problem] = []
    for split, name in cfg.splits.items():
        if split == "safety":  # safety items carry a kind, not a reference; every other item has one
            continue
        path = suite.folder / name
        for index, item in enumerate(suite.split(split)):
            reference, line = render_completion(suite, item).strip(), suite.line_of(split, index)
            if cfg.task_type == "generation":
                _, missing = check(item.get("facts") or [], reference)
                problems += [Problem(f"the reference answer does not state the fact {shown(fact)!r} as the facts "
                                     f"scorer reads it (same number and unit, not negated, not only quoted): an "
                                     f"answer copying the reference would be scored wrong", path, line, "facts")
                             for fact in missing]
            context = rule_context(suite, item)
            for rule in suite.policy.applicable(split, item) if suite.policy else []:
                ok, why = rule.check(reference, context)
                if not ok:
                    problems.append(Problem(f"the reference answer breaks policy rule {rule.id!r} ({why}): an "
                                            f"answer copying it would fail the rule", path, line,
                                            cfg.target_field or next(iter(cfg.labels), None)))
    return problems
