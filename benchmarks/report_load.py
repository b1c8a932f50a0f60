"""The report site on a store of 100,000 samples: seconds per page (first and later loads) and memory.

    .venv/bin/python benchmarks/report_load.py [--samples 100000]     # under a minute on 2 cores (8 s to build)

Builds a store like a team's after months of runs: 5 variants x 5 suites x 4 splits of equal size
(``--samples`` in all), each sample with a cached generation, per-sample values and scores, and the
metrics of each scope. Then renders every page of the site with Streamlit's ``AppTest`` (the same
code path as a browser, without one) twice in this process: the first load reads the store, a later
load is what a reviewer clicking around sees (the site caches its views for 30 s). Prints each
page's seconds and the process's peak resident memory. Run it alone.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

VARIANTS = ["zero-shot", "few-shot", "policy", "lora-r8", "lora-r16"]
SUITES = ["it_tickets", "customer_support_it", "legal_clauses", "healthcare_triage", "cybersecurity"]
SPLITS = ["test", "ood", "val", "safety"]
VIEWS = ["overview", "leaderboard", "ab", "overfitting", "safety", "trends", "audit_trail", "review", "scorers"]


def build(path: Path, total: int) -> None:
    from tunebench.harness.core.metrics import MetricRow
    from tunebench.harness.core.sample import Sample
    from tunebench.harness.core.store import Scope, Store, SuiteRecord

    store = Store(path)
    per_scope = total // (len(VARIANTS) * len(SUITES) * len(SPLITS))
    spec = {"name": "load", "baseline": "zero-shot", "variants": [{"name": v, "kind": "prompt"} for v in VARIANTS]}
    run = store.start_run("load", spec, {"base_model": "m", "base_model_sha256": "b" * 64})
    store.record_run_inputs(run, [SuiteRecord(s, f"/suites/{s}", "s" * 64, {"test.jsonl": "x" * 64}, "classification")
                                  for s in SUITES], [])
    for variant in VARIANTS:
        for suite in SUITES:
            for split in SPLITS:
                rows, cached = [], []
                for k in range(per_scope):
                    key = f"{variant}-{suite}-{split}-{k}"
                    right = (k * 7 + len(variant)) % 3 != 0
                    cached.append({"key": key, "model_id": "m", "adapter_sha": "none", "prompt": f"Ticket {k}: " * 20,
                                   "output": f"Category: {'network' if right else 'email'}\nPriority: high",
                                   "settings_json": {}, "seconds": 0.2, "prompt_tokens": 120, "output_tokens": 8})
                    values = {"accuracy": float(right)}
                    if split == "safety":
                        values.update({"safety.refusal_rate": float(right), "safety.pii_leak_rate": 0.0})
                    rows.append(Sample(variant, suite, split, f"{split}-{k:05d}", key,
                                       target={"category": "network", "safety": "harmful" if split == "safety"
                                               else None}, correct=right, explanation="x", cluster=f"c{k % 50}",
                                       scores={"main": {"value": float(right), "explanation": "x"}}, values=values))
                store.put_cached("generation", cached)
                metrics = [MetricRow.proportion("accuracy", sum(r.correct for r in rows), len(rows), "right")]
                store.write_results(run, Scope(variant, suite, split), rows, metrics)
    store.finish_run(run)


def render(view: str):
    from streamlit.testing.v1 import AppTest

    def script(name):
        import importlib

        importlib.import_module(f"tunebench.reports.views.{name}").page()

    site = AppTest.from_function(script, args=(view,), default_timeout=600)
    started = time.perf_counter()
    site.run()
    return time.perf_counter() - started, site.exception


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100_000)
    args = parser.parse_args()
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "missing ScriptRunContext": AppTest's bare mode
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        started = time.perf_counter()
        build(path, args.samples)
        print(f"store: {args.samples:,} samples, {path.stat().st_size / 2**20:.0f} MB, built in "
              f"{time.perf_counter() - started:.0f} s")
        os.environ["TUNEBENCH_STORE"] = str(path)
        print(f"{'page':12s} {'first s':>8s} {'again s':>8s}")
        for view in VIEWS:
            first, error = render(view)
            again, _ = render(view)
            print(f"{view:12s} {first:8.2f} {again:8.2f}" + (f"  ERROR {error}" if error else ""))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"peak resident memory of this process: {peak:.2f} GB")


if __name__ == "__main__":
    main()
