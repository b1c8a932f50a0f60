"""Exact and near-duplicate removal of training items (scikit-learn character n-gram TF-IDF).

Near duplicates are items whose cosine similarity of character 3-5-gram TF-IDF vectors reaches
the threshold: the same ticket re-sent with another greeting, a typo fixed, a number changed.
The first occurrence is kept.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", text.lower())).strip()


def dedup(texts: list[str], near_threshold: float | None = 0.95) -> tuple[list[int], dict[str, int]]:
    """Indices of the items to keep, and how many exact and near duplicates were dropped."""
    keep, seen = [], set()
    for i, text in enumerate(texts):
        key = normalise(text)
        if key not in seen:
            seen.add(key)
            keep.append(i)
    exact = len(texts) - len(keep)
    near = 0
    if near_threshold is not None and len(keep) > 1:
        vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform([texts[i] for i in keep])
        index = NearestNeighbors(metric="cosine", radius=1 - near_threshold).fit(vectors)
        _, neighbours = index.radius_neighbors(vectors)
        dropped: set[int] = set()
        for pos, group in enumerate(neighbours):
            if pos in dropped:
                continue
            dropped.update(int(j) for j in group if j > pos)
        near = len(dropped)
        keep = [i for pos, i in enumerate(keep) if pos not in dropped]
    return keep, {"exact_duplicates": exact, "near_duplicates": near}
