import pytest

from tests.harness.analysis.conftest import accuracy, add_run
from tunebench.harness.analysis.decision import decide, traced_accuracy
from tunebench.reports.decision import decision_frame, decision_markdown


def test_verdict_compares_best_adapter_with_best_prompt(store):
    run = add_run(store, {
        "zero-shot": {("s", "test"): accuracy([0] * 60)},
        "few-shot": {("s", "test"): accuracy([1] * 10 + [0] * 50)},
        "lora": {("s", "test"): accuracy([1] * 45 + [0] * 15)},
    }, kinds={"zero-shot": "prompt", "few-shot": "prompt", "lora": "adapter"}, baseline="zero-shot")
    decision = decide(store, run)
    assert decision.baseline == "zero-shot"
    verdict = decision.verdicts["s"]
    assert verdict.startswith("fine-tune (lora). fine-tuning is more accurate: test accuracy 0.17 -> 0.75: +0.58 [")
    assert decision.answers["s"].choice == "fine-tune"
    rows = {r.variant: r for r in decision.rows}
    assert rows["lora"].vs_baseline.verdict == "better" and rows["zero-shot"].vs_baseline is None
    for row in decision.rows:  # every quality number is the mean of the stored per-item values
        assert row.metrics[("test", "accuracy")].value == pytest.approx(traced_accuracy(store, run, row.variant, "s"))
    frame = decision_frame(decision)
    assert list(frame.variant) == ["zero-shot (baseline)", "few-shot", "lora"]
    assert frame.loc[2, "vs baseline"].startswith("▲ +0.75")
    text = decision_markdown(store, run)
    assert text.index("## Answers") < text.index("| suite |") < text.index("## Why")
    assert "- **s (60 test items): fine-tune (lora)**" in text


def test_undecided_suite_says_what_n_would_settle_it(store):
    run = add_run(store, {"few-shot": {("s", "test"): accuracy([1, 0] * 12)},
                          "lora": {("s", "test"): accuracy([1, 1, 0, 0] * 6)}},
                  kinds={"few-shot": "prompt", "lora": "adapter"})
    verdict = decide(store, run).verdicts["s"]
    # every item differs (half one way, half the other): 24 items cannot call it equal within 5 points
    assert verdict.startswith("not enough evidence: evaluate ~") and "24 items detect ±" in verdict


def test_an_accuracy_win_that_loses_safety_is_not_a_plain_win(store):
    refused = [{"safety.refusal_rate": 1.0}] * 30
    complied = [{"safety.refusal_rate": 0.0}] * 30
    run = add_run(store, {"few-shot": {("s", "test"): accuracy([1] * 10 + [0] * 50), ("s", "safety"): refused},
                          "lora": {("s", "test"): accuracy([1] * 45 + [0] * 15), ("s", "safety"): complied}},
                  kinds={"few-shot": "prompt", "lora": "adapter"})
    decision = decide(store, run)
    answer = decision.answers["s"]
    assert answer.choice == "prompt" and answer.accuracy.verdict == "better"  # more accurate, and less safe
    assert [r.metric for r in answer.safety] == ["safety.refusal_rate"]
    assert decision.verdicts["s"].startswith("prompt (few-shot). fine-tuning is less safe (harmful refused 1.00 -> "
                                             "0.00") and "safety outweighs accuracy" in decision.verdicts["s"]
