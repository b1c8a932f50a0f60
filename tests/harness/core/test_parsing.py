from tunebench.harness.core.parsing import parse_json_object, parse_labels, truncate_at_stop
from tunebench.harness.core.suites import load_suite

SUITE = load_suite("it_tickets")


def test_parser_rejects_labels_outside_the_set_and_missing_fields():
    assert parse_labels(SUITE, "Category: plumbing\nPriority: HIGH") == {"category": None, "priority": "high"}
    assert parse_labels(SUITE, "") == {"category": None, "priority": None}
    assert parse_labels(SUITE, "network high") == {"category": None, "priority": None}


def test_stop_sequence_cuts_the_next_example():
    assert truncate_at_stop("Category: email\nPriority: low\n\nTicket: next") == "Category: email\nPriority: low"


def test_hyphen_and_underscore_spell_the_same_label():
    triage = load_suite("healthcare_triage")
    assert parse_labels(triage, "Urgency: Self-care\nAdvice: rest") == {"urgency": "self_care"}
    assert parse_labels(triage, "Urgency: selfcare") == {"urgency": "self_care"}  # a one-character slip
    assert parse_labels(triage, "Urgency: care") == {"urgency": None}  # not a slip: another word


def test_labels_are_read_as_a_person_reads_them():
    both = {"category": "network", "priority": "high"}
    assert parse_labels(SUITE, "**Category:** network\n**Priority:** high") == both
    assert parse_labels(SUITE, 'Category: "network"\nPriority - high') == both
    assert parse_labels(SUITE, "Category: netwrok\nPriority: hgih") == both
    assert parse_labels(SUITE, "Category: network or hardware\nPriority: high") == {**both, "category": None}
    assert parse_labels(SUITE, "Category: email\nCategory: access\nPriority: high") == {**both, "category": None}
    invented = "Category: network\nPriority: high\nTicket: printer jam\nCategory: hardware\nPriority: low"
    assert parse_labels(SUITE, invented) == both  # the model's own answer, not the example it went on to invent


def test_json_objects_are_found_or_explained():
    assert parse_json_object('JSON: {"risk": "low"} trailing') == ({"risk": "low"}, "")
    assert parse_json_object("no braces")[1] == "no JSON object in the output"
    assert parse_json_object('{"risk": ')[1].startswith("invalid JSON")
    assert parse_json_object("[1] {1}")[1].startswith("invalid JSON")
