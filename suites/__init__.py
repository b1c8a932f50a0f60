"""The built-in suites (data folders) and what their generators share."""

from __future__ import annotations

import json
from pathlib import Path


def write_splits(folder: Path, splits: dict[str, list[dict]]) -> None:
    """Write each split as ``<split>.jsonl`` in ``folder`` (UTF-8, one object per line)."""
    for split, items in splits.items():
        with open(folder / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for item in items:
                f.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"{split}: {len(items)} items")
