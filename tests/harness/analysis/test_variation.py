"""Seeds and learning curves in the decision: simulated runs whose per-item values are known."""

from tests.harness.analysis.conftest import accuracy, add_run
from tunebench.harness.analysis.decision import decide
from tunebench.reports.variation import curve_frame, curve_points, seed_frame

KINDS = {"few-shot": "prompt"}


def _adapters(*names: str) -> dict[str, str]:
    return {**KINDS, **{n: "adapter" for n in names}}


def test_a_difference_one_seed_shows_and_another_does_not_is_not_stable(store):
    """Seed 0 beats the prompt by 0.58 on 60 items; seed 1 is the prompt's equal: the answer still names
    the adapter (its first seed) but says it is not stable, and the headline carries it."""
    prompt = [1] * 10 + [0] * 50
    run = add_run(store, {"few-shot": {("s", "test"): accuracy(prompt)},
                          "lora": {("s", "test"): accuracy([1] * 45 + [0] * 15)},
                          "lora.seed1": {("s", "test"): accuracy(prompt)}},
                  kinds=_adapters("lora", "lora.seed1"), links={"lora.seed1": {"seed_of": "lora"}})
    decision = decide(store, run)
    check = decision.answers["s"].seeds
    assert list(check.results) == ["lora", "lora.seed1"]
    assert check.results["lora"].verdict == "better" and check.results["lora.seed1"].verdict != "better"
    assert not check.stable and check.holding == 1
    answer = decision.answers["s"]
    assert answer.tuned == "lora", "a seed is not an option of its own"
    assert answer.headline == "fine-tune (lora) (not stable across seeds)"
    assert "not stable across seeds: 1 of 2 seeds better" in decision.verdicts["s"]
    frame = seed_frame(decision)
    assert list(frame["seed variant"]) == ["lora", "lora.seed1"] and set(frame.stable) == {"no (1 of 2)"}


def test_every_seed_significant_is_stable_and_the_best_seed_is_not_picked(store):
    run = add_run(store, {"few-shot": {("s", "test"): accuracy([1] * 10 + [0] * 50)},
                          "lora": {("s", "test"): accuracy([1] * 40 + [0] * 20)},
                          "lora.seed1": {("s", "test"): accuracy([1] * 50 + [0] * 10)}},
                  kinds=_adapters("lora", "lora.seed1"), links={"lora.seed1": {"seed_of": "lora"}})
    decision = decide(store, run)
    answer = decision.answers["s"]
    assert answer.tuned == "lora", "the more accurate seed must not be chosen over the variant"
    assert decision.answers["s"].seeds.stable
    assert answer.headline == "fine-tune (lora)"
    assert "stable across 2 seeds: every seed better (accuracy 0.67-0.83" in decision.verdicts["s"]


def test_seeds_of_equal_accuracy_say_so_instead_of_a_range(store):
    right = [1] * 40 + [0] * 20
    run = add_run(store, {"few-shot": {("s", "test"): accuracy([1] * 10 + [0] * 50)},
                          "lora": {("s", "test"): accuracy(right)},
                          "lora.seed1": {("s", "test"): accuracy(right[1:] + right[:1])}},  # other items, same count
                  kinds=_adapters("lora", "lora.seed1"), links={"lora.seed1": {"seed_of": "lora"}})
    text = decide(store, run).verdicts["s"]
    assert "every seed better (accuracy 0.67 for each; +0.50 for each against few-shot" in text


def test_learning_curve_crossing_and_trend(store):
    """Three nested sizes and the adapter itself: the curve crosses the prompt at 128 items and is flat
    between the two largest sizes."""
    prompt = [1] * 15 + [0] * 45
    cells = {"few-shot": {("s", "test"): accuracy(prompt)},
             "lora.n32": {("s", "test"): accuracy([1] * 16 + [0] * 44)},
             "lora.n128": {("s", "test"): accuracy([1] * 45 + [0] * 15)},
             "lora": {("s", "test"): accuracy([1] * 46 + [0] * 14)}}
    run = add_run(store, cells, kinds=_adapters("lora.n32", "lora.n128", "lora"),
                  links={"lora.n32": {"curve_of": "lora"}, "lora.n128": {"curve_of": "lora"}},
                  train_items={"lora.n32": 32, "lora.n128": 128, "lora": 640})
    decision = decide(store, run)
    assert decision.answers["s"].tuned == "lora"
    [curve] = decision.curves
    assert [p.train_items for p in curve.points] == [32, 128, 640]
    assert [p.vs_prompt.verdict for p in curve.points] == ["no detectable difference", "better", "better"]
    assert curve.crosses_at == 128
    assert curve.rising.verdict == "no detectable difference"
    assert curve.text().startswith("better than few-shot from 128 training items; no significant change")
    frame = curve_frame(decision)
    assert list(frame["training items"]) == [32, 128, 640] and frame.reading.iloc[-1] == curve.text()
    assert list(curve_points(decision).accuracy.round(3)) == [0.267, 0.75, 0.767]


def test_a_curve_still_rising_says_so(store):
    run = add_run(store, {"few-shot": {("s", "test"): accuracy([1] * 30 + [0] * 30)},
                          "lora.n64": {("s", "test"): accuracy([1] * 10 + [0] * 50)},
                          "lora": {("s", "test"): accuracy([1] * 50 + [0] * 10)}},
                  kinds=_adapters("lora.n64", "lora"), links={"lora.n64": {"curve_of": "lora"}},
                  train_items={"lora.n64": 64, "lora": 256})
    [curve] = decide(store, run).curves
    assert curve.rising.verdict == "better" and curve.shape().startswith("still rising at the largest size")
    assert curve.crosses_at == 256


def test_seeds_that_all_show_no_difference_agree(store):
    """No seed differs significantly from the prompt: the seeds agree, so the answer is not flagged."""
    prompt = [1, 0] * 30
    run = add_run(store, {"few-shot": {("s", "test"): accuracy(prompt)},
                          "lora": {("s", "test"): accuracy(prompt[1:] + [0])},
                          "lora.seed1": {("s", "test"): accuracy(prompt)}},
                  kinds=_adapters("lora", "lora.seed1"), links={"lora.seed1": {"seed_of": "lora"}})
    decision = decide(store, run)
    check = decision.answers["s"].seeds
    assert {r.verdict for r in check.results.values()} == {"no detectable difference"} and check.stable
    assert "not stable" not in decision.answers["s"].headline
    assert "stable across 2 seeds: no seed significantly different" in decision.verdicts["s"]
