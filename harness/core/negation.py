"""Whether a phrase in a text is said or only negated or quoted: "call 112" versus "no need to call 112".

Policy rules that require or forbid a phrase check its *affirmed* occurrences: an occurrence counts
unless a negation cue stands before it in the same clause (English and Italian: "no need to",
"don't", "never", "without", "instead of"; "non", "mai", "senza", "invece di", ...) or it sits
inside quotation marks (a mention, "the word 'guarantee'", not a use). A clause ends at . ; : ! ?,
a line break or a contrast ("but", "however", "ma", "però"), so "don't wait, call 112" still calls 112.
"""

from __future__ import annotations

import re

NEGATION_CUES = re.compile(
    r"\b(?:no|not|never|don'?t|doesn'?t|didn'?t|won'?t|shouldn'?t|needn'?t|cannot|can'?t|without|avoid(?:ing)?|"
    r"instead of|rather than|unnecessary|non|mai|senza|nessun[oa]?|evita(?:re)?|inutile|invece di|anziché|"
    r"nemmeno|neanche|né)\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[.;:!?\n]|,|\b(?:but|however|ma|però|tuttavia|instead|invece)\b", re.IGNORECASE)
# quotation marks that are never apostrophes; QUOTES adds plain single quotes, which can be
DOUBLE_QUOTES = r"\"[^\"\n]*\"|“[^”\n]*”|«[^»\n]*»|‘[^’\n]*’"
QUOTES = re.compile(DOUBLE_QUOTES + r"|'[^'\n]{1,80}'(?!\w)")
WINDOW_WORDS = 6  # a cue further back than this in the clause negates something else


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


def quoted(text: str, start: int, end: int) -> bool:
    return any(q.start() <= start and end <= q.end() for q in QUOTES.finditer(text))


def said(matches: list[re.Match], text: str) -> list[re.Match]:
    """The matches that are said: neither negated nor quoted."""
    return [m for m in matches if not negated(text, m.start()) and not quoted(text, *m.span())]


def affirmed(phrase: str, text: str) -> list[re.Match]:
    """The occurrences of ``phrase`` that are said."""
    return said(occurrences(phrase, text), text)


def affirmed_regex(pattern: str, text: str) -> list[re.Match]:
    """The matches of ``pattern`` that are said."""
    return said(list(re.finditer(pattern, text)), text)
