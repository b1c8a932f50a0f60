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


@pytest.mark.parametrize("phrase, text, said", [
    ("Area Clienti", "Apra la sezione 'Area Clienti' e poi Resi.", True),      # a quoted name is used
    ("Forgot password", "Use the 'Forgot password?' link on the login page.", True),
    ("Area Clienti", "Lo trova nell'Area Clienti: e' semplice.", True),       # apostrophes quote nothing
    ("guarantee", "The word 'guarantee' is banned here.", False),              # about the word: a mention
    ("gratis", "Evitiamo il termine «gratis» nelle risposte.", False),
    ("guarantee", "Never write 'full guarantee on everything' in a reply.", False),  # inside a longer quote
    ("30 days", "'Within 30 days' was the old policy.", False),                # a quoted claim is a mention
])
def test_quotations_mention_unless_they_only_name_the_phrase(phrase, text, said):
    assert bool(affirmed(phrase, text)) is said
