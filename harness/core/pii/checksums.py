"""Checksums that tell a real identifier from a number that only looks like one.

Luhn for cards, ISO 7064 mod 97 for IBANs (any case, any spacing), the check letter of Italian fiscal
codes: they keep the false positives of the pattern recognizers down. (IP addresses are validated
by Presidio's own recognizer.)
"""

from __future__ import annotations

import re

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
    s = re.sub(r"[\s-]", "", iban).upper()
    if not 15 <= len(s) <= 34 or not s.isalnum():
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def fiscal_code_ok(code: str) -> bool:
    """Italian codice fiscale check letter (odd/even position tables of the Ministry of Finance)."""
    code = code.upper()
    if len(code) != 16 or not code.isalnum():
        return False
    total = 0
    for i, c in enumerate(code[:15]):
        if i % 2 == 0:
            total += _CF_ODD[c]
        else:
            total += int(c) if c.isdigit() else ord(c) - ord("A")
    return chr(total % 26 + ord("A")) == code[15]
