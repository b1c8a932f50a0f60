"""Answers scored by their facts, in Italian and English, numbers as digits or words."""

import pytest

from tunebench.harness.scorers.facts import check, normalise, stated

ESC = ["Ho inoltrato la sua richiesta al nostro team specializzato.",
       "I have forwarded your request to our specialist team."]


@pytest.mark.parametrize("fact, answer, said", [
    ("30 giorni", "Il reso è gratuito entro trenta giorni.", True),
    ("30 giorni", "Returns are free within 30 days.", True),               # the other language
    ("30 giorni", "Returns are free within 14 days.", False),              # another number
    ("30 giorni", "Non entro 30 giorni, ma entro 14.", False),             # negated
    ("48 ore", "Report it within forty-eight hours.", True),
    ("48 ore", "Report it within 48 days.", False),                        # another unit
    ("4,90 euro", "La spedizione costa € 4,90.", True),
    ("4,90 euro", "Shipping costs EUR 4.90.", True),
    ("ventiquattro ore", "The link is valid for 24 hours.", True),
    (ESC, "I have forwarded your request to our specialist team.", True),
    (ESC, "Non ho inoltrato la sua richiesta al nostro team specializzato.", False),
    (["Area Clienti"], "Lo avvii dall'Area Clienti, sezione Resi.", True),
    # one unit per kind of quantity, one form per range
    ("14 giorni", "The refund arrives within two weeks.", True),
    ("14 giorni", "The refund arrives within three weeks.", False),
    ("12 mesi", "I buoni valgono un anno dall'acquisto.", True),
    ("2 anni", "The warranty lasts 24 months.", True),
    ("2-4 giorni lavorativi", "La consegna richiede da 2 a 4 giorni lavorativi.", True),
    ("2-4 giorni lavorativi", "Delivery takes between 2 and 4 working days.", True),
    ("2-4 giorni lavorativi", "Delivery takes 2 to 4 business days.", True),
    ("2-4 giorni lavorativi", "Delivery takes 2–4 working days.", True),
    ("4 giorni lavorativi", "Delivery takes 2-4 working days.", False),    # one end of a range is not the fact
    ("2 giorni lavorativi", "Delivery takes 2-4 working days.", False),
    ("30 giorni", "You can return it within a month of delivery.", False),  # a month is not 30 days
    # a quoted name is stated; a quoted claim is a mention
    (["Password dimenticata", "Forgot password"], "Use the 'Forgot password?' link on the login page.", True),
    (["Password dimenticata", "Forgot password"], "Usi il link «Password dimenticata?» nella pagina di accesso.", True),
    ("30 giorni", "'Entro 30 giorni' era la vecchia regola: ora sono 14.", False),
    (ESC, 'Il modello dice di scrivere "Ho inoltrato la sua richiesta al nostro team specializzato."', False),
])
def test_a_fact_is_stated_across_languages_and_forms(fact, answer, said):
    assert stated(fact, answer) is said


def test_check_splits_stated_and_missing_facts():
    said, missing = check(["7 giorni", "30 giorni", ESC], "Sono passati 7 giorni: il reso è gratuito entro 30 giorni.")
    assert said == ["7 giorni", "30 giorni"] and missing == [ESC]


def test_normalise():
    assert normalise("Entro Trenta GIORNI lavorativi, 4,90 €") == "entro 30 wd 4.9 eur"


def test_generation_accuracy_is_every_fact_with_similarity_beside(tmp_path):
    from tests.harness.scorers.test_accuracy import _suite, accuracy_of

    suite = _suite(tmp_path, task_type="generation", target_field="a")
    items = [{"id": "1", "q": "q", "a": "Returns are free within 30 days.", "facts": ["30 days"]},
             {"id": "2", "q": "q", "a": "Returns are free within 30 days.", "facts": ["30 days"]},
             {"id": "3", "q": "q", "a": "Your refund arrives soon.", "facts": []}]
    result = accuracy_of(suite, items, ["Il reso è gratuito entro trenta giorni.",
                                        "Returns are free within 14 days.\nInput: an invented next turn within 30 days",
                                        "Your refund arrives soon."])
    assert [s.value for s in result.samples] == [1.0, 0.0, 1.0]   # item 3: no facts, similarity decides
    assert "missing: 30 days" in result.samples[1].explanation
    assert {m.metric for m in result.metrics} >= {"facts_recall", "accuracy", "semantic_similarity"}
