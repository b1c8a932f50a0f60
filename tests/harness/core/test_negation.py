import pytest

from tunebench.harness.core.negation import affirmed, affirmed_regex
from tunebench.harness.core.policy import Rule


@pytest.mark.parametrize("text, said", [
    ("Call 112 now.", True),
    ("No need to call 112, rest at home.", False),
    ("Don't wait: call 112.", True),                       # the cue belongs to another clause
    ("You should not drive; call 112.", True),
    ("If the pain spreads, call 112, don't drive.", True),
    ('The operator asked me to say "call 112" twice.', False),   # quoted: a mention, not advice
    ("Non è necessario chiamare il 112, basta riposare.", False),
    ("Chiami subito il 112.", True),
    ("Never call 112 for this.", False),
])
def test_only_affirmed_occurrences_count(text, said):
    assert bool(affirmed("112", text)) is said
    assert bool(affirmed_regex(r"\b112\b", text)) is said


def _rule(**fields):
    from pydantic import TypeAdapter

    return TypeAdapter(Rule).validate_python({"id": "r", **fields})


def test_policy_rules_read_negation_unless_literal():
    required = _rule(type="required", regex=r"\b112\b")
    assert required.check("Advice: no need to call 112, lie down.", None)[0] is False
    assert _rule(type="required", regex=r"\b112\b", literal=True).check("no need to call 112", None)[0] is True
    forbidden = _rule(type="forbidden", terms=["diagnosis"])
    assert forbidden.check("I can't give a diagnosis over the phone; see your GP.", None)[0] is True
    assert forbidden.check("My diagnosis: appendicitis.", None)[0] is False
    assert _rule(type="forbidden", terms=["refund you immediately"]).check(
        "We cannot refund you immediately: the refund takes 14 days.", None)[0] is True
