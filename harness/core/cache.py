"""One cache key for everything computed from content: generations, probe scores, judge verdicts.

A key is the SHA-256 of the JSON of what determined the result (model hash, adapter hash, prompt,
settings; or task and limit; or judge, metric and inputs), so a re-run finds the result whatever
run, variant name or process made it. ``kind`` says what the row holds; the store keeps it in its
own column and non-generation keys carry it as a prefix (``probe:...``, ``judge:...``), which keeps
every key written by earlier versions valid.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

CacheKind = Literal["generation", "probe", "judge", "choices"]
CACHE_KINDS: tuple[CacheKind, ...] = ("generation", "probe", "judge", "choices")


def cache_key(kind: CacheKind, *parts: Any) -> str:
    """Content address of a cached result of ``kind`` determined by ``parts`` (JSON-serialisable)."""
    digest = hashlib.sha256(json.dumps(list(parts), sort_keys=True).encode()).hexdigest()
    return digest if kind == "generation" else f"{kind}:{digest}"


def kind_of(key: str) -> CacheKind:
    """The kind a key was made for (keys of earlier versions included)."""
    prefix = key.split(":", 1)[0] if ":" in key else "generation"
    return prefix if prefix in CACHE_KINDS else "generation"  # type: ignore[return-value]
