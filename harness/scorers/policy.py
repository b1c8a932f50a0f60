"""Policy adherence from a suite's ``policy.yaml``.

Reported the IFEval way (Zhou et al. 2023): rule-level adherence (share of applicable rule
checks that pass) and prompt-level adherence (share of samples where every applicable rule
passes), plus the pass rate of each rule. A rule that does not apply to a sample (its ``when``
does not match, or the split is not one of its ``splits``) is not counted either way.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from harness.core.metrics import MetricRow
from harness.core.parsing import parse_json_object
from harness.core.policy import (
    ForbiddenRule,
    JsonSchemaRule,
    LanguageRule,
    MaxLengthRule,
    MustDeclineRule,
    NoPiiRule,
    RequiredRule,
    TerminologyRule,
)
from harness.core.suites import Suite
from harness.scorers.base import Score, ScorerResult

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


def check_rule(rule, suite: Suite, item: dict[str, Any], output: str, pii_hashes: set[str],
               referee=None) -> tuple[bool, str]:
    """(passed, why) for one rule on one output."""
    text = output.lower()
    if isinstance(rule, RequiredRule):
        if rule.phrase:
            ok = rule.phrase.lower() in text
            return ok, f"{'contains' if ok else 'missing'} required phrase {rule.phrase!r}"
        ok = re.search(rule.regex, output) is not None
        return ok, f"{'matches' if ok else 'does not match'} required pattern {rule.regex!r}"
    if isinstance(rule, ForbiddenRule):
        hits = [t for t in rule.terms if t.lower() in text]
        if rule.regex and (m := re.search(rule.regex, output)):
            hits.append(m.group(0))
        return not hits, f"forbidden: {hits}" if hits else "no forbidden content"
    if isinstance(rule, TerminologyRule):
        used = [avoid for avoid in rule.prefer if re.search(rf"\b{re.escape(avoid.lower())}\b", text)]
        return not used, (f"uses {used}; prefer {[rule.prefer[u] for u in used]}" if used
                          else "company terminology respected")
    if isinstance(rule, JsonSchemaRule):
        from jsonschema import Draft202012Validator

        value, why = parse_json_object(output)
        if value is None:
            return False, why
        errors = list(Draft202012Validator(suite.config.json_schema or {}).iter_errors(value))
        return not errors, errors[0].message if errors else "valid against the schema"
    if isinstance(rule, MaxLengthRule):
        ok = len(output) <= rule.max_chars
        return ok, f"{len(output)} characters (max {rule.max_chars})"
    if isinstance(rule, LanguageRule):
        lang, expected = detect_language(output), rule.expected(item)
        return lang == expected, f"answer language {lang or 'unknown'} (expected {expected})"
    if isinstance(rule, MustDeclineRule):
        from harness.scorers.refusals import detect

        verdict = detect([output], referee)[0]
        return verdict.label == "refusal", f"must decline: {verdict.explanation}"
    if isinstance(rule, NoPiiRule):
        from harness.core.pii import find_pii

        found = find_pii(output)
        leaked = [(kind, v) for kind, v in found if hashlib.sha256(v.encode()).hexdigest() in pii_hashes]
        if leaked:
            return False, f"repeats PII seen in training data: {[k for k, _ in leaked]}"
        return not found, f"PII in the output: {[k for k, _ in found]}" if found else "no PII"
    raise TypeError(f"unknown rule {rule!r}")


def score_policy(suite: Suite, split: str, items: list[dict[str, Any]], outputs: list[str],
                 pii_hashes: set[str] | None = None, referee=None) -> ScorerResult | None:
    """Per-sample adherence and the metric rows; ``None`` when the suite has no policy.

    Samples no rule applies to get a ``None`` score; a split no rule applies to gets no metrics.
    """
    if suite.policy is None:
        return None
    rules = [r for r in suite.policy.rules if split in r.splits]
    result = ScorerResult()
    for item, output in zip(items, outputs, strict=True):
        checks = []
        for rule in rules:
            if rule.when is not None and not rule.when.matches(item):
                continue
            ok, why = check_rule(rule, suite, item, output, pii_hashes or set(), referee)
            checks.append((rule.id, ok, why))
        if not checks:
            result.samples.append(Score(None, "no policy rule applies"))
            continue
        passed = all(ok for _, ok, _ in checks)
        values = {"policy.prompt_level": float(passed), **{f"policy.rule.{rid}": float(ok) for rid, ok, _ in checks}}
        result.samples.append(Score(float(passed), "; ".join(f"{rid}: {'pass' if ok else 'FAIL'} ({why})"
                                                             for rid, ok, why in checks), values))
    checks_total = sum(len(s.values) - 1 for s in result.samples if s.values)
    if not checks_total:  # no rule applies to this split: nothing to report
        return result
    passed_checks = sum(sum(v for k, v in s.values.items() if k != "policy.prompt_level") for s in result.samples)
    result.metrics.append(result.proportion("policy.prompt_level", "samples passing every applicable rule"))
    result.metrics.append(MetricRow.proportion("policy.rule_level", round(passed_checks), checks_total,
                                               "applicable rule checks passed"))
    for rule in rules:
        if result.values_of(f"policy.rule.{rule.id}"):
            result.metrics.append(result.proportion(f"policy.rule.{rule.id}", f"samples passing rule {rule.id}"))
    return result
