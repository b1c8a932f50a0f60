"""tunebench against the lm-eval CLI on the same job: base model + 3 adapters, one classification split.

    .venv/bin/python benchmarks/eval_vs_lm_eval.py            # ~30 min on 2 CPU cores

Setup (not timed): three small LoRA adapters trained on the IT suite with the few-shot prompt, and
the IT test split exported with ``tunebench suites export-lm-eval`` (same prompts, greedy settings,
stop sequence and scorer). Then, one after the other in child processes of this run:
- ``tunebench eval`` of the four variants (base model few-shot + 3 adapters) into an empty store:
  the model is loaded once and adapters are switched with peft;
- the ``lm_eval`` CLI once per variant (``--model hf``, ``peft=`` for adapters), each run loading
  the model again, at the batch size that was fastest for it on this machine (measured first, on
  the base model).
Prints the wall times and their ratio for four variants and for one (the base model alone), and
checks that every item is scored the same by both. Both compute in the precision ``auto`` picks on
this machine (bf16 where native: lm-eval gets ``dtype=bfloat16``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ITEMS, SHOTS = 120, 3
TASK = "tunebench_it_tickets_test_few_shot"
# lm-eval computes in the precision tunebench chose here (auto: bf16 where native), so the race is fair
DTYPE = {"bf16": "bfloat16", "fp32": "float32"}[__import__("tunebench.harness.core.precision", fromlist=["x"])
                                                .resolve_precision("auto").name]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def spec(folder: Path, adapters: bool, only_base: bool = False) -> Path:
    variants = [{"name": "base", "kind": "prompt", "prompt": "few-shot", "k": SHOTS}]
    if not only_base:
        variants += [{"name": f"lora-{i}", "kind": "adapter", "prompt": "few-shot", "k": SHOTS,
                      "train": {"seed": i, "rank": 4 * (i + 1)}} for i in range(3)] if adapters else []
    path = folder / ("one.yaml" if only_base else "four.yaml")
    path.write_text(yaml.safe_dump({
        "name": "bench", "suites": ["it_tickets"], "splits": ["test"], "eval_limit": ITEMS, "robustness": [],
        "overfitting_items": 0, "general_probe": None, "variants": variants,
        "training": {"epochs": 1, "train_size": 32, "val_size": 8, "batch_size": 8, "max_length": 384}}))
    return path


def timed(cmd: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    return time.perf_counter() - started


def lm_eval(model_dir: str, tasks: Path, out: Path, batch: int, adapter: Path | None = None) -> tuple[float, dict]:
    args = f"pretrained={model_dir},dtype={DTYPE}" + (f",peft={adapter}" if adapter else "")
    seconds = timed([sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args", args, "--include_path",
                     str(tasks), "--tasks", TASK, "--batch_size", str(batch), "--device", "cpu", "--output_path",
                     str(out), "--log_samples"], cwd=tasks)  # the export's paths are relative to its folder
    logged = next(out.rglob(f"samples_{TASK}_*.jsonl")).read_text().splitlines()
    return seconds, {json.loads(line)["doc"]["id"]: json.loads(line)["acc"] for line in logged}


def ours(store_path: Path) -> dict[str, dict[str, float]]:
    from tunebench.harness.core.store import Store, samples

    frame = Store(store_path).frame(samples, perturbation="")
    return {v: dict(zip(part.item_id, part.correct.astype(float))) for v, part in frame.groupby("variant")}


def main() -> None:
    from tunebench.harness.core.models import ensure_embedded

    model_dir = ensure_embedded("gemma-3-270m").path
    cli = [sys.executable, "-m", "tunebench.harness.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        four, one = spec(tmp, True), spec(tmp, True, only_base=True)
        out = tmp / "out"
        print("setup: training three adapters (not timed) ...", flush=True)
        subprocess.run([*cli, "train", str(four), "--out", str(out)], check=True, env=ENV, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        tasks = tmp / "tasks"
        subprocess.run([*cli, "suites", "export-lm-eval", "it_tickets", "--out", str(tasks), "--split", "test",
                        "--prompt", "few-shot", "--k", str(SHOTS), "--limit", str(ITEMS)], check=True, env=ENV,
                       stdout=subprocess.DEVNULL)
        print("lm-eval batch size (base model, timed apart):", flush=True)
        sizes = {}
        for batch in (8, 32):
            sizes[batch], _ = lm_eval(model_dir, tasks, tmp / f"probe-{batch}", batch)
            print(f"  batch {batch}: {sizes[batch]:.0f} s", flush=True)
        batch = min(sizes, key=sizes.get)

        (out / "store.sqlite").unlink(missing_ok=True)
        t_one = timed([*cli, "eval", str(one), "--out", str(out)])
        one_scores = ours(out / "store.sqlite")
        (out / "store.sqlite").unlink()
        t_four = timed([*cli, "eval", str(four), "--out", str(out)])
        four_scores = ours(out / "store.sqlite")
        print(f"tunebench eval: 1 variant {t_one:.0f} s, 4 variants {t_four:.0f} s", flush=True)

        lm_times, mismatches = {}, 0
        for name in ["base", "lora-0", "lora-1", "lora-2"]:
            adapter = out / "adapters" / name if name != "base" else None
            lm_times[name], theirs = lm_eval(model_dir, tasks, tmp / f"lm-{name}", batch, adapter)
            mine = four_scores[name]
            diff = [i for i in mine if theirs.get(i) != mine[i]]
            mismatches += len(diff)
            print(f"  lm_eval {name}: {lm_times[name]:.0f} s; accuracy lm-eval {sum(theirs.values()) / len(theirs):.3f}"
                  f", tunebench {sum(mine.values()) / len(mine):.3f}; items scored differently: {len(diff)}", flush=True)
        base_same = one_scores["base"] == four_scores["base"]
        total = sum(lm_times.values())
        print(f"four variants: lm-eval {total:.0f} s, tunebench {t_four:.0f} s, ratio {total / t_four:.2f}x")
        print(f"one variant:   lm-eval {lm_times['base']:.0f} s, tunebench {t_one:.0f} s, ratio "
              f"{lm_times['base'] / t_one:.2f}x")
        print(f"items scored differently (4 x {ITEMS}): {mismatches}; base model alone same as in the 4-variant run: "
              f"{base_same}")


if __name__ == "__main__":
    main()
