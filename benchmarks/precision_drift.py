"""What computing in bf16 instead of fp32 changes: the same items, both precisions, item by item.

    .venv/bin/python benchmarks/precision_drift.py              # prompt variants of the demo (~10 min, 2 cores)
    .venv/bin/python benchmarks/precision_drift.py --items 12   # smaller

Runs the demo's prompt variants (zero-shot and few-shot, every suite, the demo's test split size
unless ``--items``) twice into one store, once in fp32 and once in bf16 (``precision:``), then prints
per variant and suite: the share of outputs that are identical, the median position (in tokens) of
the first differing token where they differ, and each headline metric's paired difference bf16 -
fp32 with its interval and p-value (``tunebench compare`` of the two runs of a variant: Holm within each
metric across the suites, the interval at the level Holm judged it at).
The decisions must agree: a difference the intervals call significant is printed as such.
Adapters are left out: training differs between the precisions by more than the arithmetic (the
optimiser's path), which is not what this measures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tunebench.harness.analysis.compare import Side, compare  # noqa: E402
from tunebench.harness.cli.running import demo_spec_path  # noqa: E402
from tunebench.harness.core.precision import native_bf16  # noqa: E402
from tunebench.harness.core.spec import load_spec  # noqa: E402
from tunebench.harness.orchestration.pipeline import run_experiment  # noqa: E402


def first_difference(a: list[int], b: list[int]) -> int | None:
    """Index of the first token where two outputs differ (None: identical)."""
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return k
    return None if len(a) == len(b) else min(len(a), len(b))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=None, help="Test items per suite (default: the demo's).")
    args = parser.parse_args()
    demo = load_spec(demo_spec_path())
    limit = args.items or demo.limit_for("test")
    experiment = demo.model_copy(update={
        "name": "precision-drift", "splits": ["test"], "eval_limit": limit, "eval_limits": {}, "robustness": [],
        "overfitting_items": 0, "general_probe": None, "guard_items": 0,
        "variants": [v for v in demo.variants if v.kind == "prompt"]})
    print(f"native bf16 here: {native_bf16() or 'no'}; {limit} test items per suite, "
          f"variants {', '.join(v.name for v in experiment.variants)}")
    with tempfile.TemporaryDirectory() as out:
        runs, seconds = {}, {}
        for precision in ("fp32", "bf16"):
            started = time.perf_counter()
            store, runs[precision] = run_experiment(experiment.model_copy(update={"precision": precision}), Path(out))
            seconds[precision] = time.perf_counter() - started
        from tunebench.harness.core.models import load_base_model

        _, tokenizer, _ = load_base_model(experiment.base_model)
        outputs = {p: {s.pair_key + (s.variant,): s.cache_key for s in store.samples(runs[p])} for p in runs}
        text = {p: store.cached_outputs(list(outputs[p].values())) for p in runs}
        print(f"wall time: fp32 {seconds['fp32']:.0f} s, bf16 {seconds['bf16']:.0f} s "
              f"({seconds['fp32'] / seconds['bf16']:.2f}x)")
        print("variant      suite                 identical  first diff (median token)")
        for variant in experiment.variants:
            for suite in experiment.suites:
                keys = [k for k in outputs["fp32"] if k[-1] == variant.name and k[0] == suite and k in outputs["bf16"]]
                pairs = [(text["fp32"][outputs["fp32"][k]], text["bf16"][outputs["bf16"][k]]) for k in keys]
                same = sum(a == b for a, b in pairs)
                firsts = [first_difference(tokenizer(a)["input_ids"], tokenizer(b)["input_ids"]) for a, b in pairs
                          if a != b]
                median = f"{statistics.median(firsts):.0f}" if firsts else "-"
                print(f"{variant.name:12s} {suite:20s} {same:3d}/{len(pairs):<3d}    {median}")
        print("\nmetric differences bf16 - fp32 (paired; per variant, Holm within each metric across the suites, "
              "interval at Holm's level):")
        for variant in experiment.variants:
            result = compare(store, Side(runs["fp32"], variant.name), Side(runs["bf16"], variant.name))
            for row in result.rows:
                if row.diff is None:
                    continue
                print(f"  {variant.name:10s} {row.suite:20s} {row.metric:26s} {row.diff:+.3f} "
                      f"[{row.ci_low:+.3f}, {row.ci_high:+.3f}] p(Holm) {row.p_holm:.3f}  {row.verdict}")


if __name__ == "__main__":
    main()
