"""How close does tunebench get to what this machine can compute? GEMM peak and model FLOP utilisation.

    .venv/bin/python benchmarks/limit.py            # embedded Gemma 3 270M, 40 IT test items (~3 min, 2 cores)

1. The machine's peak: the best of a few large matrix products (``torch.mm``), in the precision
   ``precision: auto`` picks here (and in fp32 for reference), in GFLOP/s.
2. The model FLOP utilisation (MFU = achieved FLOP/s / that peak) of what tunebench runs, each in
   the run's precision:
   - prefill: one forward pass of 16 x 128 tokens, logits of the last position only;
   - decode: tunebench's generation of the zero-shot IT prompts (its own code, shared prefix, KV
     cache), counting the prompt and generated tokens it computes;
   - choice scoring: ``choices.choose`` on the same prompts (every label of both fields);
   - training: steps of tunebench's LoRA loss (r 16, all-linear, batch 8 of the demo's data, bf16
     autocast where native) with AdamW.
   FLOPs are counted from what actually runs, by hooks: 2 x the body's linear weights per token that
   enters the decoder (padding included: it is computed) plus 2 x the vocabulary projection's weights
   per row it projects; a training step counts its forward twice (the backward of frozen weights
   computes activation gradients only, the same work; LoRA's own weight gradients are left out). The
   attention's score products are left out too (about 5% at these lengths), so MFU is understated.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tunebench.harness.core.models import load_base_model  # noqa: E402
from tunebench.harness.core.precision import resolve_precision  # noqa: E402

MODEL, ITEMS = "gemma-3-270m", 40
GEMMS = ((512, 640, 2048), (2048, 2048, 2048), (1024, 640, 8192))


def gemm_peak(dtype: torch.dtype) -> float:
    """Best GFLOP/s of ``torch.mm`` over a few shapes (each timed for about 2 s after a warm-up)."""
    best = 0.0
    for m, k, n in GEMMS:
        a, b = torch.randn(m, k, dtype=dtype), torch.randn(k, n, dtype=dtype)
        torch.mm(a, b)
        started, rounds = time.perf_counter(), 0
        while time.perf_counter() - started < 2:
            torch.mm(a, b)
            rounds += 1
        best = max(best, 2 * m * k * n * rounds / (time.perf_counter() - started) / 1e9)
    return best


class FlopCounter:
    """Counts the FLOPs of the linear layers a model runs: tokens into the decoder, rows into the head."""

    def __init__(self, model):
        inner = getattr(model, "get_base_model", lambda: model)()
        decoder, head = inner.get_decoder(), inner.get_output_embeddings()
        self.body_weights = sum(m.weight.numel() for name, m in decoder.named_modules()
                                if isinstance(m, torch.nn.Linear) and "lora_" not in name)
        self.head_weights = head.weight.numel()
        self.tokens = self.rows = 0
        decoder.register_forward_pre_hook(self._tokens, with_kwargs=True)
        head.register_forward_hook(self._rows)

    def _tokens(self, module, args, kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        if ids is None:
            ids = kwargs["inputs_embeds"][..., 0]
        self.tokens += ids.numel()

    def _rows(self, module, args, output):
        self.rows += output[..., 0].numel()

    def reset(self) -> None:
        self.tokens = self.rows = 0

    @property
    def flops(self) -> float:
        return 2.0 * (self.body_weights * self.tokens + self.head_weights * self.rows)


def timed(counter: FlopCounter, work, repeat: int = 1) -> tuple[float, float]:
    """(seconds, FLOPs) of ``work()`` run ``repeat`` times after one warm-up run."""
    work()
    counter.reset()
    started = time.perf_counter()
    for _ in range(repeat):
        work()
    return time.perf_counter() - started, counter.flops


def measure(precision: str) -> dict[str, tuple[float, float]]:
    from peft import LoraConfig, get_peft_model
    from transformers import DataCollatorForSeq2Seq

    from tunebench.harness.core.prompts import render_prompts
    from tunebench.harness.core.spec import TrainingConfig, Variant
    from tunebench.harness.core.suites import load_suite
    from tunebench.harness.orchestration.choices import choose
    from tunebench.harness.orchestration.generation import SharedPrefix, generate_batch
    from tunebench.trainers.data import prepare
    from tunebench.trainers.loss import completion_loss

    model, tokenizer, _ = load_base_model(MODEL, precision)
    counter = FlopCounter(model)
    suite = load_suite("it_tickets")
    prompts = render_prompts(suite, suite.subset("test", ITEMS), "zero-shot")
    ids = torch.randint(10, 1000, (16, 128))
    out = {}
    with torch.inference_mode():
        out["prefill (16 x 128 tokens)"] = timed(counter, lambda: model(input_ids=ids, logits_to_keep=1), 3)
        def decode() -> None:
            prefix = SharedPrefix.for_prompts(model, tokenizer, prompts)
            for start in range(0, len(prompts), 16):
                generate_batch(model, tokenizer, prompts[start:start + 16], suite.config.max_new_tokens, prefix)

        out[f"decode (generation, {ITEMS} zero-shot prompts)"] = timed(counter, decode)
        out[f"choice scoring ({ITEMS} prompts, 2 fields)"] = timed(counter, lambda: choose(model, tokenizer, suite,
                                                                                          prompts))
    names = ["it_tickets", "customer_support_it", "legal_clauses", "healthcare_triage", "cybersecurity"]
    data = prepare(Variant(name="limit", kind="adapter", prompt="plain"), TrainingConfig(train_size=64),
                   [load_suite(n) for n in names], tokenizer)
    peft = get_peft_model(model, LoraConfig(r=16, lora_alpha=32, target_modules="all-linear", task_type="CAUSAL_LM"))
    peft.train()
    optimiser = torch.optim.AdamW([p for p in peft.parameters() if p.requires_grad], lr=1e-4)
    collate = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100)
    batches = [collate([data.train[i] for i in range(s, s + 8)]) for s in range(0, 64, 8)]

    def steps() -> None:
        for batch in batches[:4]:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
                loss = completion_loss(peft, batch)[0]
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()

    seconds, flops = timed(counter, steps)
    out["training (4 LoRA steps of batch 8)"] = (seconds, 2 * flops)  # forward counted; backward does as much
    peft.unload()
    return out


def main() -> None:
    precision = resolve_precision("auto")
    dtype = torch.bfloat16 if precision.name == "bf16" else torch.float32
    print(f"{MODEL} on {torch.get_num_threads()} threads, precision {precision.name} ({precision.reason})")
    peaks = {"fp32": gemm_peak(torch.float32)}
    if dtype is torch.bfloat16:
        peaks["bf16"] = gemm_peak(torch.bfloat16)
    print("GEMM peak: " + ", ".join(f"{k} {v:.0f} GFLOP/s" for k, v in peaks.items()))
    peak = peaks[precision.name]
    for name, (seconds, flops) in measure(precision.name).items():
        achieved = flops / seconds / 1e9
        print(f"  {name:42s} {achieved:7.0f} GFLOP/s in {seconds:6.2f} s   MFU {achieved / peak:6.1%} "
              f"of the {precision.name} peak")


if __name__ == "__main__":
    main()
