"""Contamination check: word n-gram overlap between training items and evaluation items.

A training item is contaminated when at least ``threshold`` of its word n-grams occur in one
single evaluation item (of any evaluation split of any suite in the experiment). Comparing with
single items rather than with the union of all evaluation text matters for templated domains:
shared boilerplate sentences are common everywhere, a near-copy of one test item is not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


class ContaminationIndex:
    """Index of evaluation items' n-grams; ``check`` returns the worst overlap of a training text."""

    def __init__(self, eval_items: dict[str, str], n: int = 8):
        self.n = n
        self.index: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for ref, text in eval_items.items():
            for gram in ngrams(text, n):
                self.index[gram].add(ref)

    def check(self, text: str) -> tuple[float, str | None]:
        """(overlap fraction, reference of the evaluation item it overlaps most)."""
        grams = ngrams(text, self.n)
        if not grams:
            return 0.0, None
        hits: Counter = Counter()
        for gram in grams:
            hits.update(self.index.get(gram, ()))
        if not hits:
            return 0.0, None
        ref, count = hits.most_common(1)[0]
        return count / len(grams), ref
