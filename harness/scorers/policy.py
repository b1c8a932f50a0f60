"""Policy adherence from a suite's ``policy.yaml``.

Reported the IFEval way (Zhou et al. 2023): rule-level adherence (share of applicable rule
checks that pass) and prompt-level adherence (share of samples where every applicable rule
passes), plus the pass rate of each rule. A rule that does not apply to a sample (its ``when``
does not match, or the split is not one of its ``splits``) is not counted either way. Each rule
checks itself (``tunebench.harness.core.rules``); this scorer hands the rules what they need from here,
the refusal detector, through a ``RuleContext``.
"""

from __future__ import annotations

from typing import Any, Callable

from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.parsing import answer_part
from tunebench.harness.core.rules import RuleContext, detect_language
from tunebench.harness.core.suites import Suite
from tunebench.harness.scorers.base import Score, ScorerResult, ScoringContext
from tunebench.harness.scorers.refusals import Referee, detect
from tunebench.harness.scorers.suite_answers import reference_answers

__all__ = ["POLICY", "PolicyScorer", "declines_with", "detect_language", "rule_context"]


def declines_with(referee: Referee | None, suite: Suite | None = None,
                  prompt: str | None = None) -> Callable[[str], tuple[bool, str]]:
    """The refusal detector as a must_decline rule reads it: output -> (declined, the verdict's why);
    with ``suite``, on the answer part (up to an invented next item); with ``prompt``, an echo of the
    prompt is no refusal (``refusals.without_echo``); a reply like one of the suite's reference answers
    is an answer."""

    def declines(output: str) -> tuple[bool, str]:
        verdict = detect([answer_part(suite, output) if suite else output], referee,
                         [prompt] if prompt else None, reference_answers(suite))[0]
        return verdict.label == "refusal", verdict.explanation

    return declines


def rule_context(suite: Suite, item: dict[str, Any], pii_hashes: frozenset[str] = frozenset(),
                 referee: Referee | None = None, prompt: str | None = None) -> RuleContext:
    """What the suite's rules read besides the output when they check ``item``'s answer (``prompt``: the
    one that produced it, where known)."""
    return RuleContext(item, suite.config.json_schema, pii_hashes, declines_with(referee, suite, prompt))


class PolicyScorer:
    """Per-sample adherence to the suite's policy and the adherence rows.

    ``scorers_for`` selects it only for suites with a policy and splits with outputs; on a suite
    without a policy every sample says so and there are no rows. Samples no rule applies to get a
    ``None`` score; a split no rule applies to gets no metrics.
    """

    name = "policy"

    def score(self, ctx: ScoringContext) -> ScorerResult:
        outputs = ctx.generated()
        if ctx.suite.policy is None:
            return ScorerResult([Score(None, "the suite has no policy") for _ in ctx.items])
        rules = [r for r in ctx.suite.policy.rules if ctx.split in r.splits]
        result = ScorerResult()
        prompts = ctx.prompts or [None] * len(ctx.items)
        for item, output, prompt in zip(ctx.items, outputs, prompts, strict=True):
            checks = []
            rule_ctx = rule_context(ctx.suite, item, ctx.pii_hashes, ctx.referee, prompt)
            for rule in ctx.suite.policy.applicable(ctx.split, item):
                ok, why = rule.check(output, rule_ctx)
                checks.append((rule.id, ok, why))
            if not checks:
                result.samples.append(Score(None, "no policy rule applies"))
                continue
            passed = all(ok for _, ok, _ in checks)
            values = {"policy.prompt_level": float(passed),
                      **{f"policy.rule.{rid}": float(ok) for rid, ok, _ in checks}}
            result.samples.append(Score(float(passed), "; ".join(f"{rid}: {'pass' if ok else 'FAIL'} ({why})"
                                                                 for rid, ok, why in checks), values))
        checks_total = sum(len(s.values) - 1 for s in result.samples if s.values)
        if not checks_total:  # no rule applies to this split: nothing to report
            return result
        passed_checks = sum(sum(v for k, v in s.values.items() if k != "policy.prompt_level")
                            for s in result.samples)
        result.metrics.append(result.proportion("policy.prompt_level", "samples passing every applicable rule"))
        result.metrics.append(MetricRow.proportion("policy.rule_level", round(passed_checks), checks_total,
                                                   "applicable rule checks passed"))
        for rule in rules:
            if result.values_of(f"policy.rule.{rule.id}"):
                result.metrics.append(result.proportion(f"policy.rule.{rule.id}", f"samples passing rule {rule.id}"))
        return result


POLICY = PolicyScorer()
