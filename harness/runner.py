"""Evaluate variants × suites × splits on one loaded base model.

Prompt variants and adapter variants share the base model: adapters are loaded into one
``PeftModel`` and switched with ``set_adapter`` / ``disable_adapter``, never reloaded. Every
generation is cached in the store under a content hash of (model, adapter, prompt, settings) and
committed batch by batch: a re-run recomputes nothing and a killed run resumes where it stopped.

Per (variant, suite) the plan is: the experiment's splits (test, ood, safety, ...), the first
training items (train/test gap, memorisation), and perturbed copies of the test split
(robustness); then the overfitting summary, including canary exposure for adapters with canaries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tqdm.auto import tqdm

from harness.generation import generate_batch
from harness.models import ResolvedModel, folder_hash, load_base_model
from harness.probe import probe_key, run_probe
from harness.prompts import STOP_SEQUENCES, render_completion, render_prompts
from harness.scorers import overfitting, robustness
from harness.scorers.accuracy import score_accuracy
from harness.scorers.base import proportion_metric
from harness.scorers.policy import score_policy
from harness.scorers.safety import score_safety
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


@dataclass
class EvalSplit:
    """One list of items to generate for: a suite split, a training subset, or a perturbed copy."""

    name: str  # as stored: test, ood, safety, train, test+typos, ...
    source: str  # the suite split the items come from
    items: list[dict]


def plan(experiment: Experiment, suite: Suite) -> list[EvalSplit]:
    splits = [EvalSplit(s, s, suite.subset(s, experiment.eval_limit))
              for s in experiment.splits if suite.has_split(s)]
    if experiment.overfitting_items and suite.has_split("train"):
        splits.append(EvalSplit("train", "train", suite.subset("train", experiment.overfitting_items)))
    if "test" in experiment.splits:  # perturb items the test split itself evaluates: same-item drops
        test = suite.subset("test", experiment.eval_limit)[: experiment.robustness_items]
        for kind in experiment.robustness:
            perturbed = robustness.perturb(test, suite.config.input_field, kind)
            if perturbed:  # a monolingual suite has no language switch
                splits.append(EvalSplit(f"test+{kind}", "test", perturbed))
    return splits


def evaluate(experiment: Experiment, suites: list[Suite], store: Store, run_id: str,
             adapters: dict[str, Path]) -> None:
    """Generate (or take from the cache), score and store every (variant, suite, split)."""
    from trainers.lora import read_provenance

    model, tokenizer, resolved = load_base_model(experiment.base_model)
    switch = VariantSwitch(model, resolved)
    judge = None
    if experiment.judge and any(s.config.task_type == "generation" for s in suites):
        from harness.scorers.judge import Judge

        judge = Judge(experiment.judge)
    for variant in experiment.variants:
        adapter_sha, provenance = "none", None
        if variant.kind == "adapter":
            adapter_sha = switch.load(variant.name, adapters[variant.name])
            provenance = read_provenance(adapters[variant.name])
        pii_hashes = set((provenance or {}).get("data_preparation", {}).get("pii_value_sha256", []))
        for suite in suites:
            _evaluate_suite(experiment, store, run_id, switch, tokenizer, resolved, variant, adapter_sha,
                            provenance, pii_hashes, suite, judge)
        if experiment.general_probe:
            store.write_results(run_id, variant.name, "general_probe", "probe", [],
                                _probe_rows(experiment, store, switch, variant, adapter_sha, resolved, tokenizer))


def _evaluate_suite(experiment: Experiment, store: Store, run_id: str, switch: VariantSwitch, tokenizer,
                    resolved: ResolvedModel, variant: Variant, adapter_sha: str, provenance: dict | None,
                    pii_hashes: set[str], suite: Suite, judge=None) -> None:
    """Every planned split of one suite for one variant, then its overfitting and robustness rows."""
    settings = {"max_new_tokens": suite.config.max_new_tokens, "greedy": True,
                "stop": list(STOP_SEQUENCES)}
    correct: dict[str, dict[str, int]] = {}  # split -> item id -> right (1) / wrong (0)
    memorised: tuple[int, int] | None = None
    with switch.active(variant.name if variant.kind == "adapter" else None) as active:
        for split in plan(experiment, suite):
            prompts = render_prompts(suite, split.items, variant.prompt, variant.k)
            keys = [generation_key(resolved.sha256, adapter_sha, p, settings) for p in prompts]
            outputs = _generate_missing(active, tokenizer, store, prompts, keys, settings, resolved.sha256,
                                        adapter_sha, experiment.generation_batch_size,
                                        f"{variant.name} · {suite.name}/{split.name}")
            correct[split.name] = _score_and_store(store, run_id, variant, suite, split, outputs, keys,
                                                   pii_hashes, judge)
            if split.name == "train":
                memorised = overfitting.memorised(
                    outputs, [render_completion(suite, i) for i in split.items])
        exposures = []
        if provenance and provenance.get("data_preparation", {}).get("canaries"):
            from harness.exposure import canary_exposures

            exposures = canary_exposures(active, tokenizer, suite, variant,
                                         provenance["data_preparation"]["canaries"],
                                         experiment.canary_candidates)
    accuracy = {name: (sum(flags.values()) / len(flags), len(flags)) for name, flags in correct.items()}
    store.write_results(run_id, variant.name, suite.name, "overfitting", [],
                        overfitting.summary(accuracy, provenance, memorised, exposures))
    drops = [robustness.drop_on_same_items(kind, correct["test"], correct[f"test+{kind}"])
             for kind in experiment.robustness if f"test+{kind}" in correct and "test" in correct]
    drops = [d for d in drops if d is not None]
    if drops:
        store.write_results(run_id, variant.name, suite.name, "robustness", [], drops)


def _probe_rows(experiment: Experiment, store: Store, switch: VariantSwitch, variant: Variant,
                adapter_sha: str, resolved: ResolvedModel, tokenizer) -> list[dict]:
    """The variant's probe score and, for adapters, forgetting against the base model."""

    def score(adapter: str | None, sha: str) -> dict:
        key = probe_key(resolved.sha256, sha, experiment.general_probe, experiment.probe_limit)
        cached = store.cached_outputs([key])
        if key in cached:
            return json.loads(cached[key])
        started = time.perf_counter()
        with switch.active(adapter) as model:
            result = run_probe(model, tokenizer, experiment.general_probe, experiment.probe_limit)
        store.put_generations([{"key": key, "model_sha": resolved.sha256, "adapter_sha": sha,
                                "prompt": f"lm-eval task {experiment.general_probe}", "output": json.dumps(result),
                                "settings_json": json.dumps({"limit": experiment.probe_limit}),
                                "seconds": time.perf_counter() - started}])
        return result

    base = score(None, "none")
    own = score(variant.name, adapter_sha) if variant.kind == "adapter" else base
    rows = [proportion_metric("probe.accuracy", round(own["accuracy"] * own["n"]), own["n"],
                              f"lm-eval {own['task']} items answered right (multiple choice, log-likelihood)")]
    if variant.kind == "adapter":
        rows.append({"metric": "overfit.forgetting", "value": own["accuracy"] - base["accuracy"], "ci_low": None,
                     "ci_high": None, "n": own["n"],
                     "explanation": f"probe accuracy {own['accuracy']:.3f} with the adapter minus {base['accuracy']:.3f} "
                                    "of the base model (negative = capability lost)"})
    return rows


