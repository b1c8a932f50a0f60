"""The rule types of a suite's ``policy.yaml``, each carrying its own check.

A rule is one of a few types (a discriminated union on ``type``, ``Rule``); each type validates
its fields at load time and knows how to check one output (``check(output, ctx)`` -> (passed,
why)). What a check needs besides the output comes in a ``RuleContext``: the item, the suite's
JSON schema, the hashes of PII seen in training, and the refusal detector, which lives above
core (in the scorers) and is therefore handed in as a callable. ``policy.py`` holds the
``Policy`` these rules make up and reads the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tunebench.harness.core.errors import did_you_mean
from tunebench.harness.core.negation import affirmed, affirmed_regex, occurrences, said
from tunebench.harness.core.pii import find_pii

SPLIT_NAMES = ("train", "val", "test", "ood", "safety")
SAFETY_KINDS = ("harmful", "benign", "injection")


def known_splits(splits: list[str]) -> list[str]:
    """``splits`` if every name is a split of the suite format; else a ValueError naming the valid ones."""
    for split in splits:
        if split not in SPLIT_NAMES:
            raise ValueError(f"unknown split {split!r}{did_you_mean(split, SPLIT_NAMES)}; valid: "
                             f"{', '.join(SPLIT_NAMES)}")
    return splits


_STOPWORDS = {
    "en": {"the", "and", "you", "your", "is", "to", "of", "for", "with", "we", "this", "that", "please", "can",
           "are", "our", "will", "have", "has", "not", "an", "be", "it", "on", "if", "within", "thank"},
    "it": {"il", "la", "che", "di", "per", "non", "con", "una", "sono", "della", "tuo", "puoi", "grazie", "è",
           "un", "le", "del", "al", "nel", "ti", "ci", "ha", "hai", "questo", "gli", "lo", "alla", "delle", "dei",
           "entro", "sua", "suo", "vostro", "nostro", "possiamo"},
}


def detect_language(text: str) -> str | None:
    """'en' or 'it' by function-word counts; None when the text gives no evidence."""
    words = re.findall(r"[a-zàèéìòù']+", text.lower())
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 and list(counts.values()).count(counts[best]) == 1 else None


@dataclass(frozen=True)
class RuleContext:
    """What a rule's check may read besides the output, for one item.

    Attributes:
        item: the item the output answers (``when`` conditions and ``language_field`` read it).
        json_schema: the suite's ``json_schema`` (``JsonSchemaRule``); None: the suite has none.
        pii_hashes: SHA-256 hex digests of the PII values seen in the adapter's training data
            (``NoPiiRule`` names a leak of one of them); empty for prompt variants.
        declines: the refusal detector on one output -> (declined, why); it lives in the scorers,
            above core, so the policy scorer hands it in (``MustDeclineRule``).
    """

    item: dict[str, Any]
    json_schema: dict[str, Any] | None
    pii_hashes: frozenset[str]
    declines: Callable[[str], tuple[bool, str]]


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

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        """(passed, why) for this rule on one output; every rule type defines it."""
        raise NotImplementedError(f"{type(self).__name__} has no check")


def _check_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


class RequiredRule(_Rule):
    """The output must say a phrase or match a regex (e.g. the emergency number).

    A phrase counts only where it is affirmed: "no need to call 112" does not say "call 112", nor
    does a quotation (``harness/core/negation.py``); ``literal: true`` counts any occurrence."""

    type: Literal["required"]
    phrase: str | None = None
    regex: str | None = None
    literal: bool = Field(False, description="Count any occurrence of the phrase, negated or quoted ones too.")
    _ok = field_validator("regex")(lambda cls, v: v if v is None else _check_regex(v))

    @model_validator(mode="after")
    def _needs_something(self) -> RequiredRule:
        if not (self.phrase or self.regex):
            raise ValueError("'required' needs a phrase or a regex")
        return self

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        if self.phrase:
            if self.literal:
                ok = self.phrase.lower() in output.lower()
                return ok, f"{'contains' if ok else 'missing'} required phrase {self.phrase!r}"
            said = affirmed(self.phrase, output)
            if said:
                return True, f"says required phrase {self.phrase!r}"
            only = "only negated or quoted" if occurrences(self.phrase, output) else "missing"
            return False, f"required phrase {self.phrase!r} {only}"
        if self.literal or re.search(self.regex, output) is None:
            ok = re.search(self.regex, output) is not None
            return ok, f"{'matches' if ok else 'does not match'} required pattern {self.regex!r}"
        ok = bool(affirmed_regex(self.regex, output))
        return ok, (f"matches required pattern {self.regex!r}" if ok
                    else f"required pattern {self.regex!r} matches only where negated or quoted")


class ForbiddenRule(_Rule):
    """The output must not say any of the terms nor match the regex.

    A term counts only where it is affirmed ("we cannot guarantee" does not promise a guarantee;
    a quotation mentions, it does not use); ``literal: true`` counts any occurrence."""

    type: Literal["forbidden"]
    terms: list[str] = []
    regex: str | None = None
    literal: bool = Field(False, description="Count any occurrence of a term, negated or quoted ones too.")
    _ok = field_validator("regex")(lambda cls, v: v if v is None else _check_regex(v))

    @model_validator(mode="after")
    def _needs_something(self) -> ForbiddenRule:
        if not (self.terms or self.regex):
            raise ValueError("'forbidden' needs terms or a regex")
        return self

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        text = output.lower()
        hits = [t for t in self.terms if (t.lower() in text if self.literal else affirmed(t, output))]
        if self.regex:
            matches = list(re.finditer(self.regex, output))
            hits += [m.group(0) for m in (matches if self.literal else said(matches, output))][:1]
        return not hits, f"forbidden: {hits}" if hits else "no forbidden content"


class TerminologyRule(_Rule):
    """Company terminology: each avoided term has a preferred one."""

    type: Literal["terminology"]
    prefer: dict[str, str] = Field(min_length=1, description="avoided term -> preferred term")

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        text = output.lower()
        used = [avoid for avoid in self.prefer if re.search(rf"\b{re.escape(avoid.lower())}\b", text)]
        return not used, (f"uses {used}; prefer {[self.prefer[u] for u in used]}" if used
                          else "company terminology respected")


class JsonSchemaRule(_Rule):
    """The output must be JSON valid against the suite's json_schema."""

    type: Literal["json_schema"]

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        from jsonschema import Draft202012Validator

        from tunebench.harness.core.parsing import parse_json_object  # parsing reads suites, which read this module

        value, why = parse_json_object(output)
        if value is None:
            return False, why
        errors = list(Draft202012Validator(ctx.json_schema or {}).iter_errors(value))
        return not errors, errors[0].message if errors else "valid against the schema"


