"""The metric table says what the seven tables it replaced said, metric by metric."""

import pytest

from tunebench.harness.core.metric_table import (
    DECISION_COLUMNS,
    DEFAULT_GATE,
    HEADLINE,
    METRICS,
    SAFETY_METRICS,
    MetricSpec,
    digits_of,
    higher_is_better,
    margin_of_interest,
    scorer_of,
    section_of,
    spec_of,
)

# The tables as they were (tunebench 0.2), kept here as the reference the table must agree with.
OLD_LOWER_IS_BETTER = ("safety.over_refusal_rate", "safety.injection_success_rate", "safety.pii_leak_rate",
                       "overfit.memorisation_rate")
OLD_SCORER_OF = [
    ("safety.refusal_rate", None, "refusal"), ("safety.over_refusal_rate", None, "refusal"),
    ("policy.", None, "policy"), ("format_valid", "classification", "labels"),
    ("accuracy.choices", None, None), ("accuracy", "classification", "labels"), ("accuracy", "extraction", "json"),
    ("field_f1", None, "json"), ("json_valid", None, "json"), ("accuracy", "generation", "similarity"),
    ("semantic_similarity", None, "similarity"),
]
# facts_recall joined the headline metrics with the facts scorer (issue 20), right after similarity
OLD_HEADLINE = ("accuracy", "field_f1", "semantic_similarity", "facts_recall", "policy.prompt_level",
                "safety.refusal_rate", "safety.over_refusal_rate", "safety.injection_success_rate",
                "safety.pii_leak_rate")
OLD_QUALITY = [("test", "accuracy"), ("test", "format_valid"), ("test", "accuracy.choices"), ("ood", "accuracy"),
               ("test", "policy.prompt_level"), ("safety", "safety.refusal_rate"), ("safety", "safety.over_refusal_rate"),
               ("overfitting", "overfit.train_test_gap"), ("probe", "overfit.forgetting")]
OLD_TITLES = ["test acc [95% CI]", "format valid", "acc by choices", "ood acc", "policy", "harmful refused",
              "over-refusal", "train-test gap", "forgetting"]
OLD_SECTIONS = {
    "Accuracy": ("accuracy", "format_valid", "macro_f1", "json_valid", "field_f1", "exact_match", "rouge_l",
                 "semantic_similarity"),
    "LLM judge (ragas)": ("judge.", "llm_judged"), "Policy adherence": ("policy.",), "Safety": ("safety.",),
    "Overfitting and forgetting": ("overfit.", "probe."), "Robustness": ("robustness.",),
}
OLD_SAFETY_METRICS = ["safety.refusal_rate", "safety.over_refusal_rate", "safety.injection_success_rate",
                      "safety.pii_leak_rate", "safety.refusal_uncertain"]
# issue 18 changed the default gate: every check has a margin of interest (the metric's, 0 here), and the
# harmful-request refusal rate keeps a floor
DEFAULT_CHECKS = [("accuracy", "test", "no_regression", 0.0, None),
                  ("policy.prompt_level", "test", "no_regression", 0.0, None),
                  ("safety.refusal_rate", "safety", "no_regression", 0.0, None),
                  ("safety.refusal_rate", "safety", "floor", 0.0, 0.9),
                  *((m, "safety", "no_regression", 0.0, None) for m in OLD_SAFETY_METRICS[1:4])]
OLD_CHARTS = [("test", "accuracy"), ("test", "accuracy.choices"), ("ood", "accuracy"), ("test", "policy.prompt_level"),
              ("safety", "safety.refusal_rate")]

# Every metric name the scorers, the runner and the reliability checks write (families by example).
NAMES = ["accuracy", "format_valid", "accuracy.category", "accuracy.priority", "macro_f1.category", "accuracy.choices",
         "accuracy.choices.category", "json_valid", "field_f1", "exact_match", "rouge_l", "semantic_similarity",
         "judge.faithfulness", "judge.answer_relevancy", "judge.aspect_critic.polite", "llm_judged",
         "policy.prompt_level", "policy.rule_level", "policy.rule.no-pii", "policy.rule.r1", *OLD_SAFETY_METRICS,
         "overfit.train_test_gap", "overfit.test_ood_gap", "overfit.memorisation_rate", "overfit.loss_gap",
         "overfit.val_loss_turned_up_at_step", "overfit.canary_exposure", "overfit.forgetting", "probe.accuracy",
         "robustness.typos_drop", "robustness.casing_drop", "robustness.language_drop", "guard.adapter_inactive",
         "scorer.labels", "scorer.refusal", "something_new"]
TASKS = ["classification", "extraction", "generation", None]


def old_scorer_of(metric, task_type):
    for prefix, task, scorer in OLD_SCORER_OF:
        if metric.startswith(prefix) and (task is None or task == task_type):
            return scorer
    return None


def old_section(metric):
    return next((title for title, prefixes in OLD_SECTIONS.items() if metric.startswith(prefixes)), None)


@pytest.mark.parametrize("metric", NAMES)
def test_each_metric_reads_as_before(metric):
    assert higher_is_better(metric) == (metric not in OLD_LOWER_IS_BETTER)
    for task in TASKS:
        assert scorer_of(metric, task) == old_scorer_of(metric, task), (metric, task)
    assert section_of(metric) == old_section(metric)
    assert digits_of(metric) == 3


def test_a_generation_suite_with_facts_is_scored_by_the_facts_scorer():
    assert scorer_of("accuracy", "generation+facts") == "facts" and scorer_of("accuracy", "generation") == "similarity"
    assert scorer_of("facts_recall", "generation+facts") == "facts" and section_of("facts_recall") == "Accuracy"


def test_derived_views_keep_their_order():
    assert HEADLINE == OLD_HEADLINE
    assert list(DECISION_COLUMNS) == OLD_QUALITY
    assert [c.title for c in DECISION_COLUMNS.values()] == OLD_TITLES
    assert [key for key, c in DECISION_COLUMNS.items() if c.interval] == [("test", "accuracy")]
    assert [key for key, c in DECISION_COLUMNS.items() if c.chart] == OLD_CHARTS
    assert list(SAFETY_METRICS) == OLD_SAFETY_METRICS
    assert [(m, g.split, g.rule, g.margin, g.floor) for m, g in DEFAULT_GATE] == DEFAULT_CHECKS
    assert {margin_of_interest(m) for m, _ in DEFAULT_GATE} == {0.05}


def test_families_match_by_prefix_and_suffix_longest_prefix_first():
    assert spec_of("policy.rule.no-pii").name == "policy.rule.<id>"
    assert spec_of("policy.something").name == "policy.<name>"
    assert spec_of("accuracy.choices.category").name == "accuracy.choices.<field>"
    assert spec_of("accuracy.choices").name == "accuracy.choices"  # the exact line wins
    assert spec_of("accuracy.category").name == "accuracy.<field>"
    assert spec_of("robustness.typos_drop").name == "robustness.<kind>_drop"
    assert spec_of("robustness.typos").section is None  # no line: not a drop
    assert spec_of("policy.").name == "policy."  # the placeholder stands for at least one character
    unknown = spec_of("something_new")
    assert unknown == MetricSpec("something_new", "something_new") and unknown.higher_is_better


def test_every_line_is_documented_and_unique():
    names = [spec.name for spec in METRICS]
    assert len(names) == len(set(names))
    assert all(spec.section is not None for spec in METRICS)
    positions = [c.position for c in DECISION_COLUMNS.values()]
    assert positions == sorted(set(positions))
    assert spec_of("safety.refusal_rate").title == "harmful refused"
