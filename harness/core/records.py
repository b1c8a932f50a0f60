"""Reading user record files (JSONL, or CSV for splits) into (line number, object) pairs.

Every bad line becomes a ``Problem`` naming the file, the line and, where known, the field; a
reader returns all of them, so a user fixes a file in one pass. CSV files may be comma-,
semicolon- or tab-separated (the delimiter is read off the header line: European spreadsheets
write semicolons) and UTF-8 with or without a byte-order mark.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterable

from tunebench.harness.core.errors import BadInput, Problem
from tunebench.harness.core.files import read_text

Records = list[tuple[int, dict]]
DELIMITERS = ",;\t"


def read_jsonl(path: Path, what: str = "file") -> tuple[Records, list[Problem]]:
    """(line number, object) for every non-blank line, and a problem for every bad one."""
    records, problems = [], []
    for lineno, raw in enumerate(read_text(path, what).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            hint = " (JSONL holds one object per line, not a JSON array)" if lineno == 1 and raw.lstrip()[:1] == "[" \
                else ""
            problems.append(Problem(f"not valid JSON: {exc.msg} at column {exc.colno}{hint}", path, lineno))
            continue
        if not isinstance(value, dict):
            hint = " (JSONL holds one object per line, not a JSON array)" if isinstance(value, list) else ""
            problems.append(Problem(f"each line must be a JSON object, got a {type(value).__name__}{hint}", path,
                                    lineno))
            continue
        records.append((lineno, value))
    return records, problems


def _delimiter(header: str) -> str:
    """The most frequent of ``,`` ``;`` tab in the header line (outside quotes)."""
    unquoted = "".join(part for k, part in enumerate(header.split('"')) if k % 2 == 0)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def csv_header(path: Path) -> tuple[list[str], str]:
    """The field names of a CSV file's header line and its separator (to write the file back alike)."""
    first = read_text(path, "file").splitlines()[0]
    delimiter = _delimiter(first)
    return [h.strip() for h in next(csv.reader([first], delimiter=delimiter))], delimiter


def read_csv(path: Path, what: str = "file", json_fields: Iterable[str] = ()) -> tuple[Records, list[Problem]]:
    """(line number, row) for every data row of a CSV file with a header line, and the problems.

    Empty cells are left out (so a missing value is reported as missing); cells of ``json_fields``
    hold JSON (an extraction target, a translation object) and are parsed.
    """
    text = read_text(path, what)
    if not text.strip():
        raise BadInput("the CSV file is empty; it needs a header line naming the fields, then one row per item",
                       file=path, line=1)
    delimiter = _delimiter(text.splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: Records = []
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise BadInput(f"the header line is not valid CSV: {exc}", file=path, line=1) from None
    for name in {h for h in header if header.count(h) > 1 or not h}:
        problems.append(Problem("empty column name in the header" if not name else "column named twice in the header",
                                path, 1, name or None))
    json_fields = set(json_fields)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            cause = "a quoted cell is never closed" if "end of data" in str(exc) else f"not valid CSV: {exc}"
            problems.append(Problem(cause, path, start))
            break  # the reader cannot find the next row reliably after a quoting error
        lineno, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(f"{len(row)} cells but the header names {len(header)} fields "
                                    f"(separator {delimiter!r}; quote cells that contain it)", path, lineno))
            continue
        record = {k: v for k, v in zip(header, row) if v != ""}
        bad = False
        for field in json_fields & record.keys():
            try:
                record[field] = json.loads(record[field])
            except json.JSONDecodeError as exc:
                problems.append(Problem(f"cell is not valid JSON: {exc.msg}", path, lineno, field))
                bad = True
        if not bad:
            records.append((lineno, record))
    return records, problems


def read_records(path: Path, what: str = "file", json_fields: Iterable[str] = ()) -> tuple[Records, list[Problem]]:
    """Records of a ``.csv`` or JSONL file, chosen by the file's suffix."""
    if path.suffix.lower() == ".csv":
        return read_csv(path, what, json_fields)
    return read_jsonl(path, what)
