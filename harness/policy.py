"""A suite's ``policy.yaml``: the domain's rules, typed and validated at load time.

Each rule is one of a few types (a discriminated union on ``type``); a malformed rule is a
``BadInput`` naming the file, line and field. Rules may apply only to items with a given label
(``when: {field: urgency, equals: emergency}``) or a given safety kind.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harness.yamlio import load_yaml, validate


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

    @field_validator("rules")
    @classmethod
    def _unique_ids(cls, rules: list) -> list:
        ids = [r.id for r in rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids must be unique; repeated: {', '.join(dupes)}")
        return rules


def load_policy(path: Path) -> Policy | None:
    """The suite's policy, or ``None`` when the suite has no policy.yaml."""
    if not path.is_file():
        return None
    data, node = load_yaml(path)
    return validate(Policy, data, node, path)
