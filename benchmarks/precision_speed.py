"""How fast each precision runs here: the base model's forward pass and one LoRA training step.

    .venv/bin/python benchmarks/precision_speed.py     # embedded Gemma 3 270M (~3 min, 2 cores)

Each figure is measured in a child process of this one, one after the other: the body forward
(16 sequences x 128 tokens, logits of the last position only) and one LoRA training step (r=8,
all-linear, batch 8 x 128 tokens, loss on the last 16 tokens: tunebench's completion loss), in
- fp32: fp32 weights, no autocast (what tunebench did before ``precision:``);
- autocast: fp32 weights under bf16 autocast (what tunebench trains with in bf16);
- bf16 weights: weights loaded in bf16 (what tunebench evaluates with in bf16), for training also
  under autocast.
And the bf16 output projection of sliced last positions with a frozen weight, as sliced and made
contiguous (why ``load_base_model`` hands the head a contiguous input).
Prints tokens/s and s/step, and the ratios to fp32, with whether this CPU computes bf16 natively.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MODEL = "gemma-3-270m"
MODES = ("fp32", "autocast", "bf16 weights")


def child(task: str, mode: str) -> float:
    import torch

    from tunebench.harness.core.models import load_base_model

    torch.manual_seed(0)
    model, _, _ = load_base_model(MODEL, "bf16" if mode == "bf16 weights" else "fp32")
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=mode != "fp32")
    if task == "forward":
        ids = torch.randint(10, 1000, (16, 128))

        def once() -> None:
            with torch.inference_mode(), autocast:
                model(input_ids=ids, logits_to_keep=1)
    else:
        from peft import LoraConfig, get_peft_model

        from tunebench.trainers.loss import completion_loss

        model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear",
                                                 task_type="CAUSAL_LM"))
        model.train()
        optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        ids = torch.randint(10, 1000, (8, 128))
        labels = ids.clone()
        labels[:, :-16] = -100
        batch = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": labels}

        def once() -> None:
            with autocast:
                loss = completion_loss(model, batch)[0]
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
    once()  # warm-up
    started = time.perf_counter()
    for _ in range(3):
        once()
    seconds = (time.perf_counter() - started) / 3
    return 16 * 128 / seconds if task == "forward" else seconds


def head_slice() -> tuple[float, float]:
    """Seconds of the bf16 output projection (262144 x 640, frozen as peft freezes it) of 16 sliced
    last positions (``hidden[:, -1:]``, what transformers hands it at every decode step): as sliced,
    and made contiguous first (what ``load_base_model``'s pre-hook does)."""
    import torch

    weight = torch.randn(262144, 640, dtype=torch.bfloat16)
    hidden = torch.randn(16, 64, 640, dtype=torch.bfloat16)[:, -1:, :]
    times = []
    with torch.inference_mode():
        for x in (hidden, hidden.contiguous()):
            started = time.perf_counter()
            torch.nn.functional.linear(x, weight)
            times.append(time.perf_counter() - started)
    return times[0], times[1]


def main() -> None:
    if len(sys.argv) == 2 and sys.argv[1] == "--head":
        print(json.dumps(head_slice()))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])))
        return
    from tunebench.harness.core.precision import native_bf16

    print(f"native bf16 on this machine: {native_bf16() or 'no'}")
    for task, unit in (("forward", "tokens/s"), ("train step", "s/step")):
        figures = {}
        for mode in MODES:
            out = subprocess.run([sys.executable, __file__, "--child", task, mode], check=True, capture_output=True,
                                 text=True)
            figures[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        base = figures["fp32"]
        print(f"{task:10s} " + "   ".join(f"{m}: {v:.2f} {unit} ({(v / base if task == 'forward' else base / v):.2f}x)"
                                          for m, v in figures.items()))

    out = subprocess.run([sys.executable, __file__, "--head"], check=True, capture_output=True, text=True)
    sliced, contiguous = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"bf16 head of 16 sliced rows, frozen weight: {sliced:.3f} s as sliced, {contiguous:.3f} s contiguous")


if __name__ == "__main__":
    main()
