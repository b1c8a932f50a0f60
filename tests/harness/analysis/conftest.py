"""Stores built by hand for the analysis tests: runs whose samples carry known per-item values."""

from __future__ import annotations

import pytest

from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store import AdapterRecord, Scope, Store, SuiteRecord


def add_run(store: Store, variants: dict[tuple, list[dict]] | dict, kinds: dict[str, str] | None = None,
            suite_sha: str = "s" * 64, baseline: str | None = None, links: dict[str, dict] | None = None,
            train_items: dict[str, int] | None = None) -> str:
    """A complete run: per variant, per (suite, split) or (suite, split, perturbation), one values dict
    per item (item ids 0..n-1). ``links``: more spec fields per variant (``seed_of``, ``curve_of``);
    ``train_items``: adapters recorded with that many training items in their provenance.

    Metric rows are written as the runner writes them: aggregates of the same per-item values.
    """
    kinds = kinds or {name: "prompt" for name in variants}
    spec = {"name": "e", "baseline": baseline,
            "variants": [{"name": n, "kind": kinds[n], **(links or {}).get(n, {})} for n in variants]}
    run_id = store.start_run("e", spec, {"base_model": "m", "base_model_sha256": "b" * 64})
    suites = {cell[0] for cells in variants.values() for cell in cells}
    store.record_run_inputs(run_id, [SuiteRecord(s, f"/suites/{s}", suite_sha, {}, "classification")
                                     for s in suites],
                            [AdapterRecord(v, f"/adapters/{v}", "a" * 64, {"data_counts": {"train_items": n}})
                             for v, n in (train_items or {}).items()])
    for variant, cells in variants.items():
        for (suite, split, *perturbation), items in cells.items():
            scope = Scope(variant, suite, split, *perturbation)
            rows = [Sample(variant, suite, split, str(k), f"{variant}-{suite}-{split}-{scope.perturbation}-{k}",
                           correct=v.get("accuracy", 0) == 1, values=v, perturbation=scope.perturbation)
                    for k, v in enumerate(items)]
            metrics = [MetricRow.proportion(m, round(sum(v[m] for v in items if m in v)),
                                            sum(m in v for v in items), "") for m in {k for v in items for k in v}]
            store.write_results(run_id, scope, rows, metrics)
    store.finish_run(run_id)
    return run_id


def accuracy(flags: list[int], **more) -> list[dict]:
    return [{"accuracy": float(f), **{k: float(v[i]) for k, v in more.items()}} for i, f in enumerate(flags)]


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store.sqlite")
