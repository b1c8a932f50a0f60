"""Robustness: perturbed copies of the test split and the accuracy drop each perturbation causes.

Perturbations are deterministic (seeded) and touch only the input text: typos (adjacent swaps,
drops and doubles in 10% of words), casing (all upper or all lower), and whitespace/punctuation
noise. ``language`` is the language switch of a bilingual suite: items carrying a ``translation``
become their translation (input, and the reference and expected answer language with it); items
without one are left out. The drop is test accuracy minus perturbed accuracy on the same items.
"""

from __future__ import annotations

import random
import re
from typing import Any

from tunebench.harness.core.metrics import MetricRow

PERTURBATIONS = ("typos", "casing", "noise", "language")


def _typos(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) > 3 and rng.random() < 0.10:
            j = rng.randrange(len(word) - 1)
            edit = rng.choice(("swap", "drop", "double"))
            if edit == "swap":
                word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
            elif edit == "drop":
                word = word[:j] + word[j + 1:]
            else:
                word = word[:j] + word[j] + word[j:]
            words[i] = word
    return " ".join(words)


def _casing(text: str, rng: random.Random) -> str:
    return text.upper() if rng.random() < 0.5 else text.lower()


def _noise(text: str, rng: random.Random) -> str:
    text = re.sub(r"[.,;!?]", lambda m: rng.choice(["", m.group(0), m.group(0) * 2]), text)
    return re.sub(r" ", lambda m: rng.choice([" ", " ", "  ", "\t"]), text)


def perturb(items: list[dict[str, Any]], field: str, kind: str, seed: int = 0) -> list[dict[str, Any]]:
    """Copies of ``items`` with ``field`` perturbed; the same seed gives the same copies."""
    if kind == "language":
        return [{**item, **item["translation"]} for item in items if item.get("translation")]
    fn = {"typos": _typos, "casing": _casing, "noise": _noise}[kind]
    out = []
    for item in items:
        rng = random.Random(f"{seed}-{kind}-{item['id']}")
        out.append({**item, field: fn(item[field], rng)})
    return out


def drop_on_same_items(kind: str, test: dict[str, int], perturbed: dict[str, int]) -> MetricRow | None:
    """The drop row from per-item right/wrong flags (item id -> 0/1), over the items both share."""
    shared = [i for i in perturbed if i in test]
    if not shared:
        return None
    n = len(shared)
    return robustness_drop(kind, sum(test[i] for i in shared) / n, sum(perturbed[i] for i in shared) / n, n)


def robustness_drop(kind: str, test_accuracy: float, perturbed_accuracy: float, n: int) -> MetricRow:
    return MetricRow.point(f"robustness.{kind}_drop", test_accuracy - perturbed_accuracy, n,
                           f"test accuracy {test_accuracy:.3f} minus accuracy {perturbed_accuracy:.3f} on the same "
                           f"{n} items with {kind} perturbations")
