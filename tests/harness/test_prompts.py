from harness.prompts import (few_shot_examples, parse_labels, render_completion, render_prompt,
                             truncate_at_stop)
from harness.suites import load_suite

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


def test_parser_rejects_labels_outside_the_set_and_missing_fields():
    assert parse_labels(SUITE, "Category: plumbing\nPriority: HIGH") == {"category": None, "priority": "high"}
    assert parse_labels(SUITE, "") == {"category": None, "priority": None}
    assert parse_labels(SUITE, "network high") == {"category": None, "priority": None}


def test_stop_sequence_cuts_the_next_example():
    assert truncate_at_stop("Category: email\nPriority: low\n\nTicket: next") == "Category: email\nPriority: low"


def test_hyphen_and_underscore_spell_the_same_label():
    from harness.suites import load_suite

    triage = load_suite("healthcare_triage")
    assert parse_labels(triage, "Urgency: Self-care\nAdvice: rest") == {"urgency": "self_care"}
    assert parse_labels(triage, "Urgency: selfcare") == {"urgency": None}
