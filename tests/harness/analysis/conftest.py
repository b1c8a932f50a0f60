"""Stores built by hand for the analysis tests: runs whose samples carry known per-item values."""

from __future__ import annotations

import json

import pytest

from harness.core.metrics import MetricRow
from harness.core.store import Store


def add_run(store: Store, variants: dict[str, dict[tuple[str, str], list[dict]]], kinds: dict[str, str] | None = None,
            suite_sha: str = "s" * 64, baseline: str | None = None) -> str:
    """A complete run: per variant, per (suite, split), one values dict per item (item ids 0..n-1).

    Metric rows are written as the runner writes them: aggregates of the same per-item values.
    """
    kinds = kinds or {name: "prompt" for name in variants}
    spec = {"name": "e", "baseline": baseline, "variants": [{"name": n, "kind": kinds[n]} for n in variants]}
    run_id = store.start_run("e", spec, {"base_model": "m", "base_model_sha256": "b" * 64})
    suites = {suite for cells in variants.values() for suite, _ in cells}
    store.record_run_inputs(run_id, [{"suite": s, "folder": f"/suites/{s}", "sha256": suite_sha, "files_json": "{}"}
                                     for s in suites], [])
    for variant, cells in variants.items():
        for (suite, split), items in cells.items():
            rows = [{"item_id": str(k), "generation_key": f"{variant}-{suite}-{split}-{k}", "target_json": "{}",
                     "correct": int(v.get("accuracy", 0) == 1), "explanation": "", "scores_json": "{}",
                     "values_json": json.dumps(v)} for k, v in enumerate(items)]
            metrics = [MetricRow.proportion(m, round(sum(v[m] for v in items if m in v)),
                                            sum(m in v for v in items), "") for m in {k for v in items for k in v}]
            store.write_results(run_id, variant, suite, split, rows, metrics)
    store.finish_run(run_id)
    return run_id


def accuracy(flags: list[int], **more) -> list[dict]:
    return [{"accuracy": float(f), **{k: float(v[i]) for k, v in more.items()}} for i, f in enumerate(flags)]


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store.sqlite")
