"""Answers scored by their facts: which of the facts an item says the answer must state are stated.

A generation item may carry ``facts``: a list whose entries are a fact (text) or a list of
alternatives for one fact (["30 giorni", "30 days"], ["ho inoltrato la sua richiesta al nostro team
specializzato", "I have forwarded your request to our specialist team"]). A fact is stated when its
normalised words appear, in order and together, in the normalised answer, and are not negated in
their clause ("non entro 30 giorni"). Normalisation makes Italian and English, digits and words,
symbols and names agree: accents and case folded; numbers written as words become digits ("trenta",
"thirty" -> 30; "quattordici" -> 14); decimal commas become points and trailing zeros go (4,90 ->
4.9); quotations are mentions, not statements ("'within 30 days' is the old policy"); currencies one
word, after the amount (€ 4,90, EUR 4.90, 4,90 euro -> 4.9 eur); units one symbol (giorni,
days -> d; giorni lavorativi, working days -> wd; ore, hours -> h; mesi, months -> mo; anni, years -> y; settimane, weeks -> w). "14 days"
is not "30 days": numbers must match exactly. Quantities of one kind are written in one unit (weeks as days,
"two weeks" -> 14 d; years as months, "un anno" -> 12 mo) and ranges in one form ("da 2 a 4", "between 2 and
4", "2 to 4", "2–4" -> 2-4), so either way of writing a fact states it. A month is not turned into 30 days:
a policy's "30 days" and "a month" differ by a day or two, which is the kind of difference a fact checks.
Dates are one form too ("15 marzo 2026", "March 15, 2026", "15/03/2026", "2026-03-15": ``dates.py``).
"""

from __future__ import annotations

import re
import unicodedata

from tunebench.harness.core.negation import QUOTES, mentions, negated
from tunebench.harness.scorers.dates import canonical

_UNITS = [(r"giorni lavorativi|giorno lavorativo|working days?|business days?", "wd"),
          (r"giorni|giorno|days?|gg", "d"), (r"ore|ora|hours?|hrs?", "h"), (r"mesi|mese|months?", "mo"),
          (r"anni|anno|years?", "y"), (r"settimane|settimana|weeks?", "w"), (r"€|euros?|eur", "eur")]
_ONES_IT = ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici",
            "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"]
_ONES_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS_IT = {20: "venti", 30: "trenta", 40: "quaranta", 50: "cinquanta", 60: "sessanta", 70: "settanta",
            80: "ottanta", 90: "novanta"}
_TENS_EN = {20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 70: "seventy", 80: "eighty",
            90: "ninety"}


def _number_words() -> dict[str, str]:
    words = {w: str(i) for i, w in enumerate(_ONES_IT)} | {w: str(i) for i, w in enumerate(_ONES_EN)}
    words |= {"un": "1", "una": "1", "a couple": "2", "cento": "100", "hundred": "100", "a hundred": "100"}
    for tens, word in _TENS_IT.items():
        words[word] = str(tens)
        for unit in range(1, 10):  # ventuno, ventotto: the tens drop their vowel before uno and otto
            stem = word[:-1] if unit in (1, 8) else word
            words[stem + _ONES_IT[unit]] = str(tens + unit)
        words[word[:-1] + "tré"] = words[word + "tre"] = str(tens + 3)
    for tens, word in _TENS_EN.items():
        words[word] = str(tens)
        for unit in range(1, 10):
            words[f"{word}-{_ONES_EN[unit]}"] = words[f"{word} {_ONES_EN[unit]}"] = str(tens + unit)
    return words


_WORDS = _number_words()
_WORD_RX = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True)) + r")\b")
_UNIT_RX = [(re.compile(rf"(?<![\w])(?:{rx})(?![\w])"), sym) for rx, sym in _UNITS]
_NUMBER = r"\d+(?:\.\d+)?"
# "da 2 a 4", "tra 2 e 4", "between 2 and 4", "from 2 to 4", "2 to 4", "2 - 4", "2–4": one form, 2-4
_RANGE_RX = re.compile(rf"(?:\b(?:da|tra|fra|between|from) ({_NUMBER}) (?:a|e|and|to)|\b({_NUMBER}) ?(?:to|[-–—]))"
                       rf" ?({_NUMBER})(?![\w.])")
_SCALE_RX = re.compile(rf"\b({_NUMBER}) (w|y)\b")  # weeks as days, years as months
_SCALES = {"w": (7, "d"), "y": (12, "mo")}


def _scaled(match: re.Match) -> str:
    factor, unit = _SCALES[match.group(2)]
    value = float(match.group(1)) * factor
    return f"{value:g} {unit}"


def normalise(text: str) -> str:
    """Lower case, no accents, numbers as digits, units and currencies as one symbol, single spaces."""
    text = text.lower().replace("€", " € ")
    text = canonical(_WORD_RX.sub(lambda m: _WORDS[m.group(1)], text))  # dates before "15.03" reads as a decimal
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"(\d),(\d)", r"\1.\2", text)
    text = re.sub(r"(\d+)\.(\d*?)0+\b", lambda m: m.group(1) + ("." + m.group(2) if m.group(2) else ""), text)
    for rx, sym in _UNIT_RX:
        text = rx.sub(f" {sym} ", text)
    text = _RANGE_RX.sub(lambda m: f"{m.group(1) or m.group(2)}-{m.group(3)}", " ".join(text.split()))
    text = re.sub(r"[^\w.\s-]|(?<!\d)[.-]|[.-](?!\d)", " ", text)
    text = re.sub(r"\beur (\d+(?:\.\d+)?)", r"\1 eur", " ".join(text.split()))  # EUR 4.90 = 4,90 euro
    return _SCALE_RX.sub(_scaled, text)


def _without_mentions(answer: str, alternatives: list[str]) -> str:
    """``answer`` without the quotations that mention the fact ("'within 30 days' is the old policy");
    a quotation that only names one of its forms ("Use the 'Forgot password?' link") keeps its words
    (``negation.mentions``, as the policy rules read quotations)."""
    def mention(match: re.Match) -> str:
        used = any(not mentions(answer, match, a) for a in alternatives)
        return match.group(0)[1:-1] if used else " "

    return QUOTES.sub(mention, answer)


def stated(fact: str | list[str], answer: str) -> bool:
    """Whether ``answer`` states ``fact`` (or one of its alternatives), neither negated nor only quoted."""
    alternatives = [fact] if isinstance(fact, str) else fact
    plain = normalise(_without_mentions(answer, alternatives))
    for alternative in alternatives:
        wanted = normalise(alternative)
        if not wanted:
            continue
        for match in re.finditer(rf"(?<![\w.-]){re.escape(wanted)}(?![\w]|[.-]\d)", plain):
            if not negated(plain, match.start()):
                return True
    return False


def check(facts: list, answer: str) -> tuple[list, list]:
    """(stated, missing) facts of an item for ``answer``."""
    said = [f for f in facts if stated(f, answer)]
    return said, [f for f in facts if f not in said]


def shown(fact: str | list[str]) -> str:
    return fact if isinstance(fact, str) else " / ".join(fact)
