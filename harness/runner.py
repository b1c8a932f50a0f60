"""Evaluate variants × suites × splits on one loaded base model.

Prompt variants and adapter variants share the base model: adapters are loaded into one
``PeftModel`` and switched with ``set_adapter`` / ``disable_adapter``, never reloaded. Every
generation is cached in the store under a content hash of (model, adapter, prompt, settings) and
committed batch by batch: a re-run recomputes nothing and a killed run resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path
from typing import Iterator

from tqdm.auto import tqdm

from harness.generation import generate_batch
from harness.models import ResolvedModel, folder_hash, load_base_model
from harness.prompts import STOP_SEQUENCES, few_shot_examples, render_prompt
from harness.scorers import score_classification
from harness.spec import Experiment, Variant
from harness.store import Store
from harness.suites import Suite


def generation_key(model_sha: str, adapter_sha: str, prompt: str, settings: dict) -> str:
    payload = json.dumps([model_sha, adapter_sha, prompt, settings], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class VariantSwitch:
    """Activates one variant at a time on the shared base model (peft adapter switching)."""

    def __init__(self, model, resolved: ResolvedModel):
        self.base, self.peft, self.resolved = model, None, resolved
        self.loaded: dict[str, str] = {}  # adapter name -> content hash

    def load(self, name: str, folder: Path) -> str:
        """Load an adapter once (refusing one trained on another base model); return its hash."""
        from peft import PeftModel

        from trainers.lora import check_base_model

        if name not in self.loaded:
            check_base_model(folder, self.resolved)
            if self.peft is None:
                self.peft = PeftModel.from_pretrained(self.base, str(folder), adapter_name=name)
                self.peft.eval()
            else:
                self.peft.load_adapter(str(folder), adapter_name=name)
            self.loaded[name] = folder_hash(folder)
        return self.loaded[name]

    @contextlib.contextmanager
    def active(self, adapter: str | None) -> Iterator[object]:
        """The model to generate with: ``adapter`` active, or the plain base model if ``None``."""
        if self.peft is None:
            yield self.base
        elif adapter is None:
            with self.peft.disable_adapter():
                yield self.peft
        else:
            self.peft.set_adapter(adapter)
            yield self.peft


def prompts_for(variant: Variant, suite: Suite, items: list[dict]) -> list[str]:
    shots = few_shot_examples(suite, variant.k or suite.config.prompts.few_shot_k) \
        if variant.prompt == "few-shot" else None
    return [render_prompt(suite, item, variant.prompt, shots) for item in items]


def evaluate(experiment: Experiment, suites: list[Suite], store: Store, run_id: str,
             adapters: dict[str, Path]) -> None:
    """Generate (or take from the cache), score and store every (variant, suite, split)."""
    model, tokenizer, resolved = load_base_model(experiment.base_model)
    switch = VariantSwitch(model, resolved)
    for variant in experiment.variants:
        adapter_sha = "none"
        if variant.kind == "adapter":
            adapter_sha = switch.load(variant.name, adapters[variant.name])
        for suite in suites:
            settings = {"max_new_tokens": suite.config.max_new_tokens, "greedy": True,
                        "stop": list(STOP_SEQUENCES)}
            for split in experiment.splits:
                if not suite.has_split(split):
                    continue
                items = suite.split(split)[: experiment.eval_limit]
                prompts = prompts_for(variant, suite, items)
                keys = [generation_key(resolved.sha256, adapter_sha, p, settings) for p in prompts]
                with switch.active(variant.name if variant.kind == "adapter" else None) as active:
                    outputs = _generate_missing(active, tokenizer, store, prompts, keys, settings,
                                                resolved.sha256, adapter_sha, experiment.generation_batch_size,
                                                f"{variant.name} · {suite.name}/{split}")
                sample_rows, metric_rows = score_classification(suite, items, outputs)
                for row, key in zip(sample_rows, keys):
                    row["generation_key"] = key
                store.write_results(run_id, variant.name, suite.name, split, sample_rows, metric_rows)


def _generate_missing(model, tokenizer, store: Store, prompts: list[str], keys: list[str],
                      settings: dict, model_sha: str, adapter_sha: str, batch_size: int,
                      label: str) -> list[str]:
    """Outputs for every prompt: cached ones from the store, the rest generated and committed."""
    import time

    cached = store.cached_outputs(keys)
    todo = sorted({k: p for k, p in zip(keys, prompts) if k not in cached}.items(),
                  key=lambda kp: len(kp[1]))  # length-sorted batches pad less
    with tqdm(total=len(set(keys)), initial=len(set(keys)) - len(todo), desc=label, unit="gen") as bar:
        for start in range(0, len(todo), batch_size):
            batch = todo[start:start + batch_size]
            t0 = time.perf_counter()
            outs = generate_batch(model, tokenizer, [p for _, p in batch], settings["max_new_tokens"])
            per_item = (time.perf_counter() - t0) / len(batch)
            store.put_generations([
                {"key": k, "model_sha": model_sha, "adapter_sha": adapter_sha, "prompt": p,
                 "output": o, "settings_json": json.dumps(settings), "seconds": per_item}
                for (k, p), o in zip(batch, outs)])
            cached.update({k: o for (k, _), o in zip(batch, outs)})
            bar.update(len(batch))
    return [cached[k] for k in keys]
