"""Reading a JSON answer as a careful reviewer reads it: is it valid JSON, and what does it say?

Two separate questions. ``valid``: the output holds a JSON object the standard library parses
(after a code fence or a lead-in sentence, as a reviewer would accept). ``fields``: what the answer
says, read into the suite's schema even when the JSON is broken: a broken object is mended with
``json-repair`` (single quotes, trailing commas, unquoted keys, a missing brace, curly quotes, a
truncated value), then mapped onto the schema's properties (``jsonschema`` draft 2020-12):

- keys match case-, space- and hyphen-insensitively, or by containment when only one property fits
  ("type" and "clause" -> clause_type, "risk_level" -> risk); unknown keys are dropped;
- an object wrapped once ({"result": {...}} or [{...}]) is unwrapped;
- a value must be one of the property's ``enum`` (case, spaces and hyphens folded), or the one enum
  member inside a nested object ({"level": "low", "reason": ...}); otherwise the field is None, as is
  a key given twice with different values, or a list of values;
- two different objects are no answer, unless a cue ("Answer:", "Correction:") marks one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

FENCE = re.compile(r"```(?:json)?\s*|```")
CUE = re.compile(r"(?i)(answer|correction|corrected|final|risposta|correzione)\s*:?\s*$")


@dataclass(frozen=True)
class JsonAnswer:
    valid: bool                 # a strict JSON object was found
    fields: dict | None         # what it says, in the schema's fields (None: nothing readable)
    why: str


def _strict_objects(text: str) -> list[tuple[int, Any]]:
    """(position, value) of every JSON object or array that parses strictly, left to right."""
    found, decoder, i = [], json.JSONDecoder(object_pairs_hook=_pairs), 0
    while True:
        starts = [p for p in (text.find("{", i), text.find("[", i)) if p >= 0]
        if not starts:
            return found
        start = min(starts)
        try:
            value, end = decoder.raw_decode(text[start:])
        except json.JSONDecodeError:
            i = start + 1
            continue
        if isinstance(value, (dict, list)):
            found.append((start, value))
        i = start + max(end, 1)


class _Dup(dict):
    """An object with a key given twice with different values: those keys are ambiguous."""

    ambiguous: set


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    out, ambiguous = _Dup(), set()
    for key, value in pairs:
        if key in out and out[key] != value:
            ambiguous.add(key)
        out[key] = value
    out.ambiguous = ambiguous
    return out


def _object(value: Any) -> dict | None:
    """The answer object inside ``value``: itself, the only dict of a list, or a one-key wrapper."""
    if isinstance(value, list):
        dicts = [v for v in value if isinstance(v, dict)]
        return _object(dicts[0]) if len(dicts) == 1 else None
    if isinstance(value, dict) and len(value) == 1:
        inner = next(iter(value.values()))
        if isinstance(inner, dict):
            return inner
    return value if isinstance(value, dict) else None


def _fold(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower())


def _key_map(keys: list[str], properties: list[str]) -> dict[str, str]:
    """Each answer key -> the schema property it names (exact after folding, else the one property
    that contains it or is contained in it)."""
    out = {}
    for key in keys:
        folded = _fold(key)
        exact = [p for p in properties if _fold(p) == folded]
        near = exact or [p for p in properties if folded and (folded in _fold(p) or _fold(p) in folded)]
        if len(near) == 1:
            out[key] = near[0]
    return out


def _value(value: Any, enum: list | None) -> Any:
    if enum is None:
        return value
    allowed = {_fold(v): v for v in enum}
    if isinstance(value, str):
        return allowed.get(_fold(value))
    if isinstance(value, dict):
        members = {allowed[_fold(v)] for v in value.values() if isinstance(v, str) and _fold(v) in allowed}
        return members.pop() if len(members) == 1 else None
    return None


def to_schema(obj: dict, schema: dict | None) -> dict:
    """``obj`` read into ``schema``'s properties (all of them, None where the answer says nothing)."""
    properties = (schema or {}).get("properties") or {}
    if not properties:
        return dict(obj)
    ambiguous = getattr(obj, "ambiguous", set())
    mapping = _key_map(list(obj), list(properties))
    fields: dict[str, Any] = {name: None for name in properties}
    claimed: dict[str, int] = {}
    for key, prop in mapping.items():
        claimed[prop] = claimed.get(prop, 0) + 1
        if key not in ambiguous:
            fields[prop] = _value(obj[key], properties[prop].get("enum"))
    for prop, count in claimed.items():
        if count > 1:  # two keys for one property ("clause_type" and "type"): no answer for it
            fields[prop] = None
    return fields


def _repaired(text: str) -> dict | None:
    """The object ``json-repair`` mends from the text from its first brace (or from a bare
    "key": value list), if any."""
    from json_repair import repair_json

    start = text.find("{")
    if start < 0 and re.search(r'"\w[\w ]*"\s*:', text):
        text, start = "{" + text.strip().strip(",") + "}", 0
    if start < 0:
        return None
    try:
        value = json.loads(repair_json(text[start:].replace("\\\"", '"')), object_pairs_hook=_pairs)
    except (json.JSONDecodeError, ValueError):
        return None
    return _object(value)


def read_json_answer(text: str, schema: dict | None = None) -> JsonAnswer:
    """What a JSON answer says and whether it is valid JSON (see the module docstring)."""
    plain = FENCE.sub("\n", text or "")
    objects = [(pos, obj) for pos, value in _strict_objects(plain) if (obj := _object(value)) is not None]
    if objects:
        readings = [(pos, to_schema(obj, schema)) for pos, obj in objects]
        distinct = {json.dumps(r, sort_keys=True) for _, r in readings}
        if len(distinct) == 1:
            return JsonAnswer(True, readings[0][1], "")
        cued = [r for pos, r in readings if CUE.search(plain[max(0, pos - 24):pos])]
        if cued:
            return JsonAnswer(True, cued[-1], "the object marked as the answer")
        return JsonAnswer(True, None, f"{len(distinct)} different JSON objects: no single answer")
    mended = _repaired(plain)
    if mended is not None:
        return JsonAnswer(False, to_schema(mended, schema), "not valid JSON; read after repair (json-repair)")
    return JsonAnswer(False, None, "no JSON object in the output")
