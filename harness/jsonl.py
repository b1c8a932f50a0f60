"""Reading user record files (JSONL, or CSV for splits): every bad line is a ``BadInput`` naming
the file, the line and, where known, the field."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Iterable, Iterator

from harness.errors import BadInput


def iter_objects(path: Path, what: str = "file") -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line of a JSONL file."""
    if not path.is_file():
        raise BadInput(f"{what} not found", file=path)
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise BadInput(f"not valid JSON: {exc.msg}", file=path, line=lineno) from None
            if not isinstance(value, dict):
                raise BadInput("each line must be a JSON object", file=path, line=lineno)
            yield lineno, value


def iter_csv(path: Path, what: str = "file", json_fields: Iterable[str] = ()) -> Iterator[tuple[int, dict]]:
    """(line number, row) for every row of a CSV file with a header line.

    Empty cells are left out (so a missing value is reported as missing); cells of ``json_fields``
    hold JSON (an extraction target, a translation object) and are parsed.
    """
    if not path.is_file():
        raise BadInput(f"{what} not found", file=path)
    json_fields = set(json_fields)
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames:
            raise BadInput("a CSV split needs a header line naming the fields", file=path, line=1)
        start = reader.line_num + 1
        for row in reader:
            lineno, start = start, reader.line_num + 1
            if None in row:
                raise BadInput(f"{len(row[None]) + len(reader.fieldnames)} cells but the header names "
                               f"{len(reader.fieldnames)} fields", file=path, line=lineno)
            record = {k: v for k, v in row.items() if v not in (None, "")}
            if not record:
                continue
            for field in json_fields & record.keys():
                try:
                    record[field] = json.loads(record[field])
                except json.JSONDecodeError as exc:
                    raise BadInput(f"cell is not valid JSON: {exc.msg}", file=path, line=lineno,
                                   field=field) from None
            yield lineno, record


def iter_records(path: Path, what: str = "file", json_fields: Iterable[str] = ()) -> Iterator[tuple[int, dict]]:
    """Records of a ``.csv`` or JSONL file, chosen by the file's suffix."""
    if path.suffix.lower() == ".csv":
        return iter_csv(path, what, json_fields)
    return iter_objects(path, what)
