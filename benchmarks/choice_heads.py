"""Choice scoring: the vocabulary projection only where a score reads it, against projecting every position.

    .venv/bin/python benchmarks/choice_heads.py [--items 40]     # embedded Gemma 3 270M (~2 min, 2 cores)

Scores every allowed label of every label field of the IT-ticket and cybersecurity test items
(zero-shot prompts, the field chosen first conditions the next, as ``choices.choose`` does) three
ways, each in a child process of this one, one after the other, in the precision ``auto`` picks:
- pairs: every (context, label) pair run on its own (what lm-eval's log-likelihood requests do);
- shared, every position: each context once, its cache shared by the labels, every continuation
  position projected onto the 262k vocabulary (tunebench before the head change);
- shared, needed rows: the same, projecting only the positions a score reads (one per context, plus
  those inside labels of more than one token; ``harness/core/heads.rows_only``), each field's context
  run again from the shared prefix;
- choose, fields continued: ``choices.choose`` as the runner calls it (16 items a call), where the next
  field's context continues the cache of the field before: what tunebench runs.
Prints items/s, the ratios against the last, and whether the chosen labels and log-likelihoods agree.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MODEL = "gemma-3-270m"
SUITES = ("it_tickets", "cybersecurity")
MODES = ("pairs", "shared, every position", "shared, needed rows", "choose, fields continued")


def child(mode: str, items: int) -> dict:
    from tunebench.harness.core.models import load_base_model
    from tunebench.harness.core.precision import resolve_precision
    from tunebench.harness.core.prompts import render_prompts
    from tunebench.harness.core.suites import load_suite
    from tunebench.harness.orchestration.cached_model import CHOICE_CONTEXTS
    from tunebench.harness.orchestration.choices import (choose, first_context, loglikelihoods,
                                                         scores_with_shared_context)

    precision = resolve_precision("auto")
    model, tokenizer, _ = load_base_model(MODEL, precision.name)
    prepared = []
    for name in SUITES:
        suite = load_suite(name)
        prepared.append((suite, [first_context(suite, p) for p in
                                 render_prompts(suite, suite.subset("test", items), "zero-shot")]))
    chosen, logliks, seconds = [], [], 0.0
    for suite, contexts in prepared:
        fields = list(suite.config.labels.items())
        if mode == "choose, fields continued":
            started, results = time.perf_counter(), []
            for start in range(0, len(contexts), CHOICE_CONTEXTS):  # as the runner calls it
                results += choose(model, tokenizer, suite, contexts[start:start + CHOICE_CONTEXTS], 2 * CHOICE_CONTEXTS)
            seconds += time.perf_counter() - started
            for field, labels in fields:
                chosen += [r["labels"][field] for r in results]
                logliks += [r["loglik"][field][label] for r in results for label in labels]
            continue
        for index, (field, labels) in enumerate(fields):
            started = time.perf_counter()
            if mode == "pairs":
                flat = loglikelihoods(model, tokenizer, [(c, f" {label}") for c in contexts for label in labels])
                scores = [flat[k * len(labels):(k + 1) * len(labels)] for k in range(len(contexts))]
            else:
                scores = scores_with_shared_context(model, tokenizer, contexts, labels,
                                                    only_needed_rows=mode == "shared, needed rows")
            seconds += time.perf_counter() - started
            for k, row in enumerate(scores):
                best = labels[max(range(len(labels)), key=row.__getitem__)]
                chosen.append(best)
                logliks.extend(row)
                if index + 1 < len(fields):
                    contexts[k] = f"{contexts[k]} {best}\n{fields[index + 1][0].capitalize()}:"
    return {"seconds": seconds, "items": items * len(SUITES), "chosen": chosen, "logliks": logliks,
            "precision": precision.name}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=40, help="test items per suite")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.items)))
        return
    results = {}
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--items", str(args.items)], check=True,
                             capture_output=True, text=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    ours = results[MODES[-1]]
    print(f"{MODEL} in {ours['precision']}, {ours['items']} items ({', '.join(SUITES)}), every label field")
    for mode, r in results.items():
        same = sum(a == b for a, b in zip(r["chosen"], ours["chosen"]))
        drift = max(abs(a - b) for a, b in zip(r["logliks"], ours["logliks"]))
        print(f"  {mode:24s} {r['items'] / r['seconds']:7.2f} items/s  ({r['seconds']:6.1f} s)   "
              f"x{ours['seconds'] and r['seconds'] / ours['seconds']:.2f} the time of the last   "
              f"same choice {same}/{len(r['chosen'])}, largest log-likelihood difference {drift:.2e}")


if __name__ == "__main__":
    main()
