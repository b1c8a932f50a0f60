"""Person names in English and Italian text, with no NER model: a first-name list and cues.

The first names are ``gender-guesser``'s dictionary (Jörg Michael's list of about 48,000 first names
with their frequency in 54 countries, Italy, the UK and the US among them; GNU FDL), shipped on
PyPI. Surnames have no list: a surname is the capitalised word(s) after a first name. A name is
found when

- a known first name is followed by capitalised words ("Giulia Esposito", "John F. Kennedy",
  "Maria De Luca"), or stands alone where it cannot be an ordinary word (a first name that is also
  an English or Italian word, "Will", "May", "Rosa", needs a surname or a cue);
- a cue introduces it: a title (Mr, Mrs, Dr, Sig., Sig.ra, Dott.ssa, Avv., Ing., Prof.), a
  self-introduction ("my name is", "mi chiamo", "I'm", "sono"), a salutation ("Dear", "Hi",
  "Gentile", "Ciao") or a sign-off ("Regards,", "Cordiali saluti,") before capitalised words;
- a word of a name found elsewhere in the same text recurs capitalised ("Esposito said ...").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerResult

WORD = re.compile(r"(?i:sig\.r?a|sig\.na|dott\.ssa|prof\.ssa)\b\.?|[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*\.?")
PARTICLES = {"de", "di", "da", "del", "della", "dei", "degli", "van", "von", "der", "den", "la", "le", "du",
             "dos", "das", "bin", "al", "el", "ter", "mc", "st."}
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "sig", "sig.ra", "sig.na", "signor",
          "signora", "signorina", "dott", "dott.ssa", "dottor", "dottore", "dottoressa", "avv", "avvocato", "ing",
          "ingegnere", "geom", "rag", "arch", "prof.ssa", "professore", "professoressa"}
# Words before a name that introduce it; the name may be any capitalised word after these.
INTRODUCERS = [r"my name is", r"my name's", r"mi chiamo", r"il mio nome è", r"name\s*:", r"nome\s*:",
               r"cognome\s*:", r"surname\s*:", r"patient\s*:", r"paziente\s*:", r"customer\s*:", r"cliente\s*:",
               r"signed\s*:?", r"firmato\s*:?", r"contact\s*:", r"referente\s*:", r"reported by", r"segnalato da",
               r"assigned to", r"assegnato a"]
# Salutations: the capitalised word after one is a name unless it is a word ("Dear Customer").
SALUTATIONS = {"dear", "hi", "hello", "hey", "ciao", "salve", "gentile", "gentilissimo", "gentilissima", "caro",
               "cara", "buongiorno", "buonasera", "thanks", "thank", "grazie"}
NOT_NAMES = {"customer", "customers", "client", "cliente", "clienti", "team", "user", "utente", "sir", "madam",
             "all", "everyone", "colleague", "colleagues", "collega", "colleghi", "signore", "signora", "signori",
             "tutti", "friend", "friends", "support", "admin", "there", "world"}
# Words before a known first name that make it a name even when it is also a word ("with Will").
GREETERS = SALUTATIONS | {"i'm", "im", "sono", "is", "am", "with", "con"}
# English titles are capitalised ("ms" in "900 ms. The" is not one); Italian ones are often not ("il dott. Rizzo").
CAPITALISED_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam"}
# Roles and verbs after which two or three capitalised words are a person even with an unknown first name.
ROLES = re.compile(
    r"(?i)\b(?:customer|client|caller|patient|user|colleague|agent|guarantor|tenant|landlord|witness|consultant|"
    r"analyst|owner|engineer|technician|manager|nurse|doctor|son|daughter|wife|husband|mother|father|dad|mum|"
    r"mom|brother|sister|visitor|employee|contractor|(?:opened|reported|requested|approved|signed|authori[sz]ed|"
    r"sent|written|assigned|closed|raised|escalated|called)\s+(?:by|to)|on behalf of|cliente|utente|collega|"
    r"paziente|referente|responsabile|reperibile|marito|moglie|madre|padre|figlio|figlia|fratello|sorella|"
    r"conduttore|locatore|garante|tecnico|dipendente|assunto|assunta|intestat[oa] a|(?:aperto|segnalato|"
    r"richiesto|richiesta|autorizzat[oa]|firmato|chiuso|inviato|assegnato)\s+da)\s+$")
SIGNED = re.compile(r"(?i)\b(?:regards|thanks(?: a lot)?|thank you|cheers|best|sincerely|yours|saluti|"
                    r"grazie(?: mille)?|"
                    r"cordialmente|a presto|un saluto|ciao)\s*[,!.]?$")
SIGN_OFFS = re.compile(r"(?im)^(?:(?:best|kind|warm)?\s*regards|best|thanks|thank you|cheers|sincerely|yours|"
                       r"cordiali saluti|distinti saluti|saluti|grazie|un saluto|a presto)[,!.]?\s*\n\s*")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Every single-word first name in gender-guesser's dictionary, lower-cased."""
    import gender_guesser

    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line[:1] in "#=" or len(line) < 30:
            continue
        name = line[3:29].strip()
        if name and "+" not in name and " " not in name and len(name) > 1:
            names.add(name.lower())
            names.add(fold(name))
    return frozenset(names)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English and Italian words a first name may also be ("Will", "Rosa"): spaCy's stop words, an
    English list of common words (Faker's), months and weekdays."""
    from faker.providers.lorem.en_US import Provider as Lorem
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.it.stop_words import STOP_WORDS as IT

    greetings = ("hi hello hey dear thanks thank ciao salve gentile caro cara buongiorno buonasera grazie regards "
                 "cordiali saluti best cheers sincerely team support").split()
    calendar = ("january february march april may june july august september october november december "
                "monday tuesday wednesday thursday friday saturday sunday gennaio febbraio marzo aprile maggio "
                "giugno luglio agosto settembre ottobre novembre dicembre lunedì martedì mercoledì giovedì "
                "venerdì sabato domenica").split()
    return frozenset({w.lower() for w in EN | IT | set(Lorem.word_list) | set(calendar) | set(greetings)})


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English and Italian function words (spaCy's lists): never the first word of a name."""
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.it.stop_words import STOP_WORDS as IT

    return frozenset({w.lower() for w in EN | IT} | SALUTATIONS | {"san", "santa", "santo", "saint", "st"})


def fold(word: str) -> str:
    """Lower case without diacritics: "Émilie" and "Emilie" are one name."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def is_first_name(word: str) -> bool:
    """A known first name, with or without its accents, or a hyphenated pair of them ("Heinz-Josef")."""
    names, low = first_names(), word.rstrip(".").lower()
    return low in names or fold(low) in names or "-" in low and all(fold(p) in names for p in low.split("-"))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or not word[1:].isupper() or len(word) <= 3
                                   or word.lower().rstrip(".") in first_names())


class PersonRecognizer(EntityRecognizer):
    """PERSON spans found by the rules in the module docstring."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], name="tunebench_person")

    def load(self) -> None:
        first_names(), common_words()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        return [RecognizerResult("PERSON", s, e, 0.75) for s, e in person_spans(text)]


def person_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the person names in ``text``, merged, in order."""
    words = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]
    common, stops = common_words(), stop_words()
    spans: list[tuple[int, int]] = []
    introduced = _introduced(text)
    i = 0
    while i < len(words):
        start, end, word = words[i]
        bare = word.rstrip(".").lower()
        prev = words[i - 1][2].lower() if i and _adjacent(text, words[i - 1][1], start) else ""
        nxt = words[i + 1] if i + 1 < len(words) and _adjacent(text, end, words[i + 1][0]) else None
        title = bare in TITLES and (word[0].isupper() or bare not in CAPITALISED_TITLES)
        if nxt and _capitalised(nxt[2]) and nxt[2].rstrip(".").lower() not in stops and (title or _is_initial(word)):
            j = _extend(text, words, i + 1)
            spans.append((words[i + 1][0] if title else start, _strip_dot(text, start, words[j][1])))
            i = j + 1
            continue
        name = _capitalised(word) and bare not in stops and fold(bare) not in stops and (
            is_first_name(word) or start in introduced or bool(ROLES.search(text[:start])))
        if name:
            j = _extend(text, words, i)
            known = is_first_name(word)
            if j > i:
                ok = known or bare not in common
            else:
                ok = known and (prev in GREETERS or start in introduced or _stands_alone(text, start, end)) or \
                    prev in SALUTATIONS and bare not in common and bare not in NOT_NAMES
            if ok and (not word.isupper() or len(word) > 1 and j > i and words[j][2].isupper()):
                spans.append((start, _strip_dot(text, start, words[j][1])))
                i = j + 1
                continue
        i += 1
    return _merge(spans + _recurrences(text, words, spans))


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _introduced(text: str) -> set[int]:
    """Positions where an introducer or a sign-off says a name follows."""
    starts = {m.end() for m in SIGN_OFFS.finditer(text)}
    for phrase in INTRODUCERS:
        for m in re.finditer(rf"(?i)\b{phrase}\s*", text):
            starts.add(m.end())
    return starts


def _extend(text: str, words: list[tuple[int, int, str]], i: int) -> int:
    """Index of the last word of the name that starts at word ``i``: up to three more capitalised
    words, initials ("F.") and particles ("De", "van der") on the same line."""
    j, stops = i, stop_words()
    while j + 1 < len(words) and j - i < 3:
        start, _, word = words[j + 1]
        if not _adjacent(text, words[j][1], start):
            break
        low = word.lower()
        if low in PARTICLES and j + 2 < len(words) and _capitalised(words[j + 2][2]) \
                and _adjacent(text, words[j + 1][1], words[j + 2][0]):
            j += 2
            continue
        if not _capitalised(word) or low.rstrip(".") in stops or word.isupper() and len(word) > 1 \
                and not words[i][2].isupper() or words[j][2].endswith(".") and len(words[j][2]) > 2:
            break
        j += 1
    return j


def _adjacent(text: str, end: int, start: int) -> bool:
    """Two words of one name: one space between them."""
    return text[end:start] == " "


def _strip_dot(text: str, start: int, end: int) -> int:
    """A trailing full stop ends the sentence, not the name, unless the last word is an initial."""
    if text[end - 1] == "." and end - start > 2 and not re.search(r"(?:^|\s)\w\.$", text[start:end]):
        return end - 1
    return end


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“(")
    return not before or before[-1] in ".!?:\n;"


def _stands_alone(text: str, start: int, end: int) -> bool:
    """A first name alone on its line, at the end of the text (a signature) or opening a line before a
    comma (a salutation: "Marco, ...") is a name."""
    end -= text[end - 1] == "."
    before = text[:start].rstrip(" \t")
    line_start = not before or before.endswith("\n")
    rest = text[end:].lstrip(" \t.!")
    signed = line_start or bool(SIGNED.search(before))
    return signed and (not rest or rest.startswith("\n")) or line_start and rest.startswith(",")


def _recurrences(text: str, words: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Other capitalised occurrences of the words of the names found (a surname used alone)."""
    found = {w for s, e in spans for w in (m.group(0).rstrip(".") for m in WORD.finditer(text[s:e]))
             if len(w) > 2 and w.lower() not in common_words() and w.lower() not in PARTICLES}
    return [(s, s + len(w.rstrip("."))) for s, e, w in words if w.rstrip(".") in found]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out
