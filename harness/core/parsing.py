"""Reading model outputs: cut at the stop sequence, parse label lines and JSON objects.

Kept apart from the prompt renderer on purpose: adapters are keyed by the text they were trained
on, which the renderer writes, and a fix to how outputs are parsed must not make every trained
adapter stale.
"""

from __future__ import annotations

import json
import re

from tunebench.harness.core.prompts import STOP_SEQUENCES
from tunebench.harness.core.suites import Suite


def truncate_at_stop(text: str) -> str:
    """Cut a generation at the first stop sequence (generation runs in batches past it)."""
    for stop in STOP_SEQUENCES:
        cut = text.find(stop)
        if cut >= 0:
            text = text[:cut]
    return text


def answer_part(suite: Suite, text: str) -> str:
    """``text`` up to where the model went on to invent the next item ("\nTicket: ..."): its answer
    ended there. What a reader takes as the answer, for labels and for refusals alike."""
    next_item = re.search(rf"\n\s*{re.escape(suite.config.input_label)}\s*:", text)
    return text[:next_item.start()] if next_item else text


def parse_labels(suite: Suite, text: str) -> dict[str, str | None]:
    """Label per field read from a generation; ``None`` where absent, outside the label set or ambiguous.

    Read as a careful human reads a label line: markdown emphasis is ignored ("**Category:**
    network"); case, '-' and '_' do not matter; a one-letter slip in a known label is that label
    ("netwrok"); two different labels for one field ("network or hardware", or the field given
    twice with different labels) is no answer.
    """
    plain = answer_part(suite, re.sub(r"[*_`#]+(?=[A-Za-z:])|(?<=[A-Za-z:])[*_`]+", "", text))
    parsed: dict[str, str | None] = {}
    for field, values in suite.config.labels.items():
        lookup = {_label_key(v): v for v in values}
        found = []
        for match in re.finditer(rf"\b{re.escape(field)}\s*(?::|=| - )\s*[\"']?([A-Za-z0-9_ -]+?)[\"']?\s*"
                                 r"(?:\b(or|and|/)\b\s*([A-Za-z0-9_-]+))?\s*(?:[.,;()\n]|$)", plain,
                                 flags=re.IGNORECASE):
            first = _closest(match.group(1), lookup)
            other = _closest(match.group(3), lookup) if match.group(3) else None
            found.append(None if other and other != first else first)
        distinct = {f for f in found}
        parsed[field] = found[0] if len(distinct) == 1 else None
    return parsed


def _label_key(label: str) -> str:
    """Case, '-' and '_' do not distinguish labels: 'Self-care' is the label self_care."""
    return label.lower().replace("-", "_")


def _closest(word: str, lookup: dict[str, str]) -> str | None:
    """The label ``word`` names: exactly, or with a one-character slip (a typo, not a synonym)."""
    key = _label_key(word.strip().replace(" ", "_"))
    if key in lookup:
        return lookup[key]
    close = [v for k, v in lookup.items() if len(k) > 3 and _one_edit(key, k)]
    return close[0] if len(close) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def parse_json_object(text: str) -> tuple[dict | None, str]:
    """The first JSON object in ``text`` and why not, if there is none: extraction outputs."""
    start = text.find("{")
    if start < 0:
        return None, "no JSON object in the output"
    try:
        value, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON: {exc.msg} at char {exc.pos}"
    if not isinstance(value, dict):
        return None, "JSON value is not an object"
    return value, ""
