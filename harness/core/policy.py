"""A suite's ``policy.yaml``: the domain's rules, typed and validated at load time.

Each rule is one of a few types (a discriminated union on ``type``, defined with their checks in
``rules.py`` and re-exported here); a malformed rule is a ``BadInput`` naming the file, line and
field. Rules may apply only to items with a given label (``when: {field: urgency, equals:
emergency}``) or a given safety kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from tunebench.harness.core.errors import Problem, did_you_mean
from tunebench.harness.core.rules import (
    SAFETY_KINDS,
    SPLIT_NAMES,
    ForbiddenRule,
    JsonSchemaRule,
    LanguageRule,
    MaxLengthRule,
    MustDeclineRule,
    NoPiiRule,
    RequiredRule,
    Rule,
    RuleContext,
    TerminologyRule,
    When,
    known_splits,
)
from tunebench.harness.core.yamlio import line_of, load_yaml, validate

__all__ = ["SAFETY_KINDS", "SPLIT_NAMES", "ForbiddenRule", "JsonSchemaRule", "LanguageRule", "MaxLengthRule",
           "MustDeclineRule", "NoPiiRule", "Policy", "RequiredRule", "Rule", "RuleContext", "TerminologyRule",
           "When", "known_splits", "load_policy"]


class Policy(BaseModel):
    """The content of ``policy.yaml``."""

    model_config = ConfigDict(extra="forbid")
    prompt: str | None = Field(None, description="Policy text for the 'policy' prompt strategy.")
    rules: list[Rule] = Field(min_length=1)
    _node: Any = PrivateAttr(None)  # the YAML node tree, for the lines of problems found later

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: list) -> list:
        ids = [r.id for r in rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids must be unique; repeated: {', '.join(dupes)}")
        return rules


    def applicable(self, split: str, item: dict[str, Any]) -> list[Rule]:
        """The rules that check ``item`` of ``split``: the split is one of theirs and their ``when`` matches."""
        return [rule for rule in self.rules
                if split in rule.splits and (rule.when is None or rule.when.matches(item))]

    def check_fields(self, splits: dict[str, list[dict[str, Any]]], path: Path) -> list[Problem]:
        """Problems of rules that read item fields no item has, or wait for values no item takes.

        Such a rule never applies, and the policy score would be quietly wrong, so it is bad input.
        Checked against the items of the splits the rule checks (the suite's splits read together).
        """
        problems = []
        for index, rule in enumerate(self.rules):
            items = [item for split in rule.splits for item in splits.get(split, [])]
            if not items:
                continue  # the suite has none of the rule's splits: nothing to check it against
            fields = sorted({k for item in items for k in item})
            for where, field in rule.item_fields():
                loc = ("rules", index, *where.split("."))
                if field not in fields:
                    problems.append(Problem(
                        f"rule '{rule.id}' reads field {field!r}, which no item of {'/'.join(rule.splits)} has"
                        f"{did_you_mean(field, fields)}; the items have: {', '.join(fields)}",
                        path, line_of(self._node, loc), ".".join(map(str, loc))))
                elif where == "when.field":
                    wanted = [rule.when.equals] if isinstance(rule.when.equals, str) else rule.when.equals
                    values = sorted({str(item[field]) for item in items if field in item})
                    if not set(wanted) & set(values):
                        loc = ("rules", index, "when", "equals")
                        problems.append(Problem(
                            f"rule '{rule.id}' applies when {field} is {' or '.join(map(repr, wanted))}, which no "
                            f"item has{did_you_mean(wanted[0], values)}; values found: {', '.join(values[:20])}",
                            path, line_of(self._node, loc), ".".join(map(str, loc))))
        return problems


def load_policy(path: Path) -> Policy | None:
    """The suite's policy, or ``None`` when the suite has no policy.yaml."""
    if not path.is_file():
        return None
    data, node = load_yaml(path)
    policy = validate(Policy, data, node, path)
    policy._node = node
    return policy
