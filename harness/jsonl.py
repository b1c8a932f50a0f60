"""Reading JSONL user files: every bad line is a ``BadInput`` naming the file and the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from harness.errors import BadInput


def iter_objects(path: Path, what: str = "file") -> Iterator[tuple[int, dict]]:
    """(line number, object) for every non-blank line of ``path``."""
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
