"""Anonymising a user's JSONL or CSV file, field by field: what ``tunebench anonymize`` does.

The rows are read with the same readers as suites (errors name file, line and field), every chosen
text field is anonymised, and the file is written whole or not at all (a temporary file renamed).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tunebench.harness.core.errors import BadInput, Problem
from tunebench.harness.core.pii import Mode, guess_locale, redact
from tunebench.harness.core.pii.surrogates import surrogate
from tunebench.harness.core.records import csv_header, read_records

SAMPLES = 10


@dataclass
class Anonymised:
    """The rows after anonymisation, counts per type, and a few (type, original, replacement) samples."""

    rows: list[dict]
    fields: list[str]
    counts: Counter = field(default_factory=Counter)
    samples: list[tuple[str, str, str]] = field(default_factory=list)


def read_rows(path: Path) -> tuple[list[dict], list[str], str]:
    """The rows of ``path`` (CSV by suffix, else JSONL), its field names in order and its CSV separator;
    BadInput if there are none."""
    records, problems = read_records(path, "input file")
    if problems:
        raise BadInput(problems=sorted(problems, key=lambda p: p.line or 0))
    if not records:
        raise BadInput("the input file has no rows: write a CSV with a header line, or one JSON object per line",
                       file=path, line=1)
    names: dict[str, None] = {}
    delimiter = ","
    if path.suffix.lower() == ".csv":
        header, delimiter = csv_header(path)
        names.update((h, None) for h in header)
    for _, row in records:
        names.update((k, None) for k in row)
    return [row for _, row in records], list(names), delimiter


def choose_fields(path: Path, rows: list[dict], names: list[str], wanted: list[str]) -> list[str]:
    """``wanted`` (each must exist), or every field holding text in some row."""
    if wanted:
        problems = [Problem(f"no field {name!r} in the file; its fields: {', '.join(names)}", path, 1, "--field")
                    for name in wanted if name not in names]
        if problems:
            raise BadInput(problems=problems)
        return wanted
    chosen = [n for n in names if any(isinstance(r.get(n), str) for r in rows)]
    if not chosen:
        raise BadInput("no field of the file holds text to anonymise", file=path, line=1)
    return chosen


def anonymise_rows(rows: list[dict], fields: list[str], mode: Mode, seed: int = 0, language: str | None = None,
                   extra: dict[str, str] | None = None) -> Anonymised:
    """Copies of ``rows`` with PII replaced in ``fields`` (strings only; other values are kept)."""
    out = Anonymised(rows=[], fields=fields)
    for row in rows:
        new = dict(row)
        for name in fields:
            text = row.get(name)
            if not isinstance(text, str) or not text:
                continue
            locale = language or guess_locale(text)
            new[name], found = redact(text, extra, mode, seed, locale)
            out.counts.update(kind for kind, _ in found)
            for kind, value in found:
                if len(out.samples) < SAMPLES:
                    replacement = surrogate(kind, value, locale, seed) if mode == "surrogate" else f"<{kind}>"
                    out.samples.append((kind, value, replacement))
        out.rows.append(new)
    return out


def write_rows(path: Path, rows: list[dict], names: list[str], delimiter: str = ",") -> None:
    """``rows`` to ``path`` as CSV (by suffix, with ``names`` as header) or JSONL, atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore", lineterminator="\n",
                                delimiter=delimiter)
        writer.writeheader()
        writer.writerows({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                          for k, v in row.items()} for row in rows)
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(path)
