"""MetricRow.mean: an interval that never claims more certainty than its samples give."""

from __future__ import annotations

import pytest

from tunebench.harness.core.metrics import MetricRow


def test_varied_scores_get_a_bootstrap_interval_around_the_mean():
    row = MetricRow.mean("rouge_l", [0.2, 0.4, 0.6, 0.8, 1.0, 0.0], "ROUGE-L")
    assert row.value == pytest.approx(0.5)
    assert 0.0 <= row.ci_low < 0.5 < row.ci_high <= 1.0
    assert "bootstrap" in row.explanation


@pytest.mark.parametrize("score, low, high", [(0.0, 0.0, 0.25), (1.0, 0.75, 1.0)])
def test_identical_extreme_scores_are_bounded_by_the_rule_of_three(score, low, high):
    row = MetricRow.mean("facts_recall", [score] * 12, "facts")
    assert row.value == score
    assert (row.ci_low, row.ci_high) == pytest.approx((low, high))  # 3/12 = 0.25, not a zero-width interval
    assert "rule of three" in row.explanation


def test_identical_middle_scores_have_no_interval():
    row = MetricRow.mean("field_f1", [0.5, 0.5, 0.5], "field F1")
    assert row.value == 0.5 and row.ci_low is None and row.ci_high is None
    assert "no interval" in row.explanation


def test_a_single_sample_is_no_certainty():
    row = MetricRow.mean("semantic_similarity", [1.0], "similarity")
    assert (row.ci_low, row.ci_high) == (0.0, 1.0)  # 3/1 caps at 1
