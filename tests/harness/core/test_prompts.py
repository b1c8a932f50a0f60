from harness.core.parsing import parse_labels
from harness.core.prompts import few_shot_examples, render_completion, render_prompt
from harness.core.suites import load_suite

SUITE = load_suite("it_tickets")
ITEM = SUITE.split("test")[0]


def test_strategies_render_the_item_last():
    shots = few_shot_examples(SUITE, 4)
    for strategy in ("zero-shot", "few-shot", "plain"):
        prompt = render_prompt(SUITE, ITEM, strategy, shots)
        assert prompt.endswith(f"Ticket: {ITEM['text']}\n")
    assert render_prompt(SUITE, ITEM, "plain") == f"Ticket: {ITEM['text']}\n"
    few = render_prompt(SUITE, ITEM, "few-shot", shots)
    assert few.count("Ticket:") == 5 and few.startswith(SUITE.config.instruction)


def test_few_shot_examples_are_deterministic_and_diverse():
    a, b = few_shot_examples(SUITE, 4), few_shot_examples(SUITE, 4)
    assert a == b and len({i["category"] for i in a}) == 4
    assert all(i in SUITE.split("train") for i in a)


def test_completion_round_trips_through_the_parser():
    completion = render_completion(SUITE, ITEM)
    assert completion == f"Category: {ITEM['category']}\nPriority: {ITEM['priority']}"
    assert parse_labels(SUITE, completion) == {"category": ITEM["category"], "priority": ITEM["priority"]}
