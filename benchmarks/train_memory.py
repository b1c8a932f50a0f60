"""Training memory on a CPU: every batch its own GEMM shapes, against tunebench's shape buckets.

    .venv/bin/python benchmarks/train_memory.py [--steps 25]     # embedded Gemma 3 270M (~2 min, 2 cores)

The demo's training loop (r 16, all-linear LoRA, batch 8 of the five suites' data in a seeded
shuffled order, ``trainers/loss.completion_loss``, AdamW, bf16 autocast where native), in two child
processes of this one, one after the other:
- every shape: batches padded to their own longest item, the head's rows not padded (``ROW_BUCKET`` 1);
- buckets: widths padded to a multiple of ``trainers/lora.PAD_TO`` and the head's rows to a multiple
  of ``harness/core/heads.ROW_BUCKET`` (what tunebench trains with);
- buckets + dropout 0.05: the same with LoRA dropout 0.05 (``TrainingConfig``'s default; the runs above
  use 0.0, peft's default and the demo's): dropout copies every LoRA layer's input and keeps a mask.
Prints the anonymous resident memory after the first and the last step, and seconds per step.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MODEL = "gemma-3-270m"
MODES = ("every shape", "buckets", "buckets + dropout 0.05")
SUITES = ("it_tickets", "customer_support_it", "legal_clauses", "healthcare_triage", "cybersecurity")


def resident_gb() -> float:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith("RssAnon")).split()[1]) / 1e6


def child(mode: str, steps: int) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq

    from tunebench.harness.core import heads
    from tunebench.harness.core.models import load_base_model
    from tunebench.harness.core.precision import resolve_precision
    from tunebench.harness.core.spec import TrainingConfig, Variant
    from tunebench.harness.core.suites import load_suite
    from tunebench.trainers.data import prepare
    from tunebench.trainers.lora import PAD_TO
    from tunebench.trainers.loss import completion_loss

    precision = resolve_precision("auto").name
    if mode == "every shape":
        heads.ROW_BUCKET = 1
    model, tokenizer, _ = load_base_model(MODEL, precision)
    data = prepare(Variant(name="bench", kind="adapter", prompt="plain"), TrainingConfig(train_size=8 * steps),
                   [load_suite(name) for name in SUITES], tokenizer)
    dropout = 0.05 if mode.endswith("dropout 0.05") else 0.0
    model = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, lora_dropout=dropout, target_modules="all-linear",
                                             task_type="CAUSAL_LM"))
    model.train()
    collate = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100,
                                     pad_to_multiple_of=None if mode == "every shape" else PAD_TO)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    order = list(range(len(data.train)))
    random.Random(0).shuffle(order)
    memory = []
    started = time.perf_counter()
    for step in range(steps):
        batch = collate([data.train[i] for i in order[step * 8:(step + 1) * 8]])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
            loss = completion_loss(model, batch)[0]
        loss.backward()
        optimiser.step()
        optimiser.zero_grad()
        memory.append(resident_gb())
    return {"first": memory[0], "last": memory[-1], "peak": max(memory),
            "seconds_per_step": (time.perf_counter() - started) / steps, "precision": precision}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.steps)))
        return
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--steps", str(args.steps)], check=True,
                             capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{mode:23s} ({r['precision']}, {args.steps} steps): resident {r['first']:.2f} GB after step 1, "
              f"{r['last']:.2f} GB after the last (peak {r['peak']:.2f}), {r['seconds_per_step']:.2f} s/step")


if __name__ == "__main__":
    main()
