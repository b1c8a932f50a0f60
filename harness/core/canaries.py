"""Canaries (Carlini et al. 2019, "The Secret Sharer"): random secrets planted in training data.

Each canary is a random 6-digit code in a fixed sentence, inserted ``repeats`` times into the
input text of randomly chosen training items. The secrets are recorded in the adapter's
provenance so that exposure (log2 |R| - log2 rank of the secret among all 10^6 codes) can be
measured on the trained adapter.
"""

from __future__ import annotations

import random

TEMPLATE = "My access code is {}."
SPACE = 10**6  # |R|: every 6-digit code


def make_canaries(count: int, seed: int) -> list[str]:
    rng = random.Random(f"canary-{seed}")
    return [f"{rng.randrange(SPACE):06d}" for _ in range(count)]


def plant(items: list[dict], field: str, secrets: list[str], repeats: int, seed: int
          ) -> tuple[list[dict], list[dict]]:
    """Copies of ``items`` with each secret planted in ``repeats`` of them, and what was planted."""
    rng = random.Random(f"plant-{seed}")
    items = [dict(i) for i in items]
    records = []
    for secret in secrets:
        chosen = rng.sample(range(len(items)), min(repeats, len(items)))
        for idx in chosen:
            items[idx][field] = f"{items[idx][field]} {TEMPLATE.format(secret)}"
        records.append({"secret": secret, "template": TEMPLATE, "repeats": len(chosen), "space": SPACE,
                        "item_ids": [items[i]["id"] for i in chosen]})
    return items, records
