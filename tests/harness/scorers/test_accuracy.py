import json

import pytest

from tunebench.harness.core.suites import Suite, SuiteConfig, load_suite
from tunebench.harness.scorers.accuracy import ACCURACY, field_f1
from tunebench.harness.scorers.base import ScoringContext

IT = load_suite("it_tickets")
ITEMS = [{"id": "1", "text": "x", "category": "network", "priority": "high"},
         {"id": "2", "text": "y", "category": "email", "priority": "low"}]


def accuracy_of(suite, items, outputs):
    """The accuracy scorer on a test split of ``suite``."""
    return ACCURACY.score(ScoringContext(suite, "test", items, outputs))


def _metric(result, name):
    return next(m for m in result.metrics if m.metric == name)


def test_classification_exact_and_per_field():
    result = accuracy_of(IT, ITEMS, ["Category: network\nPriority: high", "Category: email\nPriority: high"])
    assert [s.value for s in result.samples] == [1.0, 0.0]
    assert "priority: expected low, got high" in result.samples[1].explanation
    assert _metric(result, "accuracy").value == 0.5
    assert _metric(result, "accuracy.category").value == 1.0
    matrix = json.loads(_metric(result, "macro_f1.priority").explanation)["confusion_matrix"]
    assert matrix["labels"][-1] == "<invalid>" and sum(map(sum, matrix["rows_true"])) == 2


@pytest.mark.parametrize("output", ["", "\x00\x01\x02binary", "Category: " + "network " * 50000, "🙂"])
def test_bad_outputs_score_as_failures_with_explanations(output):
    result = accuracy_of(IT, ITEMS[:1], [output])
    assert result.samples[0].value == 0.0 and result.samples[0].explanation


def _suite(tmp_path, **config) -> Suite:
    return Suite(SuiteConfig(name="s", input_field="q", instruction="i", splits={"test": "t.jsonl"}, **config),
                 tmp_path)


def test_extraction_json_validity_and_field_f1(tmp_path):
    schema = {"type": "object", "properties": {"clause": {"type": "string"}, "risk": {"type": "string"}}}
    suite = _suite(tmp_path, task_type="extraction", target_field="t", json_schema=schema)
    items = [{"id": str(i), "q": "c", "t": {"clause": "termination", "risk": "high"}} for i in range(4)]
    outputs = ['{"clause": "Termination", "risk": "high"}', '{"clause": "termination", "risk": "low"}',
               '{"clause": "termination", "risk": ', "no json here"]
    result = accuracy_of(suite, items, outputs)
    # the truncated object is not valid JSON, but it says the clause: read after repair, 1 of 2 fields right
    assert [round(s.value, 2) for s in result.samples] == [1.0, 0.5, 0.5, 0.0]
    assert "not valid JSON; read after repair" in result.samples[2].explanation
    assert "no JSON" in result.samples[3].explanation
    assert _metric(result, "json_valid").value == 0.5


def test_field_f1_counts_extra_fields_against_precision():
    f1, why = field_f1({"a": "x"}, {"a": "x", "b": "y"})
    assert round(f1, 3) == 0.667 and why == "1/1 fields right"


def test_generation_uses_ragas_rouge_and_semantic_similarity(tmp_path):
    suite = _suite(tmp_path, task_type="generation", target_field="a")
    items = [{"id": str(i), "q": "q", "a": "Your refund arrives within 14 days."} for i in range(3)]
    result = accuracy_of(suite, items, ["Your refund arrives within 14 days.",
                                        "The refund will reach you in two weeks.", ""])
    sims = [s.explanation for s in result.samples]
    assert "exact match" in sims[0] and sims[2] == "empty output"
    assert _metric(result, "exact_match").value == pytest.approx(1 / 3)
    rouge = _metric(result, "rouge_l")
    assert 0 < rouge.value < 1 and rouge.ci_low <= rouge.value <= rouge.ci_high
