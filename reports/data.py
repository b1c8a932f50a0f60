"""Read-only views of the store that the site and the static export both show."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from harness.store import Store, metrics, samples, training_log


def accuracy_table(store: Store, run_id: str) -> pd.DataFrame:
    """One row per (variant, suite, split): accuracy, its 95% interval, format validity, n."""
    frame = store.frame(metrics, run_id=run_id)
    wide = frame.pivot_table(index=["variant", "suite", "split"], columns="metric", values="value").reset_index()
    acc = frame[frame.metric == "accuracy"][["variant", "suite", "split", "ci_low", "ci_high", "n"]]
    table = wide.merge(acc, on=["variant", "suite", "split"])
    first = ["variant", "suite", "split", "n", "accuracy", "ci_low", "ci_high"]
    return table[first + [c for c in table.columns if c not in first]]


def sample_table(store: Store, run_id: str) -> pd.DataFrame:
    """Every sample with its prompt, output and explanation (joined from the generation cache)."""
    frame = store.frame(samples, run_id=run_id)
    gens = store.frame_generations(frame.generation_key.unique().tolist())
    return frame.merge(gens, left_on="generation_key", right_on="key", how="left").drop(columns=["key"])


def training_curves(store: Store) -> pd.DataFrame:
    return store.frame(training_log)


def open_store(path: str | Path) -> Store:
    return Store(path)
