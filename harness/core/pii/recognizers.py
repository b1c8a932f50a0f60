"""tunebench's pattern recognizers, registered into Presidio next to its own.

Presidio provides IPv4/IPv6, phone numbers (Google's ``phonenumbers``, here with the
European regions), Italian VAT numbers, US SSNs and UK NI numbers. What it lacks or gets wrong for
the five domains is written here: cards (Luhn; Presidio's pattern misses 2-series Mastercards),
IBANs in any case and spacing, e-mails without a suffix-list
download, Italian fiscal codes in lower case, street addresses in English and Italian, dates of
birth (only next to a cue: a ticket's date is not personal data) and the user's own patterns.

Each recognizer is a regular expression whose named group ``v`` is the value, with an optional
validator; a value that fails it is retried without its last space-separated chunk, so "IT60 X054
2811 1010 0000 0123 456 please" still yields the IBAN when the pattern took one chunk too many.
"""

from __future__ import annotations

import re
from typing import Callable

from faker.providers.address.en_GB import Provider as _GB
from faker.providers.address.en_US import Provider as _US
from presidio_analyzer import EntityRecognizer, RecognizerResult

from tunebench.harness.core.pii.checksums import fiscal_code_ok, iban_ok, luhn_ok

Validator = Callable[[str], bool]


class RegexRecognizer(EntityRecognizer):
    """One entity type from one regular expression (group ``v``, or the whole match)."""

    def __init__(self, entity: str, pattern: str | re.Pattern, validate: Validator | None = None,
                 score: float = 0.85, flags: int = 0):
        self.pattern = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        self.validate, self.score = validate, score
        super().__init__(supported_entities=[entity], name=f"tunebench_{entity.lower()}")

    def load(self) -> None:  # nothing to load: the pattern is compiled in __init__
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        found = []
        for match in self.pattern.finditer(text):
            group = "v" if "v" in self.pattern.groupindex else 0
            start, end = match.span(group)
            end = self._valid_end(text, start, end)
            if end is not None:
                found.append(RecognizerResult(self.supported_entities[0], start, end, self.score))
        return found

    def _valid_end(self, text: str, start: int, end: int) -> int | None:
        if self.validate is None:
            return end
        while end > start:
            if self.validate(text[start:end]):
                return end
            cut = text.rfind(" ", start, end)
            if cut <= start:
                return None
            end = len(text[:cut].rstrip())
        return None


# --- addresses -----------------------------------------------------------------------------------
# US/UK street types as the US Postal Service lists them (Faker's table of them), plus abbreviations.
_EN_STREET = sorted({
    "Alley", "Avenue", "Boulevard", "Bridge", "Brook", "Bypass", "Causeway", "Circle", "Close", "Common", "Corner",
    "Court", "Courts", "Cove", "Crescent", "Crossing", "Drive", "Expressway", "Extension", "Freeway", "Gardens",
    "Gate", "Green", "Grove", "Harbor", "Heights", "Highway", "Hill", "Hills", "Junction", "Lane", "Loop", "Mall",
    "Manor", "Meadow", "Meadows", "Mews", "Mill", "Mission", "Motorway", "Mount", "Orchard", "Oval", "Parade", "Park",
    "Parkway", "Pass", "Path", "Pike", "Place", "Plaza", "Point", "Port", "Ridge", "Road", "Roads", "Route", "Row",
    "Square", "Station", "Street", "Streets", "Summit", "Terrace", "Trace", "Trail", "Turnpike", "View", "Villas",
    "Vista", "Walk", "Way", "Wharf", "Yard", "Ave", "Blvd", "Cir", "Ct", "Dr", "Hwy", "Ln", "Pkwy", "Pl", "Rd",
    "Sq", "St", "Ter", "Trl"} | set(_US.street_suffixes) | set(_GB.street_suffixes), key=len, reverse=True)
