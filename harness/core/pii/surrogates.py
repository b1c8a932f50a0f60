"""Realistic, consistent fake values for the ``surrogate`` anonymisation mode.

Placeholders (``<PERSON>``) teach a model to write placeholders; surrogates keep the text natural.
Each surrogate is a function of (type, original value, locale, seed) only: the same customer gets
the same fake name in every item of the training set, in every process, and a rerun gives the
same data (the adapter's data hash stays stable). Names are replaced word by word, so "Giulia
Esposito" and a later "Esposito" stay the same person. Values come from Faker (``it_IT`` for Italian
text, ``en_US`` otherwise); a type Faker has no generator for (a user's pattern) gets its placeholder.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from faker import Faker

from tunebench.harness.core.pii.names import first_names

LOCALES = {"it": "it_IT", "en": "en_US"}


@lru_cache(maxsize=4)
def _faker(locale: str) -> Faker:
    return Faker(LOCALES.get(locale, "en_US"))


def _seeded(kind: str, value: str, locale: str, seed: int) -> Faker:
    fake = _faker(locale)
    digest = hashlib.sha256(f"{seed}\x00{kind}\x00{value.casefold()}".encode()).digest()
    fake.seed_instance(int.from_bytes(digest[:8], "big"))
    return fake


def _name(value: str, locale: str, seed: int) -> str:
    words = value.split()
    out = []
    for i, word in enumerate(words):
        if len(word.rstrip(".")) <= 1:  # an initial stays an initial, another letter
            out.append(_seeded("initial", word, locale, seed).random_uppercase_letter() + "." * word.endswith("."))
            continue
        fake = _seeded("name", word, locale, seed)
        first = i == 0 and len(words) > 1 or len(words) == 1 and word.lower() in first_names()
        new = fake.first_name() if first else fake.last_name()
        out.append(new.upper() if word.isupper() else new)
    return " ".join(out)


GENERATORS = {
    "EMAIL": lambda f: f.email(),
    "PHONE": lambda f: f.phone_number(),
    "IBAN": lambda f: f.iban(),
    "CARD": lambda f: f.credit_card_number(),
    "FISCAL_CODE": lambda f: f.ssn(),  # it_IT's ssn() is a codice fiscale
    "NATIONAL_ID": lambda f: f.ssn(),
    "IP": lambda f: f.ipv4_public(),
    "ADDRESS": lambda f: f.street_address(),
    "DATE_OF_BIRTH": lambda f: f.date_of_birth(minimum_age=18, maximum_age=90).strftime("%d/%m/%Y"),
}


def surrogate(kind: str, value: str, locale: str = "en", seed: int = 0) -> str:
    """A fake value of type ``kind`` for ``value``: always the same for the same inputs, never ``value``."""
    if kind == "PERSON":
        fake = _name(value, locale, seed)
    elif kind in GENERATORS:
        faker = _seeded(kind, value, "it" if kind == "FISCAL_CODE" else locale, seed)
        if kind == "IP" and ":" in value:
            fake = faker.ipv6()
        else:
            fake = GENERATORS[kind](faker)
    else:
        return f"<{kind}>"
    return fake if fake.casefold() != value.casefold() else f"<{kind}>"
