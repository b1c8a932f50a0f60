"""How close does tunebench's evaluation get to what this machine can do with the model?

    .venv/bin/python benchmarks/limit.py            # embedded Gemma 3 270M, 120 IT test items (~5 min, 2 cores)

1. The physical reference: the model's best forward-pass throughput here, in tokens per second,
   over batch sizes 1..64 of 128-token sequences (no generation, no sampling, no Python loop
   around it: one ``model(input_ids)`` per batch, logits for the last position only).
2. tunebench: the runner generating for a prompt variant (few-shot and zero-shot) on the IT
   test split, cache off (a fresh store), counted as the tokens a user is served: every prompt
   token plus every generated token, divided by the wall time of the generation stage.
Prints both and the ratio. A ratio above 1 means tunebench serves more tokens than the model can
compute in that time, which it does by computing the shared prompt prefix once per split.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tunebench.harness.core.models import load_base_model  # noqa: E402
from tunebench.harness.core.spec import Experiment  # noqa: E402
from tunebench.harness.core.stages import Stages  # noqa: E402
from tunebench.harness.core.store import cache  # noqa: E402
from tunebench.harness.orchestration.pipeline import run_experiment  # noqa: E402

MODEL, ITEMS, LENGTH = "gemma-3-270m", 120, 128


def forward_limit(model) -> tuple[float, int]:
    """(best tokens/s, its batch size) of plain forward passes."""
    best = (0.0, 0)
    vocab = model.config.vocab_size
    for batch in (1, 4, 8, 16, 32, 64):
        ids = torch.randint(10, vocab - 10, (batch, LENGTH))
        with torch.inference_mode():
            model(input_ids=ids, logits_to_keep=1)  # warm-up
            started, rounds = time.perf_counter(), 0
            while time.perf_counter() - started < 8 or rounds < 2:
                model(input_ids=ids, logits_to_keep=1)
                rounds += 1
        rate = batch * LENGTH * rounds / (time.perf_counter() - started)
        print(f"  forward, batch {batch:>2}: {rate:8.0f} tokens/s")
        best = max(best, (rate, batch))
    return best


def tunebench_rate(prompt: str) -> float:
    experiment = Experiment(name=f"limit-{prompt}", base_model=MODEL, suites=["it_tickets"], splits=["test"],
                            eval_limit=ITEMS, robustness=[], overfitting_items=0, general_probe=None,
                            variants=[{"name": prompt, "kind": "prompt", "prompt": prompt}])
    with tempfile.TemporaryDirectory() as out:
        stages = Stages()
        store, _ = run_experiment(experiment, Path(out), stages=stages)
        seconds = sum(s["seconds"] for s in stages.as_rows() if s["name"].startswith("generation"))
        rows = store.frame(cache)
        served = int(rows.prompt_tokens.sum() + rows.output_tokens.sum())
        settings = rows.settings_json.iloc[0]
    rate = served / seconds
    print(f"  tunebench, {prompt}: {served} tokens served ({len(rows)} prompts, max_new_tokens "
          f"{settings['max_new_tokens']}) in {seconds:.1f} s = {rate:.0f} tokens/s")
    return rate


def main() -> None:
    model, _, _ = load_base_model(MODEL)
    print(f"{MODEL} on {torch.get_num_threads()} threads")
    limit, batch = forward_limit(model)
    print(f"physical reference: {limit:.0f} tokens/s (forward pass, batch {batch}, {LENGTH} tokens)")
    for prompt in ("few-shot", "zero-shot"):
        rate = tunebench_rate(prompt)
        print(f"ratio tunebench/{prompt} to the forward-pass limit: {rate / limit:.2f}")


if __name__ == "__main__":
    main()
