"""The Presidio analyzer tunebench uses, offline, and the spans it finds.

Presidio's default engine loads a spaCy model (a download) and its e-mail and URL recognizers call
``tldextract``, which fetches the public suffix list: neither happens here. The engine has no NLP
model (``NoOpNlpEngine``) and a registry of chosen recognizers only: Presidio's own where they are
right (IPs, phones with European regions, Italian VAT numbers, US SSNs, UK NI numbers),
tunebench's for the rest (``recognizers.py``, ``names.py``: cards too, as Presidio's card pattern
misses the 2-series Mastercard numbers) and the user's patterns.

The recognizers are language-independent (English and Italian cues in one place), so every text
is analysed under one language code.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

LANGUAGE = "en"
PHONE_REGIONS = ("IT", "GB", "US", "IE", "DE", "FR", "ES", "NL", "BE", "CH", "AT", "SE", "DK", "NO", "FI", "PT",
                 "PL", "CA", "AU")
MIN_SCORE = 0.3  # below this Presidio's recognizers report unvalidated guesses (a bare 9-digit number)
# Presidio's entity names -> tunebench's (the placeholders and counts users already see)
TYPES = {"IP_ADDRESS": "IP", "PHONE_NUMBER": "PHONE", "IT_VAT_CODE": "NATIONAL_ID",
         "US_SSN": "NATIONAL_ID", "UK_NINO": "NATIONAL_ID"}


@dataclass(frozen=True)
class Found:
    """One PII value in a text."""

    kind: str
    start: int
    end: int
    value: str


@lru_cache(maxsize=16)
def analyzer(extra: tuple[tuple[str, str], ...] = ()):
    """An AnalyzerEngine with tunebench's registry; ``extra``: the user's (TYPE, regex) pairs."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        IpRecognizer,
        ItVatCodeRecognizer,
        PhoneRecognizer,
        UkNinoRecognizer,
        UsSsnRecognizer,
    )

    from tunebench.harness.core.pii.names import PersonRecognizer
    from tunebench.harness.core.pii.recognizers import EXTENSION, NOT_PHONE, own_recognizers, user_recognizers

    class Phones(PhoneRecognizer):
        """Presidio's phone recognizer, less what reads as a date, a time or part of an identifier
        ("2024-01-02", "CVE-2024-3400"), with the extension that follows a number ("x214", "ext. 12")."""

        def analyze(self, text, entities, nlp_artifacts=None):
            found = []
            for r in super().analyze(text, entities, nlp_artifacts):
                before = text[r.start - 1:r.start] if r.start else ""
                if NOT_PHONE.fullmatch(text[r.start:r.end]) or before.isalnum() or before in "-_/":
                    continue
                if extension := EXTENSION.match(text, r.end):
                    r.end = extension.end()
                found.append(r)
            return found

    recognizers = [IpRecognizer(), ItVatCodeRecognizer(), UsSsnRecognizer(),
                   UkNinoRecognizer(), Phones(supported_regions=PHONE_REGIONS), PersonRecognizer(),
                   *own_recognizers(), *user_recognizers(dict(extra))]
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
    with warnings.catch_warnings():  # "no context words from the text without an NLP engine": known, intended
        warnings.simplefilter("ignore", UserWarning)
        return AnalyzerEngine(registry=registry, supported_languages=[LANGUAGE],
                              nlp_engine=NoOpNlpEngine(models=[{"lang_code": LANGUAGE, "model_name": "none"}]),
                              context_aware_enhancer=LemmaContextAwareEnhancer())


def find(text: str, extra: dict[str, str] | None = None) -> list[Found]:
    """The PII values in ``text``, without overlaps, in order.

    Where two recognizers claim overlapping characters the user's pattern wins, then the higher
    score, then the longer span (an IBAN over the phone number inside it).
    """
    user = set((extra or {}).keys())
    results = analyzer(tuple(sorted((extra or {}).items()))).analyze(text, language=LANGUAGE,
                                                                      score_threshold=MIN_SCORE)
    ranked = sorted(results, key=lambda r: (r.entity_type not in user, -r.score, -(r.end - r.start), r.start))
    taken: list[Found] = []
    for r in ranked:
        if all(r.end <= f.start or r.start >= f.end for f in taken):
            kind = TYPES.get(r.entity_type, r.entity_type)
            taken.append(Found(kind, r.start, r.end, text[r.start:r.end]))
    return sorted(taken, key=lambda f: f.start)
