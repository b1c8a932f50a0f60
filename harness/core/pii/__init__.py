"""PII detection and anonymisation, on Microsoft Presidio, offline, English and Italian.

Used before training (anonymisation, on by default), by ``tunebench anonymize`` and on model
outputs (the PII-leak checks). ``engine.py`` builds the analyzer and finds the values;
``recognizers.py`` and ``names.py`` are what tunebench adds to Presidio's recognizers;
``surrogates.py`` makes the fake values of the ``surrogate`` mode; ``measure.py`` scores all of it
on the labelled check set. Users add their own patterns in the spec
(``pii_patterns: {EMPLOYEE_ID: 'EMP-\\d{6}'}``).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Literal

from tunebench.harness.core.pii.checksums import fiscal_code_ok, iban_ok, luhn_ok
from tunebench.harness.core.pii.engine import Found, find

Mode = Literal["placeholder", "surrogate"]
MODES: tuple[str, ...] = ("placeholder", "surrogate")

__all__ = ["MODES", "Found", "Mode", "anonymize", "find", "find_pii", "fiscal_code_ok", "guess_locale", "iban_ok",
           "luhn_ok", "redact"]


def guess_locale(text: str) -> str:
    """'it' when the text reads as Italian (the policy rules' language detector), else 'en'."""
    from tunebench.harness.core.rules import detect_language  # rules imports this package: imported late

    return "it" if detect_language(text) == "it" else "en"


@lru_cache(maxsize=1)
def _anonymizer():
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()


def redact(text: str, extra: dict[str, str] | None = None, mode: Mode = "placeholder", seed: int = 0,
           locale: str | None = None) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each PII value replaced, and the (type, value) pairs replaced, in order.

    ``placeholder``: ``<TYPE>``; ``surrogate``: a consistent fake value of the same type (see
    ``surrogates.py``), in ``locale`` ('en' / 'it'; guessed from the text when None).
    """
    found = find(text, extra)
    if not found:
        return text, []
    from presidio_anonymizer import RecognizerResult
    from presidio_anonymizer.entities import OperatorConfig

    if mode == "surrogate":
        from tunebench.harness.core.pii.surrogates import surrogate

        where = locale or guess_locale(text)
        operators = {f.kind: OperatorConfig("custom", {"lambda": lambda v, k=f.kind: surrogate(k, v, where, seed)})
                     for f in found}
    else:
        operators = {f.kind: OperatorConfig("replace", {"new_value": f"<{f.kind}>"}) for f in found}
    results = [RecognizerResult(f.kind, f.start, f.end, 1.0) for f in found]
    clean = _anonymizer().anonymize(text, results, operators=operators).text
    return clean, [(f.kind, f.value) for f in found]


def anonymize(text: str, extra: dict[str, str] | None = None, mode: Mode = "placeholder",
              seed: int = 0) -> tuple[str, Counter]:
    """``text`` with PII replaced, and how many of each type were found."""
    clean, found = redact(text, extra, mode, seed)
    return clean, Counter(name for name, _ in found)


def find_pii(text: str, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(type, value) of every PII value in ``text`` (a model output, a training item)."""
    return [(f.kind, f.value) for f in find(text, extra)]
