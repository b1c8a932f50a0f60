"""Dates in Italian and English, words and digits, in one form (day first for numeric dates)."""

import pytest

from tunebench.harness.scorers.dates import canonical
from tunebench.harness.scorers.facts import stated


@pytest.mark.parametrize("text, expected", [
    ("entro il 15 marzo 2026", "entro il d15 m03 y2026"),
    ("by march 15, 2026", "by d15 m03 y2026"),
    ("by the 15th of march 2026", "by the d15 m03 y2026"),
    ("entro il 15/03/2026", "entro il d15 m03 y2026"),
    ("15.03.26", "d15 m03 y2026"),
    ("on 2026-03-15", "on d15 m03 y2026"),
    ("03/04/2026", "d3 m04 y2026"),              # day first, as Italian writes it
    ("il primo aprile", "il d1 m04"),
    ("april 1st", "d1 m04"),
    ("dec. 5, 2026", "d5 m12 y2026"),
    ("entro maggio 2026", "entro m05 y2026"),
    ("29/02/2028", "d29 m02 y2028"),
    # left as written: not a date
    ("31/02/2026", "31/02/2026"),
    ("32 marzo", "32 marzo"),
    ("you may 3 times", "you may 3 times"),
    ("version 1.2.3", "version 1.2.3"),
    ("costa 4,90 euro", "costa 4,90 euro"),
])
def test_dates_in_one_form(text, expected):
    assert canonical(text) == expected


@pytest.mark.parametrize("fact, answer, said", [
    ("15 marzo 2026", "Your refund arrives by March 15, 2026.", True),
    ("15 marzo 2026", "Il rimborso arriva entro il 15/03/2026.", True),
    ("15 marzo 2026", "Il rimborso arriva entro il quindici marzo 2026.", True),
    ("15 marzo", "Il rimborso arriva entro il 15/03/2026.", True),    # a date without a year
    ("15 marzo 2026", "Il rimborso arriva entro il 15/04/2026.", False),  # another month
    ("15 marzo 2026", "Il rimborso arriva entro il 15 marzo 2025.", False),  # another year
    ("3 aprile 2026", "Consegna il 04/03/2026.", False),              # day first: the 4th of March
    ("15 giorni", "Il rimborso arriva il 15 marzo.", False),          # a day of the month is not a count of days
    ("15 marzo 2026", "Non entro il 15 marzo 2026, ma dopo.", False),   # negated
])
def test_a_date_is_stated_however_it_is_written(fact, answer, said):
    assert stated(fact, answer) is said
