"""Dates written in Italian or English, in words or in digits, rewritten in one form.

A fact may be a date ("15 marzo 2026") that an answer writes another way ("March 15, 2026", "15/03/2026",
"2026-03-15", "il 15 marzo"): each becomes the tokens ``d15 m03 y2026`` (day, month, year; a date
without a year gives ``d15 m03``, which an answer's full date still contains; "marzo 2026" gives
``m03 y2026``), which no number or unit can be mistaken for. Numeric dates are read day first, as
Italian and the rest of Europe write them (03/04/2026 is the 3rd of April); ISO dates (2026-04-03) are
year, month, day. A day or month out of range (32 marzo, 30/02/2026) leaves the text as it was; so does
"may" before a number without a year ("you may 3 times"). Text is expected lower case (``facts.normalise`` calls this).
"""

from __future__ import annotations

import calendar
import re

_IT = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
       "novembre", "dicembre"]
_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
       "november", "december"]
# abbreviations that are not also common words ("mar", "set", "ago" are left out)
_SHORT = {"jan": 1, "feb": 2, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11,
          "dec": 12, "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ott": 10, "dic": 12}
MONTHS = {name: i for names in (_IT, _EN) for i, name in enumerate(names, start=1)} | _SHORT

_MONTH = "(" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2}|primo|first)(?:st|nd|rd|th|°|º)?"
_YEAR = r"(?:,? (\d{4}))?"
_DAY_FIRST = re.compile(rf"\b{_DAY}(?: of)? {_MONTH}(?![\w]){_YEAR}")
_MONTH_FIRST = re.compile(rf"\b{_MONTH} {_DAY}(?![\w]){_YEAR}")
_NUMERIC = re.compile(r"(?<![\w./-])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\w]|[./-]\d)")
_MONTH_YEAR = re.compile(rf"\b{_MONTH} (\d{{4}})(?![\w])")
_ISO = re.compile(r"(?<![\w./-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\w]|[./-]\d)")


def _token(day: str, month: int, year: str | None, original: str) -> str:
    day_number = 1 if day in ("primo", "first") else int(day)
    year = "20" + year if year and len(year) == 2 else year
    if not 1 <= month <= 12 or not 1 <= day_number <= calendar.monthrange(int(year or 2000), month)[1]:
        return original  # 2000 is a leap year: without a year, the 29th of February is a date
    return f"d{day_number} m{month:02d}" + (f" y{year}" if year else "")


def canonical(text: str) -> str:
    """``text`` with every date it writes as ``d<day> m<month> [y<year>]``."""
    text = _ISO.sub(lambda m: _token(m.group(3), int(m.group(2)), m.group(1), m.group(0)), text)
    text = _NUMERIC.sub(lambda m: _token(m.group(1), int(m.group(3)), m.group(4), m.group(0)), text)
    text = _DAY_FIRST.sub(lambda m: _token(m.group(1), MONTHS[m.group(2)], m.group(3), m.group(0)), text)
    text = _MONTH_FIRST.sub(lambda m: m.group(0) if m.group(1) == "may" and not m.group(3)  # "you may 3 times"
                            else _token(m.group(2), MONTHS[m.group(1)], m.group(3), m.group(0)), text)
    return _MONTH_YEAR.sub(lambda m: f"m{MONTHS[m.group(1)]:02d} y{m.group(2)}", text)
