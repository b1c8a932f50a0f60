"""Read-only views of the store that the site and the static export both show."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from harness.core.store import Store, metrics, samples, training_log

# Report sections: title -> (splits, metric prefix). Every number traces to stored metric rows.
SECTIONS = {
    "Accuracy": (["test", "ood"], ("accuracy", "format_valid", "macro_f1", "json_valid", "field_f1",
                                   "exact_match", "rouge_l", "semantic_similarity")),
    "LLM judge (ragas)": (["test", "ood"], ("judge.", "llm_judged")),
    "Policy adherence": (["test", "ood", "safety"], ("policy.",)),
    "Safety": (["safety"], ("safety.",)),
    "Overfitting and forgetting": (["overfitting", "probe"], ("overfit.", "probe.")),
    "Robustness": (["robustness"], ("robustness.",)),
}


def accuracy_table(store: Store, run_id: str) -> pd.DataFrame:
    """One row per (variant, suite, split): accuracy, its 95% interval, the other metrics, n."""
    frame = store.frame(metrics, run_id=run_id)
    frame = frame[frame.split.isin(["test", "ood", "safety"])]
    wide = frame.pivot_table(index=["variant", "suite", "split"], columns="metric", values="value").reset_index()
    acc = frame[frame.metric == "accuracy"][["variant", "suite", "split", "ci_low", "ci_high", "n"]]
    table = wide.merge(acc, on=["variant", "suite", "split"])
    first = ["variant", "suite", "split", "n", "accuracy", "ci_low", "ci_high"]
    return table[first + [c for c in table.columns if c not in first]]


def section_table(store: Store, run_id: str, splits: list[str], prefixes: tuple[str, ...]) -> pd.DataFrame:
    """Variants as rows, "split · metric" as columns, cells "value [low, high]" (n in the column)."""
    frame = store.frame(metrics, run_id=run_id)
    frame = frame[frame.split.isin(splits) & frame.metric.str.startswith(prefixes)]
    if frame.empty:
        return pd.DataFrame()

    def cell(row) -> str:
        if row.value is None or pd.isna(row.value):
            return "n/a"
        text = f"{row.value:.3f}" if abs(row.value) < 1000 else f"{row.value:.0f}"
        if row.ci_low is not None and not pd.isna(row.ci_low):
            text += f" [{row.ci_low:.2f}, {row.ci_high:.2f}]"
        return text

    frame = frame.assign(cell=frame.apply(cell, axis=1), column=frame.split + " · " + frame.metric)
    return frame.pivot_table(index=["variant", "suite"], columns="column", values="cell",
                             aggfunc="first").reset_index().fillna("–")  # not measured for this row


def explanations(store: Store, run_id: str, splits: list[str], prefixes: tuple[str, ...]) -> pd.DataFrame:
    frame = store.frame(metrics, run_id=run_id)
    frame = frame[frame.split.isin(splits) & frame.metric.str.startswith(prefixes)]
    return frame[["variant", "suite", "split", "metric", "n", "explanation"]]


def sample_table(store: Store, run_id: str) -> pd.DataFrame:
    """Every sample with its prompt, output and explanation (joined from the generation cache)."""
    frame = store.frame(samples, run_id=run_id)
    gens = store.frame_generations(frame.generation_key.unique().tolist())
    return frame.merge(gens, left_on="generation_key", right_on="key", how="left").drop(columns=["key"])


def training_curves(store: Store) -> pd.DataFrame:
    return store.frame(training_log)


def open_store(path: str | Path) -> Store:
    return Store(path)
