"""Generation from a shared prefix's cache against a plain left-padded batch, and both against each prompt alone.

    .venv/bin/python benchmarks/shared_prefix.py [--suite customer_support_it] [--items 15] [--precision fp32]

Takes every fourth of a suite's few-shot test prompts by length (the demo's longest: the support suite's
481-549 tokens, past Gemma 3 270M's 512-token sliding window with 48 new tokens), then in one process:
- plain: one left-padded batch, every prompt run whole (the reference);
- shared: ``generate_batch`` with the split's ``SharedPrefix`` (what the runner does): the prefix run once,
  its cache shifted per row;
three runs each, alternating, and the median seconds; then every prompt alone, and how many outputs of
each batch equal the prompt's own. In fp32 both must be 15 of 15; in bf16 a batch and a single row may
round differently.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--suite", default="customer_support_it")
    parser.add_argument("--items", type=int, default=15)
    parser.add_argument("--new-tokens", type=int, default=48)
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    args = parser.parse_args()

    from tunebench.harness.core.models import load_base_model
    from tunebench.harness.core.prompts import render_prompts
    from tunebench.harness.core.suites import load_suite
    from tunebench.harness.orchestration.generation import SharedPrefix, generate_batch

    model, tokenizer, _ = load_base_model("gemma-3-270m", args.precision)
    suite = load_suite(args.suite)
    prompts = render_prompts(suite, suite.subset("test", 60), "few-shot")
    prompts.sort(key=lambda p: len(tokenizer(p)["input_ids"]))
    batch = prompts[::4][:args.items]
    lengths = [len(tokenizer(p)["input_ids"]) for p in batch]
    prefix = SharedPrefix.for_prompts(model, tokenizer, batch)
    if prefix is None:
        sys.exit(f"{args.suite}: its few-shot prompts share no prefix")
    print(f"{args.suite}, {args.precision}: {len(batch)} prompts of {min(lengths)}-{max(lengths)} tokens, "
          f"shared prefix {len(prefix.ids)} tokens (shifted per row: {prefix.whole}), "
          f"window {model.config.sliding_window}, {args.new_tokens} new tokens")
    generate_batch(model, tokenizer, batch[:2], 4)  # warm-up: stop-string table, allocator
    runs = {"plain": lambda: generate_batch(model, tokenizer, batch, args.new_tokens),
            "shared": lambda: generate_batch(model, tokenizer, batch, args.new_tokens, prefix)}
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    outputs = {}
    for _ in range(3):
        for name, run in runs.items():
            start = time.perf_counter()
            outputs[name] = run()
            seconds[name].append(time.perf_counter() - start)
    alone = [generate_batch(model, tokenizer, [p], args.new_tokens)[0] for p in batch]
    plain = statistics.median(seconds["plain"])
    for name in runs:
        median = statistics.median(seconds[name])
        same = sum(a == b for a, b in zip(outputs[name], alone))
        print(f"{name:>6}: {median:6.2f} s (median of 3), {plain / median:4.2f}x plain; outputs equal to each prompt "
              f"alone: {same} of {len(batch)}")


if __name__ == "__main__":
    main()
