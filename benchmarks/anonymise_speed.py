"""What anonymisation adds to the demo's data preparation, and the anonymiser's texts per second.

    .venv/bin/python benchmarks/anonymise_speed.py        # about 15 s on 2 cores

The texts are the inputs of the demo's five suites' train and val splits: what ``trainers/data.py``
anonymises before any adapter of the demo trains (the whole pool, before ``train_size`` picks).
Prints the one-off set-up (loading Presidio, the first-name list, Faker), then each mode's seconds
and texts per second, and the share of the issue's budget (30 s) the whole preparation uses.
Run it alone: another CPU-heavy job on the same cores slows it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET_S = 30.0


def main() -> None:
    from tunebench.harness.cli import demo_spec_path
    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.core.suites import load_suite

    spec = load_spec(demo_spec_path())
    texts, languages = [], []
    for name in spec.suites:
        suite = load_suite(name)
        for split in ("train", "val"):
            if split in suite.config.splits:
                for item in suite.split(split):
                    texts.append(item[suite.config.input_field])
                    languages.append(suite.config.language)
    started = time.perf_counter()
    from tunebench.harness.core.pii import redact

    redact("Giulia Esposito, +39 333 123 4567, Via Roma 12", mode="surrogate")
    setup = time.perf_counter() - started
    print(f"{len(texts)} training texts of the demo's suites ({sum(map(len, texts)):,} characters)")
    print(f"set-up (Presidio, first names, Faker; once per process): {setup:.2f} s")
    for mode in ("placeholder", "surrogate"):
        started = time.perf_counter()
        found = sum(len(redact(t, mode=mode, locale=lang)[1]) for t, lang in zip(texts, languages))
        seconds = time.perf_counter() - started
        print(f"{mode:12s} {seconds:6.2f} s  {len(texts) / seconds:7.0f} texts/s  {found} values replaced  "
              f"set-up + run = {(setup + seconds) / BUDGET_S:.0%} of the {BUDGET_S:.0f} s budget")


if __name__ == "__main__":
    main()
