"""The model behind the store's cache: generations and choices computed only where not cached.

Every result is cached under a content hash of (model identity, adapter, prompt, settings) and
committed batch by batch with its latency and token counts (what each request costs), so a re-run
recomputes nothing and a killed run resumes where it stopped. ``model_id`` is the one model
identity in every key: the base model's content hash (marked ``+bf16`` when it computes in bf16,
``harness/core/precision.py``), or ``served:<model>@<host/path>`` for a served backend (``ServedModel.identity``).
"""

from __future__ import annotations

import time

from tqdm.auto import tqdm

from tunebench.harness.core.cache import cache_key
from tunebench.harness.core.spec import Experiment
from tunebench.harness.core.store import Store
from tunebench.harness.core.suites import Suite
from tunebench.harness.orchestration.choices import choose
from tunebench.harness.orchestration.generation import SharedPrefix, generate_batch
from tunebench.harness.orchestration.variants import VariantState

# Contexts scored together by choices: each context's cache is repeated once per label, so memory grows
# with contexts x labels; 32 contexts of the demo's 6-label field took its peak from 4.1 to 4.7 GiB
# (BENCHMARKS.md, "The demo"), for a few seconds of the run.
CHOICE_CONTEXTS = 16


class CachedModel:
    """Generation and choice scoring through the cache, for one run (tokenizer, store, backend)."""

    def __init__(self, experiment: Experiment, store: Store, tokenizer, base_identity: str, served=None):
        """``base_identity``: the in-process model's identity (``Precision.model_identity`` of its hash)."""
        self.experiment, self.store, self.tokenizer, self.served = experiment, store, tokenizer, served
        self.model_id = served.identity if served is not None else base_identity

    def generation_key(self, state: VariantState, prompt: str, settings: dict) -> str:
        return cache_key("generation", self.model_id, state.adapter_sha, prompt, settings)

    def generate(self, model, state: VariantState, prompts: dict[str, str], settings: dict, label: str
                 ) -> dict[str, str]:
        """key -> output for every key -> prompt: cached ones from the store, the rest generated and
        committed. The prompts' shared start (instruction, examples, policy) is run once
        (``SharedPrefix``); batches are length-sorted and sized by a token budget."""
        cached = self.store.cached_outputs(prompts)
        self.count_tokens([k for k in prompts if k in cached])
        todo = sorted(((k, p) for k, p in prompts.items() if k not in cached), key=lambda kp: len(kp[1]))
        prefix = SharedPrefix.for_prompts(model, self.tokenizer, [p for _, p in todo]) \
            if len(todo) > 1 and self.served is None else None
        with tqdm(total=len(prompts), initial=len(prompts) - len(todo), desc=label, unit="gen") as bar:
            for batch in self.batches(todo, prefix):
                t0 = time.perf_counter()
                texts = [p for _, p in batch]
                outs = self.served.complete(state.served_name, texts, settings["max_new_tokens"]) \
                    if self.served is not None else \
                    generate_batch(model, self.tokenizer, texts, settings["max_new_tokens"], prefix)
                per_item = (time.perf_counter() - t0) / len(batch)
                self.store.put_cached("generation", [
                    {"key": k, "model_id": self.model_id, "adapter_sha": state.adapter_sha, "prompt": p, "output": o,
                     "settings_json": settings, "seconds": per_item, "prompt_tokens": self.token_count(p, prompt=True),
                     "output_tokens": self.token_count(o)} for (k, p), o in zip(batch, outs)])
                cached.update({k: o for (k, _), o in zip(batch, outs)})
                bar.update(len(batch))
        return {k: cached[k] for k in prompts}

    def choice_key(self, state: VariantState, suite: Suite, prompt: str) -> str:
        return cache_key("choices", self.model_id, state.adapter_sha, prompt, suite.config.labels)

    def choose(self, model, state: VariantState, suite: Suite, prompts: dict[str, str], label: str
               ) -> dict[str, dict]:
        """key -> the most likely label per field, for every key -> prompt: cached ones from the store,
        the rest scored (log-likelihood of each allowed label) and committed."""
        cached = self.store.cached_values(prompts)
        todo = [(k, p) for k, p in prompts.items() if k not in cached]
        step = max(1, min(self.experiment.generation_batch_size // 2, CHOICE_CONTEXTS))
        with tqdm(total=len(prompts), initial=len(prompts) - len(todo), desc=f"{label} (choices)", unit="item") as bar:
            for start in range(0, len(todo), step):
                batch = todo[start:start + step]
                t0 = time.perf_counter()
                results = choose(model, self.tokenizer, suite, [p for _, p in batch], 2 * step)
                per_item = (time.perf_counter() - t0) / len(batch)
                self.store.put_cached("choices", [
                    {"key": k, "model_id": self.model_id, "adapter_sha": state.adapter_sha, "prompt": p, "output": r,
                     "settings_json": {"labels": suite.config.labels}, "seconds": per_item,
                     "prompt_tokens": self.token_count(p, prompt=True), "output_tokens": 0}
                    for (k, p), r in zip(batch, results)])
                cached.update({k: r for (k, _), r in zip(batch, results)})
                bar.update(len(batch))
        return {k: cached[k] for k in prompts}

    def probe(self, switch, who: VariantState | None) -> dict:
        """The lm-eval probe's {accuracy, n, task} for a variant (None: the plain base model), cached."""
        from tunebench.harness.orchestration.probe import run_probe

        task, sha, probe_limit = self.experiment.general_probe, who.adapter_sha if who else "none", \
            self.experiment.probe_limit
        key = cache_key("probe", self.model_id, sha, task, probe_limit)
        cached = self.store.cached_values([key])
        if key in cached:
            return cached[key]
        started = time.perf_counter()
        with switch.active(who) as model:
            result = run_probe(model, self.tokenizer, task, probe_limit)
        self.store.put_cached("probe", [{"key": key, "model_id": self.model_id, "adapter_sha": sha,
                                         "prompt": f"lm-eval task {task}", "output": result,
                                         "settings_json": {"limit": probe_limit},
                                         "seconds": time.perf_counter() - started}])
        return result

    def batches(self, todo: list[tuple[str, str]], prefix: SharedPrefix | None) -> list[list[tuple[str, str]]]:
        """Length-sorted batches of at most ``generation_batch_size`` prompts whose padded length (the
        tokens each row really runs: without the shared prefix) stays within the token budget."""
        budget, most = self.experiment.generation_token_budget, self.experiment.generation_batch_size
        out: list[list[tuple[str, str]]] = []
        current: list[tuple[str, str]] = []
        for key, prompt in todo:
            own = len(prompt) - (len(prefix.text) if prefix is not None and prefix.covers(prompt) else 0)
            tokens = max(1, own // 3)  # ~3 characters per token: a cheap, conservative estimate
            if current and (len(current) + 1 > most or (len(current) + 1) * tokens > budget):
                out.append(current)
                current = []
            current.append((key, prompt))
        return out + ([current] if current else [])

    def token_count(self, text: str, prompt: bool = False) -> int:
        """Tokens the model reads (a prompt, with BOS as at generation) or writes (an output)."""
        return len(self.tokenizer(text, add_special_tokens=prompt)["input_ids"])

    def count_tokens(self, keys: list[str]) -> None:
        """Token counts for cached generations of older stores that lack them (nothing is generated)."""
        missing = self.store.missing_token_counts(keys)
        self.store.put_token_counts({k: (self.token_count(p, prompt=True), self.token_count(o))
                                     for k, (p, o) in missing.items()})
