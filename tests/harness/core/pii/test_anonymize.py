"""The anonymiser on texts of the five domains: every type, both languages, both modes."""

import socket

import pytest

from tunebench.harness.core.pii import anonymize, find_pii, redact
from tunebench.harness.core.pii.checksums import fiscal_code_ok, iban_ok, luhn_ok


@pytest.mark.parametrize("text, expected, kind", [
    ("write to marco.rossi@example.com today", "write to <EMAIL> today", "EMAIL"),
    ("call +39 02 1234 5678 now", "call <PHONE> now", "PHONE"),
    ("chiamare lo 0490 75 40 81 dopo le 9", "chiamare lo <PHONE> dopo le 9", "PHONE"),
    ("IBAN IT60 X054 2811 1010 0000 0123 456 please", "IBAN <IBAN> please", "IBAN"),
    ("iban it60x0542811101000000123456 grazie", "iban <IBAN> grazie", "IBAN"),
    ("card 4111 1111 1111 1111 expired", "card <CARD> expired", "CARD"),
    ("CF rssmra85t10a562s on file", "CF <FISCAL_CODE> on file", "FISCAL_CODE"),
    ("server 10.20.30.40 is down", "server <IP> is down", "IP"),
    ("host fe80::1ff:fe23:4567:890a unreachable", "host <IP> unreachable", "IP"),
    ("SSN 536-80-4398 on the form", "SSN <NATIONAL_ID> on the form", "NATIONAL_ID"),
    ("Beta S.r.l., P.IVA 07643520567, Roma", "Beta S.r.l., P.IVA <NATIONAL_ID>, Roma", "NATIONAL_ID"),
    ("Patient born on 12/03/1958, chest pain", "Patient born on <DATE_OF_BIRTH>, chest pain", "DATE_OF_BIRTH"),
    ("ship it to 742 Evergreen Terrace today", "ship it to <ADDRESS> today", "ADDRESS"),
    ("abito in Via dei Mille 12, 80121 Napoli (NA) da maggio", "abito in <ADDRESS> da maggio", "ADDRESS"),
    ("Ticket from Giulia Esposito: VPN down", "Ticket from <PERSON>: VPN down", "PERSON"),
    ("Il dott. Ferraro richiama domani", "Il dott. <PERSON> richiama domani", "PERSON"),
])
def test_each_type_is_replaced_and_counted(text, expected, kind):
    clean, counts = anonymize(text)
    assert clean == expected and counts == {kind: 1}


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails Luhn",        # not a card: checksum wrong
    "IBAN IT61 X054 2811 1010 0000 0123 456",     # checksum wrong
    "code RSSMRA85T10A562X has a wrong check letter",
    "address 300.1.2.3 is not an IP",
    "ticket 12345 opened on 2024-05-01 at 10:30", # short numbers, dates and times stay
    "CVE-2024-3400 exploited on the GlobalProtect portal",
    "Will you check the May invoice? The Windows Server was down.",  # first names that are words
    "Reason for contact: Trouble sleeping for weeks.",
    "lo avvii dall'Area Clienti, sezione Resi, entro 30 giorni",
    "Sì, accettiamo il bonifico; il corriere consegna a Milano, Roma e Torino.",
    "Latency spiked to 900 ms. The matter concerns one site.",
    "Reminder: patient should call 112 now and not drive.",
])
def test_ordinary_text_stays(text):
    assert anonymize(text) == (text, {})


@pytest.mark.parametrize("text, names", [
    ("Hi Elizabeth, the new MacBook is ready.", ["Elizabeth"]),
    ("Thanks a lot,\nDavide", ["Davide"]),
    ("Cordiali saluti, Chiara", ["Chiara"]),
    ("Mi chiamo Xiomara Quintero e scrivo per un reso.", ["Xiomara Quintero"]),
    ("Caller Kwame Adjei reports chest pain. Adjei is 54.", ["Kwame Adjei", "Adjei"]),
    ("Agreement between Acme Ltd and Émilie Martineau, signed by F. Berger.", ["Émilie Martineau", "F. Berger"]),
    ("La sig.ra Bianchi ha chiamato per la garanzia.", ["Bianchi"]),
    ("Follow-up with Dr. O'Brien and Mr Jansen, 96.", ["O'Brien", "Jansen"]),
])
def test_person_names_in_english_and_italian(text, names):
    assert [value for kind, value in find_pii(text)] == names


def test_user_patterns_win_and_are_counted():
    clean, counts = anonymize("employee EMP-123456 at x@y.io", {"EMPLOYEE_ID": r"EMP-\d{6}"})
    assert clean == "employee <EMPLOYEE_ID> at <EMAIL>" and counts == {"EMPLOYEE_ID": 1, "EMAIL": 1}


def test_surrogates_are_realistic_consistent_and_seeded():
    text = "Giulia Esposito called from +39 333 123 4567. Esposito wants a refund to giulia@example.it."
    clean, found = redact(text, mode="surrogate", seed=3)
    assert [k for k, _ in found] == ["PERSON", "PHONE", "PERSON", "EMAIL"]
    assert "Esposito" not in clean and "<" not in clean and "333 123 4567" not in clean
    surname = clean.split(" called")[0].split()[-1]
    assert clean.count(surname) == 2, "the same person keeps the same fake surname"
    assert redact(text, mode="surrogate", seed=3)[0] == clean != redact(text, mode="surrogate", seed=4)[0]
    other, _ = redact("Ticket from Giulia Esposito.", mode="surrogate", seed=3)
    assert clean.split(" called")[0] in other, "consistent across texts of the training set"


def test_no_network_is_needed(monkeypatch):
    """Presidio's defaults download a spaCy model and a public-suffix list; ours must not touch the network."""
    from tunebench.harness.core.pii.engine import analyzer

    def refuse(*args, **kwargs):
        raise AssertionError("the anonymiser opened a network connection")

    analyzer.cache_clear()
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert anonymize("mail john@acme.co.uk or visit www.acme.com")[1] == {"EMAIL": 1}
    analyzer.cache_clear()


def test_validators():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and iban_ok("gb82west12345698765432")
    assert not iban_ok("GB83 WEST 1234 5698 7654 32")
    assert fiscal_code_ok("RSSMRA85T10A562S") and not fiscal_code_ok("RSSMRA85T10A562T")