_ABBREVIATED = "Ave|Blvd|Cir|Ct|Dr|Hwy|Ln|Pkwy|Pl|Rd|Sq|St|Ter|Trl"
_UNIT = r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.?|Room|#)\s*#?[\w-]+)?"
_US_TAIL = r"[A-Z]{2}\s+\d{5}(?:-\d{4})?"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
_CITY = r"[A-Z][\w'’.-]+(?:\s(?:[A-Z][\w'’.-]+|in|di|del|sul|al|on|upon|under)){0,3}"
_EN_NUMBER = r"\d{1,6}[A-Za-z]?(?:-\d{1,4})?\s+"
EN_ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apt\.?|Apartment|Unit|Studio|Suite)\s+\w+,?\s+(?:{_EN_NUMBER})?|{_EN_NUMBER})(?:[NSEW]\.?\s+)?"
    rf"(?:(?:[A-Z][\w'’.-]*|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}(?:(?:{_ABBREVIATED})\b\.?|"
    rf"(?:{'|'.join(_EN_STREET)})\b){_UNIT}"
    rf"(?:[,\n]\s*{_CITY},?\s+(?:{_US_TAIL}|{_UK_POSTCODE})|[,\n]\s*{_CITY}(?=[\s.,;)]|$)(?!\s+[a-z]))?")

# The generic parts of Italian street names (ISTAT's "denominazioni urbanistiche generiche"), common first.
_IT_STREET = (r"Via|Viale|V\.le|Piazza|P\.zza|P\.za|Piazzale|Piazzetta|Corso|C\.so|Vicolo|Vico|Largo|Strada|"
              r"Stradone|Lungomare|Lungotevere|Lungarno|Contrada|C\.da|Località|Loc\.|Borgo|Salita|Discesa|"
              r"Scalinata|Galleria|Traversa|Rione|Calle|Fondamenta|Rotonda|Incrocio|Canale|Stretto|Passaggio|"
              r"Circonvallazione|Vialetto|Rampa|Frazione|Fraz\.|Quartiere|Rotatoria|Sentiero|Parco|Villaggio")
_IT_PARTICLE = r"(?:di|de|del|dei|della|delle|degli|dello|d'|d’|da|San|Santa|Santo|Sant'|Sant’)"
_IT_NAME = rf"(?:[A-ZÀ-Ý][\w'’.-]*|{_IT_PARTICLE}|\d{{1,2}}|[IVXL]+)"
IT_ADDRESS = re.compile(
    rf"\b(?:{_IT_STREET}|{_IT_STREET.lower()})\s+{_IT_NAME}(?:\s+{_IT_NAME}){{0,5}}?,?\s*(?:n\.?\s*|nr\.?\s*)?"
    rf"\d{{1,4}}(?:\s?/\s?[A-Za-z0-9]{{1,3}}|[A-Za-z](?![\w]))?(?![\d.,]\d)"
    rf"(?:,?\s*(?i:appartamento|app\.|interno|int\.|piano|scala|sc\.|edificio|palazzina)\s*\w{{1,4}})*"
    rf"(?:\s*[,\-–]?\s*\d{{5}}\s+{_CITY}(?:\s*\(?[A-Z]{{2}}\)?)?|\s*[,\-–]\s*{_CITY}\s*\([A-Z]{{2}}\)"
    rf"|,\s*{_CITY}(?=\s*(?:$|[.\n;)])))?")

# --- dates of birth: the date after a cue -------------------------------------------------------
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|gennaio|febbraio|marzo|aprile|maggio|giugno|"
           "luglio|agosto|settembre|ottobre|novembre|dicembre")
_DATE = (rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})"
         rf"\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}")
DATE_OF_BIRTH = re.compile(
    rf"(?i:\b(?:born(?:\s+on)?|date\s+of\s+birth|birth\s?date|d\.?o\.?b\.?|nat[oa](?:\s+a\s+[\w' ]{{2,30}}?)?"
    rf"\s+il|data\s+di\s+nascita)\b)(?:\s*[:\-]|\s+(?:is|was|è|:))?\s*(?P<v>{_DATE})", re.IGNORECASE)

