"""PII detection and anonymisation: typed placeholders and a count per type.

Used before training (anonymisation, on by default) and on model outputs (the PII-leak checks).

Written here rather than taken from Presidio: Presidio's recognizers pull in spaCy, and what the
training data needs is a handful of patterns with checksums (Luhn for cards, ISO 7064 mod 97 for
IBANs, the check letter of Italian fiscal codes), which keep false positives down. Users add their
own patterns in the spec (``pii_patterns: {EMPLOYEE_ID: 'EMP-\\d{6}'}``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Callable

_CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11,
                    3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]))


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in re.sub(r"\D", "", number)]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(iban: str) -> bool:
    s = re.sub(r"\s", "", iban).upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def fiscal_code_ok(code: str) -> bool:
    """Italian codice fiscale check letter (odd/even position tables of the Ministry of Finance)."""
    code = code.upper()
    total = 0
    for i, c in enumerate(code[:15]):
        if i % 2 == 0:
            total += _CF_ODD[c]
        else:
            total += int(c) if c.isdigit() else ord(c) - ord("A")
    return chr(total % 26 + ord("A")) == code[15]


def ipv4_ok(ip: str) -> bool:
    return all(0 <= int(p) <= 255 for p in ip.split("."))


# Order matters: more specific patterns first, so an IBAN's digits are not also taken for a phone.
PATTERNS: list[tuple[str, re.Pattern, Callable[[str], bool] | None]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"), None),
    ("IBAN", re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b"), iban_ok),
    ("CARD", re.compile(r"\b(?:\d[ -]?){12,18}\d\b"), luhn_ok),
    ("FISCAL_CODE", re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b", re.IGNORECASE),
     fiscal_code_ok),
    ("IP", re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), ipv4_ok),
    ("PHONE", re.compile(r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(?\d{2,4}\)?[ .-]?){2,4}\d{3,4}\b"),
     lambda s: 8 <= len(re.sub(r"\D", "", s)) <= 15),
]


@lru_cache(maxsize=32)
def _patterns(extra: tuple[tuple[str, str], ...]) -> list[tuple[str, re.Pattern, Callable[[str], bool] | None]]:
    """The user's patterns (from the spec) first, then the built-in ones; compiled once per set."""
    return [(name, re.compile(rx), None) for name, rx in extra] + PATTERNS


def redact(text: str, extra: dict[str, str] | None = None) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each PII value replaced by ``<TYPE>``, and the (type, value) pairs replaced.

    One pass per pattern, in order, over the text left by the previous ones: an IBAN is taken
    whole before its digits could be read as a phone number.
    """
    found: list[tuple[str, str]] = []
    for name, pattern, check in _patterns(tuple(sorted((extra or {}).items()))):
        def replace(match: re.Match, name=name, check=check) -> str:
            if check is not None and not check(match.group(0)):
                return match.group(0)
            found.append((name, match.group(0)))
            return f"<{name}>"

        text = pattern.sub(replace, text)
    return text, found


def anonymize(text: str, extra: dict[str, str] | None = None) -> tuple[str, Counter]:
    """``text`` with PII replaced by typed placeholders, and how many of each type were found."""
    clean, found = redact(text, extra)
    return clean, Counter(name for name, _ in found)


def find_pii(text: str, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(type, value) of every PII value in ``text`` (a model output, a training item)."""
    return redact(text, extra)[1]
