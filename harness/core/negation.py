"""Whether a phrase in a text is said or only negated or quoted: "call 112" versus "no need to call 112".

Policy rules that require or forbid a phrase check its *affirmed* occurrences: an occurrence counts
unless a negation cue stands before it in the same clause (English and Italian: "no need to",
"don't", "never", "without", "instead of"; "non", "mai", "senza", "invece di", ...) or it sits
inside quotation marks (a mention, "the word 'guarantee'", not a use; a quotation that is only a short
name, "the 'Area Clienti' section", is a use). A clause ends at . ; : ! ?,
a line break or a contrast ("but", "however", "ma", "però"), so "don't wait, call 112" still calls 112.
"""

from __future__ import annotations

import re

NEGATION_CUES = re.compile(
    r"\b(?:no|not|never|don'?t|doesn'?t|didn'?t|won'?t|shouldn'?t|needn'?t|cannot|can'?t|without|avoid(?:ing)?|"
    r"instead of|rather than|unnecessary|non|mai|senza|nessun[oa]?|evita(?:re)?|inutile|invece di|anziché|"
    r"nemmeno|neanche|né)\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[.;:!?\n]|,|\b(?:but|however|ma|però|tuttavia|instead|invece)\b", re.IGNORECASE)
# quotation marks that are never apostrophes; QUOTES adds plain single quotes, which can be: one opens
# after a space or a sign, never after a letter ("dall'Area Clienti: e' semplice" quotes nothing)
DOUBLE_QUOTES = r"\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»|‘[^’\n]*’"
QUOTES = re.compile(DOUBLE_QUOTES + r"|(?<!\w)'[^'\n]{1,80}'(?!\w)")
WINDOW_WORDS = 6  # a cue further back than this in the clause negates something else
NAME_WORDS = 4  # a quoted phrase this short, without digits, that is the whole quotation, is a name
# "the word 'guarantee'", "il termine «gratis»": a quotation after these talks about the words themselves
ABOUT_WORDS = re.compile(r"\b(?:words?|terms?|phrases?|expressions?|parol[ae]|termin[ei]|espression[ei]|fras[ei]"
                         r"|dicitura)\W*$", re.IGNORECASE)


def names(quotation: str, phrase: str) -> bool:
    """Whether ``quotation`` (a match of QUOTES) only names ``phrase``: the whole quotation, short and without
    digits ("Use the 'Forgot password?' link", "la sezione 'Area Clienti'"). A name in quotation marks is
    used, not mentioned; "'within 30 days' is the old policy" mentions."""
    inner = quotation[1:-1].strip(" ?!.:,;").lower()
    return (inner == " ".join(phrase.lower().split()).strip(" ?!.:,;") and len(phrase.split()) <= NAME_WORDS
            and not re.search(r"\d", phrase))


def occurrences(phrase: str, text: str) -> list[re.Match]:
    """Every whole-word, case-insensitive occurrence of ``phrase`` in ``text``."""
    return list(re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE))


def negated(text: str, start: int) -> bool:
    """A negation cue in the clause before ``start``, within ``WINDOW_WORDS`` words."""
    before = text[:start]
    breaks = list(CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    window = " ".join(clause.split()[-WINDOW_WORDS:])
    return NEGATION_CUES.search(window) is not None


def mentions(text: str, quotation: re.Match, phrase: str) -> bool:
    """Whether ``quotation`` (a QUOTES match in ``text``) holding ``phrase`` mentions it rather than uses it:
    always, unless it only names the phrase (``names``) and the text does not say it speaks of the words
    ("the word 'guarantee'")."""
    return not names(quotation.group(0), phrase) or bool(ABOUT_WORDS.search(text[:quotation.start()]))


def quoted(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` sits inside quotation marks as a mention (``mentions``)."""
    return any(q.start() <= start and end <= q.end() and mentions(text, q, text[start:end])
               for q in QUOTES.finditer(text))


def said(matches: list[re.Match], text: str) -> list[re.Match]:
    """The matches that are said: neither negated nor quoted."""
    return [m for m in matches if not negated(text, m.start()) and not quoted(text, *m.span())]


def affirmed(phrase: str, text: str) -> list[re.Match]:
    """The occurrences of ``phrase`` that are said."""
    return said(occurrences(phrase, text), text)


def affirmed_regex(pattern: str, text: str) -> list[re.Match]:
    """The matches of ``pattern`` that are said."""
    return said(list(re.finditer(pattern, text)), text)
