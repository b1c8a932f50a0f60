"""Reading model outputs: cut at the stop sequence, parse label lines and JSON objects.

Kept apart from the prompt renderer on purpose: adapters are keyed by the text they were trained
on, which the renderer writes, and a fix to how outputs are parsed must not make every trained
adapter stale.
"""

from __future__ import annotations

import json
import re

from harness.core.prompts import STOP_SEQUENCES
from harness.core.suites import Suite


def truncate_at_stop(text: str) -> str:
    """Cut a generation at the first stop sequence (generation runs in batches past it)."""
    for stop in STOP_SEQUENCES:
        cut = text.find(stop)
        if cut >= 0:
            text = text[:cut]
    return text


def parse_labels(suite: Suite, text: str) -> dict[str, str | None]:
    """Label per field read from a generation; ``None`` where absent or outside the label set."""
    parsed: dict[str, str | None] = {}
    for field, values in suite.config.labels.items():
        match = re.search(rf"{re.escape(field)}\s*:\s*([A-Za-z0-9_-]+)", text, flags=re.IGNORECASE)
        lookup = {_label_key(v): v for v in values}
        parsed[field] = lookup.get(_label_key(match.group(1))) if match else None
    return parsed


def _label_key(label: str) -> str:
    """Case, '-' and '_' do not distinguish labels: 'Self-care' is the label self_care."""
    return label.lower().replace("-", "_")


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
