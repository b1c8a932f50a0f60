"""A suite's ``policy.yaml``: the domain's rules, typed and validated at load time.

Each rule is one of a few types (a discriminated union on ``type``); a malformed rule is a
``BadInput`` naming the file, line and field. Rules may apply only to items with a given label
(``when: {field: urgency, equals: emergency}``) or a given safety kind.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from harness.core.errors import Problem, did_you_mean
from harness.core.yamlio import line_of, load_yaml, validate

SPLIT_NAMES = ("train", "val", "test", "ood", "safety")


def known_splits(splits: list[str]) -> list[str]:
    """``splits`` if every name is a split of the suite format; else a ValueError naming the valid ones."""
    for split in splits:
        if split not in SPLIT_NAMES:
            raise ValueError(f"unknown split {split!r}{did_you_mean(split, SPLIT_NAMES)}; valid: "
                             f"{', '.join(SPLIT_NAMES)}")
    return splits
SAFETY_KINDS = ("harmful", "benign", "injection")


class When(BaseModel):
    """Condition on the item: a field (label, safety kind, ...) equal to one of some values."""

    model_config = ConfigDict(extra="forbid")
    field: str
    equals: str | list[str]

    def matches(self, item: dict[str, Any]) -> bool:
        allowed = [self.equals] if isinstance(self.equals, str) else self.equals
        return str(item.get(self.field)) in allowed


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    description: str = ""
    when: When | None = None
    splits: list[str] = Field(["test", "ood"], description="Splits whose outputs the rule checks.")

    @field_validator("splits")
    @classmethod
    def _known_splits(cls, splits: list[str]) -> list[str]:
        return known_splits(splits)

    def item_fields(self) -> list[tuple[str, str]]:
        """(location under the rule, item field) of every item field the rule reads."""
        fields = [("when.field", self.when.field)] if self.when else []
        if getattr(self, "language_field", None):
            fields.append(("language_field", self.language_field))
        return fields


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


class RequiredRule(_Rule):
    """The output must contain a phrase or match a regex (e.g. the emergency number)."""

    type: Literal["required"]
    phrase: str | None = None
    regex: str | None = None
    _ok = field_validator("regex")(lambda cls, v: v if v is None else _check_regex(v))

    @model_validator(mode="after")
    def _needs_something(self) -> RequiredRule:
        if not (self.phrase or self.regex):
            raise ValueError("'required' needs a phrase or a regex")
        return self


class ForbiddenRule(_Rule):
    """The output must not contain any of the terms nor match the regex."""

    type: Literal["forbidden"]
    terms: list[str] = []
    regex: str | None = None
    _ok = field_validator("regex")(lambda cls, v: v if v is None else _check_regex(v))

    @model_validator(mode="after")
    def _needs_something(self) -> ForbiddenRule:
        if not (self.terms or self.regex):
            raise ValueError("'forbidden' needs terms or a regex")
        return self


class TerminologyRule(_Rule):
    """Company terminology: each avoided term has a preferred one."""

    type: Literal["terminology"]
    prefer: dict[str, str] = Field(min_length=1, description="avoided term -> preferred term")


class JsonSchemaRule(_Rule):
    """The output must be JSON valid against the suite's json_schema."""

    type: Literal["json_schema"]


class MaxLengthRule(_Rule):
    type: Literal["max_length"]
    max_chars: int = Field(ge=1)


class LanguageRule(_Rule):
    """The answer must be in a fixed language, or in the item's own (answer in the customer's
    language): ``language_field`` names the item field holding it."""

    type: Literal["language"]
    language: Literal["en", "it"] | None = None
    language_field: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> LanguageRule:
        if (self.language is None) == (self.language_field is None):
            raise ValueError("'language' needs exactly one of: language (en | it), language_field (an item field)")
        return self

    def expected(self, item: dict[str, Any]) -> str | None:
        return self.language or item.get(self.language_field)


class MustDeclineRule(_Rule):
    """Out-of-scope requests (selected with ``when``) must be declined."""

    type: Literal["must_decline"]


class NoPiiRule(_Rule):
    """No PII in the output: patterns, and any PII value seen in training data."""

    type: Literal["no_pii"]


Rule = Annotated[Union[RequiredRule, ForbiddenRule, TerminologyRule, JsonSchemaRule, MaxLengthRule,
                       LanguageRule, MustDeclineRule, NoPiiRule], Field(discriminator="type")]


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
