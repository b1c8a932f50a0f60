import pytest

from tunebench.harness.core.pii import anonymize, fiscal_code_ok, iban_ok, luhn_ok


@pytest.mark.parametrize("text, expected, kind", [
    ("write to marco.rossi@example.com today", "write to <EMAIL> today", "EMAIL"),
    ("call +39 02 1234 5678 now", "call <PHONE> now", "PHONE"),
    ("IBAN IT60 X054 2811 1010 0000 0123 456 please", "IBAN <IBAN> please", "IBAN"),
    ("card 4111 1111 1111 1111 expired", "card <CARD> expired", "CARD"),
    ("CF RSSMRA85T10A562S on file", "CF <FISCAL_CODE> on file", "FISCAL_CODE"),
    ("server 10.20.30.40 is down", "server <IP> is down", "IP"),
])
def test_each_type_is_replaced_and_counted(text, expected, kind):
    clean, counts = anonymize(text)
    assert clean == expected and counts == {kind: 1}


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 fails Luhn",        # not a card: checksum wrong
    "IBAN IT61 X054 2811 1010 0000 0123 456",     # checksum wrong
    "code RSSMRA85T10A562X has a wrong check letter",
    "address 300.1.2.3 is not an IP",
    "ticket 12345 opened on 2024-05-01",          # short numbers and dates stay
])
def test_checksums_and_ranges_keep_false_positives_out(text):
    assert anonymize(text) == (text, {})


def test_user_patterns_come_first():
    clean, counts = anonymize("employee EMP-123456 at x@y.io", {"EMPLOYEE_ID": r"EMP-\d{6}"})
    assert clean == "employee <EMPLOYEE_ID> at <EMAIL>" and counts == {"EMPLOYEE_ID": 1, "EMAIL": 1}


def test_validators():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB83 WEST 1234 5698 7654 32")
    assert fiscal_code_ok("RSSMRA85T10A562S") and not fiscal_code_ok("RSSMRA85T10A562T")