def _score_and_store(store: Store, run_id: str, variant: Variant, suite: Suite, split: EvalSplit,
                     outputs: list[str], keys: list[str], pii_hashes: set[str], judge=None) -> dict[str, int]:
    """Score one split (accuracy or safety, plus policy, plus the LLM judge on generation suites),
    store samples and metrics; return which items were right (1) or wrong (0) by id, the per-item
    view behind the split's accuracy."""
    main = score_safety(split.items, outputs) if split.source == "safety" \
        else score_accuracy(suite, split.items, outputs)
    policy = score_policy(suite, split.source, split.items, outputs, pii_hashes)
    judged, judge_rows = [{} for _ in split.items], []  # not on training items nor perturbed copies
    if suite.config.task_type == "generation" and split.name in ("test", "ood"):  # judge calls cost money:
        from harness.scorers.judge import judge_skipped, score_judged

        judged, judge_rows = score_judged(judge, store, suite, split.items, outputs) if judge \
            else (judged, [judge_skipped()])
    rows = []
    for k, (item, key, score) in enumerate(zip(split.items, keys, main.samples)):
        scores = {"main": score.__dict__}
        if policy is not None:
            scores["policy"] = policy.samples[k].__dict__
        if judged[k]:
            scores["judge"] = judged[k]
        target = {f: item.get(f) for f in list(suite.config.labels) + [suite.config.target_field, "safety"] if f}
        rows.append({"item_id": item["id"], "generation_key": key, "target_json": json.dumps(target),
                     "correct": int(score.value == 1.0), "explanation": score.explanation,
                     "scores_json": json.dumps(scores)})
    metrics = main.metrics + (policy.metrics if policy is not None else []) + judge_rows
    store.write_results(run_id, variant.name, suite.name, split.name, rows, metrics)
    return {row["item_id"]: row["correct"] for row in rows}


def _generate_missing(model, tokenizer, store: Store, prompts: list[str], keys: list[str],
                      settings: dict, model_sha: str, adapter_sha: str, batch_size: int,
                      label: str) -> list[str]:
    """Outputs for every prompt: cached ones from the store, the rest generated and committed."""
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