# A number after a phone cue is a phone whatever its format ("call me on (009)-5207534").
PHONE_CUED = re.compile(
    r"(?i:\b(?:tel|telephone|phone|mobile|cell|cellulare|telefono|numero|number|call(?:back)?|chiamare|"
    r"richiamare|reach(?:able)?|whatsapp|fax|on|al)\b[.:]?(?:\s+(?:me|us|is|è|on|at|al|a|the|number|numero))*\s*)"
    r"(?P<v>\+?\(?\d[\d ()./-]{5,18}\d(?![\d/.-]\d)(?:\s*(?:x|ext\.?|int\.?)\s*\d{1,5}\b)?)")
PHONE_DIGITS = (7, 15)
# Shapes that are phone numbers without a cue: an international prefix, or the North American 3-3-4.
PHONE_SHAPED = re.compile(
    r"(?<![\w+/-])(?P<v>(?:\+\d{1,3}[ -]?(?:\(0\)\s?)?\(?\d[\d ()./-]{5,16}\d|\(\d{3}\)\s?\d{3}[-. ]\d{4}|"
    r"\d{3}[-.]\d{3}[-.]\d{4})(?![\d/.-]\d)(?:\s*(?:x|ext\.?)\s*\d{1,5}\b)?)")
CARD = re.compile(r"(?<![\d+])\b\d(?:[ -]?\d){12,18}\b")
# Partita IVA after its cue (eleven digits alone are too often something else); checked like Presidio's
VAT_CUED = re.compile(r"(?i:\b(?:p\.?\s?iva|partita\s+iva|vat(?:\s+(?:no\.?|number|id))?)[\s.:n°]*)"
                      r"(?P<v>(?:IT)?\d{11})\b")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]{4}){2,7}(?:[ -]?[A-Za-z0-9]{1,4})?\b")
FISCAL_CODE = re.compile(r"\b[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z]\b")


NOT_PHONE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?|"
                       r"(?:\d{1,3}\.){3}\d{1,3}")  # dates, times, IPv4 addresses
EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|int\.?|interno)\s*\d{1,5}\b", re.IGNORECASE)


def phone_ok(value: str) -> bool:
    number = EXTENSION.sub("", value)
    digits = sum(c.isdigit() for c in number)
    return PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1] and not NOT_PHONE.fullmatch(number)


def vat_ok(value: str) -> bool:
    """Italian partita IVA check digit (Luhn's scheme on eleven digits)."""
    digits = [int(c) for c in value.removeprefix("IT")]
    total = sum(digits[0:10:2]) + sum(d * 2 - 9 if d > 4 else d * 2 for d in digits[1:10:2])
    return (10 - total % 10) % 10 == digits[10]


def own_recognizers() -> list[EntityRecognizer]:
    """The recognizers tunebench adds to Presidio's (the user's patterns come from the spec)."""
    return [
        RegexRecognizer("EMAIL", EMAIL, score=1.0),
        RegexRecognizer("IBAN", IBAN, iban_ok, score=1.0),
        RegexRecognizer("FISCAL_CODE", FISCAL_CODE, fiscal_code_ok, score=1.0),
        RegexRecognizer("ADDRESS", EN_ADDRESS, score=0.8),
        RegexRecognizer("ADDRESS", IT_ADDRESS, score=0.8),
        RegexRecognizer("DATE_OF_BIRTH", DATE_OF_BIRTH, score=0.9),
        RegexRecognizer("PHONE", PHONE_CUED, phone_ok, score=0.5),
        RegexRecognizer("PHONE", PHONE_SHAPED, phone_ok, score=0.45),
        RegexRecognizer("CARD", CARD, luhn_ok, score=0.9),
        RegexRecognizer("NATIONAL_ID", VAT_CUED, vat_ok, score=0.9),
    ]


def user_recognizers(patterns: dict[str, str]) -> list[EntityRecognizer]:
    """``pii_patterns`` from the spec: TYPE -> regex, at the highest score so they win overlaps."""
    return [RegexRecognizer(kind, regex, score=1.0) for kind, regex in sorted(patterns.items())]
