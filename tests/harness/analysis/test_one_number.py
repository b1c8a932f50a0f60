"""One comparison, one p-value: compare, gate, decision, report and audit read the same test the same way.

The store: a pair that differs by 0.42 on 12 items (5 of 12 gained) in one suite of three; the other
two suites unchanged. Holm across the three suites makes the 0.42 not significant: every view must
say so with the same p-value, an interval that includes 0, and a power statement that is true.
"""

import pytest

from tests.harness.analysis.conftest import accuracy, add_run
from tunebench.harness.analysis.compare import SAME, Side, compare
from tunebench.harness.analysis.decision import decide
from tunebench.harness.analysis.gate import GateConfig, markdown, run_gate
from tunebench.harness.orchestration.audit import Audit
from tunebench.reports.comparison import comparison_frame
from tunebench.reports.decision import decision_frame, decision_markdown
from tunebench.reports.export import export_html

BEFORE, AFTER = [0] * 12, [1] * 5 + [0] * 7
SAME_ITEMS = [1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1]


def _cells(before, after):
    return ({("s1", "test"): accuracy(before), ("s2", "test"): accuracy(SAME_ITEMS),
             ("s3", "test"): accuracy(SAME_ITEMS)},
            {("s1", "test"): accuracy(after), ("s2", "test"): accuracy(SAME_ITEMS),
             ("s3", "test"): accuracy(SAME_ITEMS)})


def test_one_p_value_everywhere(store, tmp_path):
    prompt, tuned = _cells(BEFORE, AFTER)
    run = add_run(store, {"few-shot": prompt, "lora": tuned}, kinds={"few-shot": "prompt", "lora": "adapter"})
    # compare: the headline row, Holm across the three suites
    row = next(r for r in compare(store, Side(run, "few-shot"), Side(run, "lora")).rows if r.suite == "s1")
    assert row.diff == pytest.approx(5 / 12) and row.confirmatory
    assert row.p_holm == pytest.approx(3 * row.p_value) and row.p_value < 0.05 < row.p_holm
    assert row.verdict == SAME and row.ci_low < 0 < row.ci_high  # the interval agrees with the verdict
    assert row.confidence == pytest.approx(1 - 0.05 / 3)
    power = row.power_note()
    assert "12 items detect ±" in power and row.detectable < row.reach  # a true, bounded statement
    assert row.items_for_observed > 12 and f"would need ~{row.items_for_observed} items" in power
    p = row.p_holm

    # gate: the same family, the same p-value
    check = next(c for c in run_gate(store, Side(run, "few-shot"), Side(run, "lora"), GateConfig()).checks
                 if c.suite == "s1" and c.metric == "accuracy")
    assert check.p_holm == pytest.approx(p)
    # decision: the answer and vs-baseline read the pair's row itself
    decision = decide(store, run)
    assert decision.answers["s1"].accuracy.p_holm == pytest.approx(p)
    assert (decision.answers["s1"].accuracy.ci_low, decision.answers["s1"].accuracy.ci_high) == \
        pytest.approx((row.ci_low, row.ci_high))
    vs = next(r.vs_baseline for r in decision.rows if r.suite == "s1" and r.variant == "lora")
    assert vs.p_holm == pytest.approx(p)
    assert decision.answers["s1"].headline.startswith("not enough evidence: evaluate ~")
    # report: the decision table, its Markdown and the static site print that p-value
    assert f"p {p:.2g}" in decision_frame(decision).set_index("suite").loc["s1"].iloc[-1]["vs baseline"]
    assert f"p {p:.3g} (Holm over suites" in decision_markdown(store, run)
    assert f"{p:.4f}" in comparison_frame(compare(store, Side(run, "few-shot"), Side(run, "lora"))).to_string()
    index = export_html(store.path, tmp_path / "site", [run])
    assert f"p {p:.3g}" in (index.parent / "index.html").read_text()
    assert f"{p:.4f}" in markdown(run_gate(store, Side(run, "few-shot"), Side(run, "lora"), GateConfig()))

    # audit: the same values as one variant in two runs give the same p-value
    first = add_run(store, {"v": prompt})
    second = add_run(store, {"v": tuned})
    audit = Audit("a", "e", second, "t", tmp_path, store, {"audit_id": "a0", "run_id": first},
                  comparisons=[compare(store, Side(first, "v"), Side(second, "v"))])
    assert audit.summary()["significant_changes"] == []  # not significant after Holm, as everywhere
    moved = next(r for r in audit.comparisons[0].rows if r.suite == "s1")
    assert moved.p_holm == pytest.approx(p)


def test_a_significant_difference_reads_significant_everywhere(store):
    prompt, tuned = _cells(BEFORE, [1] * 11 + [0])
    run = add_run(store, {"few-shot": prompt, "lora": tuned}, kinds={"few-shot": "prompt", "lora": "adapter"})
    row = next(r for r in compare(store, Side(run, "few-shot"), Side(run, "lora")).rows if r.suite == "s1")
    assert row.verdict == "better" and row.ci_low > 0 and row.p_holm < 0.05
    decision = decide(store, run)
    assert decision.answers["s1"].headline == "fine-tune (lora)"
    assert decision.answers["s1"].accuracy.p_holm == pytest.approx(row.p_holm)
