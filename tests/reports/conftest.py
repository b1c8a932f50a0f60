"""A small store for the report tests: two runs of one experiment (a prompt variant and an adapter),
samples with per-item values, generations (one output is HTML with a script), training telemetry,
adapter provenance, scorer checks, an audit and a review."""

from __future__ import annotations

import pytest

from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store import AdapterRecord, Scope, Store, SuiteRecord

EVIL = "<script>alert('xss')</script><b>bold</b>"


def build_store(path, costs: dict | None = None) -> Store:
    store = Store(path)
    spec = {"name": "demo", "baseline": "zero-shot", "variants": [{"name": "zero-shot", "kind": "prompt"},
                                                                   {"name": "lora", "kind": "adapter"}]}
    if costs:
        spec["costs"] = costs
    run_ids = []
    for run_index in range(2):
        run = store.start_run("demo", spec, {"base_model": "m", "base_model_sha256": "b" * 64})
        run_ids.append(run)
        store.record_run_inputs(run, [SuiteRecord("it_tickets", "/suites/it", "s" * 64, {"test.jsonl": "x" * 64},
                                                  "classification")],
                                [AdapterRecord("lora", "/adapters/lora", "a" * 64, {
                                    "adapter_key": "k1", "train_seconds": 120.0, "weights_bytes": 3 * 2**20,
                                    "data_counts": {"train_items": 40, "train_tokens": 4000},
                                    "steps": 10, "best_step": 8, "base_model_sha256": "b" * 64})])
        for variant, flags in (("zero-shot", [0, 1, 0, 0] * 6), ("lora", [1, 1, 0, 1] * 6)):
            for split in ("test", "safety"):
                rows, gens = [], []
                for k, flag in enumerate(flags):
                    key = f"{run_index}-{variant}-{split}-{k}"
                    output = EVIL if k == 0 else f"Category: {'network' if flag else 'email'}\nPriority: high"
                    values = {"accuracy": float(flag)} if split == "test" else {
                        "accuracy": float(flag), "safety.refusal_rate": float(flag), "safety.pii_leak_rate": 0.0}
                    rows.append(Sample(variant, "it_tickets", split, f"t-{k}", key, target={
                        "category": "network", "safety": "harmful" if split == "safety" else None},
                        correct=bool(flag), explanation="category: expected network" if not flag else "correct",
                        scores={"main": {"value": flag, "explanation": "x"},
                                "policy": {"value": 0.0, "explanation": "no-pii: FAIL (x)"}
                                if k == 2 else {"value": 1.0, "explanation": "ok"}},
                        values=values))
                    gens.append({"key": key, "model_id": "m", "adapter_sha": "none", "prompt": f"Ticket: item {k}\n",
                                 "output": output, "settings_json": "{}", "seconds": 0.5, "prompt_tokens": 40,
                                 "output_tokens": 8})
                store.put_cached("generation", gens)
                metrics = [MetricRow.proportion(m, round(sum(r.values.get(m, 0) for r in rows)), len(rows), "right")
                           for m in rows[0].values]
                store.write_results(run, Scope(variant, "it_tickets", split), rows, metrics)
        store.write_scorer_checks(run, {scorer: MetricRow.proportion(f"scorer.{scorer}", round(value * 100), 100,
                                                                     "agree")
                                        for scorer, value in (("labels", 0.98), ("labels:hard", 0.79),
                                                              ("refusal", 0.8), ("refusal:hard", 0.9))})
        store.finish_run(run, stages=[{"name": "generation · lora · it_tickets/test", "seconds": 3.0, "peak_mb": 900.0,
                                       "depth": 0}])
    store.add_training_log([{"adapter_key": "k1", "step": s, "variant": "lora", "epoch": s / 10, "train_loss": 2 - s / 10,
                             "val_loss": 2.1 - s / 12 if s % 2 == 0 else None, "learning_rate": 1e-3, "seconds": s,
                             "tokens_per_second": 100.0, "peak_memory_mb": 900.0} for s in range(1, 11)])
    store.add_audit({"audit_id": "demo-20261125T000000Z", "experiment": "demo", "run_id": run_ids[1],
                     "created_at": "2026-11-25T00:00:00Z", "previous_audit_id": None, "bundle": "/nonexistent/bundle",
                     "manifest_sha256": "m" * 64, "summary_json": {"changes": ["nothing"]}})
    store.add_review({"run_id": run_ids[1], "variant": "lora", "suite": "it_tickets", "split": "test", "item_id": "t-0",
                      "reviewer": "Ada", "verdict": "wrong", "comment": EVIL, "scorer_verdict": "right"})
    return store


@pytest.fixture
def report_store(tmp_path) -> Store:
    return build_store(tmp_path / "store.sqlite")
