"""What glibc's per-tensor mmap costs: the demo's training and an evaluation, with tunebench's
allocator settings (``harness/core/memory.keep_freed_memory``) and with glibc's defaults.

    .venv/bin/python benchmarks/allocator.py [--steps 20] [--repeats 2]   # embedded Gemma 3 270M (~6 min, 2 cores)

Child processes of this one, one after the other, the two settings alternating (``--repeats``
pairs; this host's timings drift by about 10% between runs of the same work):
- training: ``benchmarks/train_memory.py``'s "buckets" loop (the demo's r 16 all-linear LoRA, batch 8
  of the five suites' data, bf16 autocast where native) for ``--steps`` steps;
- evaluation: ``tunebench eval`` of the zero-shot prompt on the IT-ticket suite's 60 test items
  (generation, batches of 64: the demo's settings), a fresh output folder each time.
``TUNEBENCH_MALLOC=system`` gives glibc's defaults; unset, the settings the CLI uses. Prints per run
the seconds (per step for training), minor page faults, system CPU seconds and peak resident size,
then the medians' ratios (keep / system).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETTINGS = ("keep", "system")
EVAL_SPEC = """name: allocator-bench
base_model: gemma-3-270m
precision: auto
suites: [it_tickets]
splits: [test]
eval_limit: 60
overfitting_items: 0
general_probe: null
scoring: generate
generation_batch_size: 64
generation_token_budget: 12288
guard_items: 0
variants:
  - {name: zero-shot, kind: prompt, prompt: zero-shot}
"""


def own_usage() -> dict:
    """This process's minor page faults, system CPU seconds and peak resident size."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"faults": usage.ru_minflt, "system": usage.ru_stime, "peak_gb": usage.ru_maxrss / 1e6}


def train_child(steps: int) -> dict:
    """The training loop in this process, after the CLI's allocator settings (unless told not to)."""
    from benchmarks.train_memory import child
    from tunebench.harness.core.memory import keep_freed_memory

    keep_freed_memory()
    seconds = child("buckets", steps)["seconds_per_step"]
    return {**own_usage(), "seconds": seconds}


def eval_child(spec: str, out: str) -> dict:
    """``tunebench eval`` in this process, through the CLI's entry point (which sets the allocator)."""
    from tunebench.harness.cli import main

    sys.argv = ["tunebench", "eval", spec, "--out", out]
    started = time.perf_counter()
    try:
        main()
    except SystemExit as exc:
        if exc.code:
            raise
    seconds = time.perf_counter() - started
    return {**own_usage(), "seconds": seconds}


def measured(arguments: list[str], setting: str) -> dict:
    """This script as a child with ``arguments`` and ``setting``; what it measured of itself."""
    out = subprocess.run([sys.executable, __file__, *arguments], check=True, capture_output=True, text=True,
                         env={**os.environ, "TUNEBENCH_MALLOC": setting}, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--train-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--eval-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.train_child or args.eval_child:
        result = train_child(args.steps) if args.train_child else eval_child(*args.eval_child)
        print(json.dumps(result))
        return
    results: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "eval.yaml"
        spec.write_text(EVAL_SPEC)
        for repeat in range(args.repeats):
            for setting in SETTINGS if repeat % 2 == 0 else SETTINGS[::-1]:
                for task, arguments in (("training (s/step)", ["--train-child", "--steps", str(args.steps)]),
                                        ("evaluation (s)", ["--eval-child", str(spec), f"{tmp}/{setting}-{repeat}"])):
                    r = measured(arguments, setting)
                    results.setdefault((task, setting), []).append(r)
                    print(f"{task:18s} {setting:6s}: {r['seconds']:7.2f}  page faults {r['faults']:>10,}  "
                          f"system CPU {r['system']:5.1f} s  peak {r['peak_gb']:.2f} GB", flush=True)
    for task in ("training (s/step)", "evaluation (s)"):
        medians = {key: [statistics.median(r[key] for r in results[(task, s)]) for s in SETTINGS]
                   for key in ("seconds", "faults", "peak_gb")}
        (keep, system), (fk, fs), (pk, ps) = medians["seconds"], medians["faults"], medians["peak_gb"]
        print(f"{task}: keep {keep:.2f}, system {system:.2f}: time ratio {keep / system:.2f}, page faults "
              f"{fk / fs:.2f}x, peak {pk:.2f} vs {ps:.2f} GB (medians of {args.repeats})")


if __name__ == "__main__":
    main()