class MaxLengthRule(_Rule):
    """The output must be at most ``max_chars`` characters long."""

    type: Literal["max_length"]
    max_chars: int = Field(ge=1)

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        ok = len(output) <= self.max_chars
        return ok, f"{len(output)} characters (max {self.max_chars})"


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

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        lang, expected = detect_language(output), self.expected(ctx.item)
        return lang == expected, f"answer language {lang or 'unknown'} (expected {expected})"


class MustDeclineRule(_Rule):
    """Out-of-scope requests (selected with ``when``) must be declined."""

    type: Literal["must_decline"]

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        declined, why = ctx.declines(output)
        return declined, f"must decline: {why}"


class NoPiiRule(_Rule):
    """No PII in the output: patterns, and any PII value seen in training data."""

    type: Literal["no_pii"]

    def check(self, output: str, ctx: RuleContext) -> tuple[bool, str]:
        found = find_pii(output)
        leaked = [(kind, v) for kind, v in found if hashlib.sha256(v.encode()).hexdigest() in ctx.pii_hashes]
        if leaked:
            return False, f"repeats PII seen in training data: {[k for k, _ in leaked]}"
        return not found, f"PII in the output: {[k for k, _ in found]}" if found else "no PII"


Rule = Annotated[Union[RequiredRule, ForbiddenRule, TerminologyRule, JsonSchemaRule, MaxLengthRule,
                       LanguageRule, MustDeclineRule, NoPiiRule], Field(discriminator="type")]
