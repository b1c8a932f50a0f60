"""Evaluate variants × suites × splits on one loaded base model.

Prompt variants and adapter variants share the base model (``variants.VariantSwitch``). Every
generation is cached in the store under a content hash of (model, adapter, prompt, settings) and
committed batch by batch: a re-run recomputes nothing and a killed run resumes where it stopped.

Per (variant, suite) the plan is: the experiment's splits (test, ood, safety, ...), the first
training items (train/test gap, memorisation), and perturbed copies of the test split
(robustness); then the overfitting summary, including canary exposure for adapters with canaries.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from tqdm.auto import tqdm

from harness.core.adapters import WEIGHTS, Adapter
from harness.core.cache import cache_key
from harness.core.metrics import MetricRow
from harness.core.models import load_base_model
from harness.core.prompts import STOP_SEQUENCES, answer_cue, chat_wrapper, render_completion, render_prompts
from harness.core.spec import Experiment
from harness.core.stages import Stages
from harness.core.store import Store
from harness.core.suites import Suite
from harness.orchestration.choices import choose
from harness.orchestration.generation import SharedPrefix, generate_batch
from harness.orchestration.probe import run_probe
from harness.orchestration.variants import VariantState, VariantSwitch
from harness.scorers import overfitting, robustness
from harness.scorers.accuracy import score_accuracy, score_choices
from harness.scorers.base import Score, ScorerResult
from harness.scorers.policy import score_policy
from harness.scorers.safety import score_safety


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
             adapters: dict[str, Adapter], stages: Stages | None = None) -> None:
    """Generate (or take from the cache), score and store every (variant, suite, split)."""
    Evaluation(experiment, suites, store, run_id, stages).run(adapters)


class Evaluation:
    """One run's evaluation: the loaded model, the store, the judge; per-variant state passed in."""

    def __init__(self, experiment: Experiment, suites: list[Suite], store: Store, run_id: str,
                 stages: Stages | None = None):
        self.experiment, self.suites, self.store, self.run_id = experiment, suites, store, run_id
        self.stage = stages or Stages()
        model, self.tokenizer, self.resolved = load_base_model(experiment.base_model)
        self.switch = VariantSwitch(model)
        self.chat = chat_wrapper(self.tokenizer)
        self.judge = None
        if experiment.judge:
            from harness.scorers.judge import Judge

            self.judge = Judge(experiment.judge)  # the refusal detector's referee, even without generation suites
        self.referee = self.judge.referee(store) if self.judge else None
        self.served = None
        self.model_id = self.resolved.sha256  # part of every cache key: which model made the result
        if experiment.backend is not None:
            from harness.orchestration.served import ServedModel

            self.served = ServedModel(experiment.backend)
            self.model_id = f"served:{experiment.backend.model}"

    def run(self, adapters: dict[str, Adapter]) -> None:
        self.store.record_run_inputs(
            self.run_id,
            [{"suite": s.name, "folder": str(s.folder), "sha256": sha, "files_json": json.dumps(files)}
             for s in self.suites for sha, files in [s.content_hash()]],
            [{"variant": a.name, "folder": str(a.folder), "sha256": a.sha256,
              "provenance_json": json.dumps({**a.provenance, "weights_bytes": (a.folder / WEIGHTS).stat().st_size})}
             for a in adapters.values()])
        try:
            self.run_variants(adapters)
        finally:
            self.switch.close()

    def run_variants(self, adapters: dict[str, Adapter]) -> None:
        """Scorer checks, then every variant on every suite (and the general probe)."""
        from harness.core.metrics import SCORERS_VARIANT
        from harness.scorers.reliability import measure

        with self.stage("scorer checks"):  # how far each scorer can be trusted, next to the numbers it makes
            for agreement in measure():
                self.store.write_results(self.run_id, SCORERS_VARIANT, agreement.scorer, "check", [], [agreement.row])
        for variant in self.experiment.variants:
            served_name = self.served.model_name(variant.name if variant.kind == "adapter" else None) \
                if self.served else None
            state = VariantState(variant, adapters.get(variant.name) if variant.kind == "adapter" else None,
                                 served_name)
            if state.adapter:
                self.switch.load(state.adapter)
            for suite in self.suites:
                self.evaluate_suite(state, suite)
            if self.experiment.general_probe and self.served is None:  # log-likelihoods: in process only
                with self.stage(f"probe · {variant.name}"):
                    rows = self.probe_rows(state)
                self.store.write_results(self.run_id, variant.name, "general_probe", "probe", [], rows)

    def evaluate_suite(self, state: VariantState, suite: Suite) -> None:
        """Every planned split of one suite for one variant, then its overfitting and robustness rows."""
        variant = state.variant
        settings = {"max_new_tokens": suite.config.max_new_tokens, "greedy": True, "stop": list(STOP_SEQUENCES)}
        correct: dict[str, dict[str, int]] = {}  # split -> item id -> right (1) / wrong (0)
        memorised: tuple[int, int] | None = None
        scoring = (suite.config.scoring or self.experiment.scoring) if suite.config.task_type == "classification" \
            else "generate"
        splits = plan(self.experiment, suite)
        prompts = {split.name: render_prompts(suite, split.items, variant.prompt, variant.k, self.chat) for split in splits}
        generated = [s for s in splits if scoring != "choices" or s.source == "safety"]  # refusals are read from text
        # scored by choices: every split when choices decide; with 'both', the test split (the decision table's
        # knows-vs-formats diagnostic: it reads choices on test only, and choices cost a pass per label)
        chosen_for = [s for s in splits if s.source != "safety" and
                      (scoring == "choices" or (scoring == "both" and s.name == "test"))]
        label = f"{variant.name} · {suite.name}"
        with self.switch.active(state) as model:
            # every split of the suite in one pass: larger batches, one shared prompt prefix
            every = [p for s in generated for p in prompts[s.name]]
            keys_of = {s.name: [cache_key("generation", self.model_id, state.adapter_sha, p, settings)
                                for p in prompts[s.name]] for s in generated}
            with self.stage(f"generation · {label}"):
                done = self.generate_missing(model, state, every, [k for s in generated for k in keys_of[s.name]],
                                             settings, label)
            outputs_of, at = {}, 0
            for s in generated:
                outputs_of[s.name], at = done[at:at + len(prompts[s.name])], at + len(prompts[s.name])
            chosen_of, choice_keys_of = {}, {}
            if chosen_for:
                every = [p for s in chosen_for for p in prompts[s.name]]
                with self.stage(f"choices · {label}"):
                    keys, chosen = self.choose_missing(model, state, suite, every, label)
                at = 0
                for s in chosen_for:
                    n = len(prompts[s.name])
                    chosen_of[s.name], choice_keys_of[s.name], at = chosen[at:at + n], keys[at:at + n], at + n
            with self.stage(f"scoring · {label}"):
                for split in splits:
                    outputs = outputs_of.get(split.name)
                    keys = keys_of[split.name] if split.name in keys_of else choice_keys_of[split.name]
                    correct[split.name] = self.score_and_store(state, suite, split, outputs, keys,
                                                               chosen_of.get(split.name))
                    if split.name == "train" and outputs is not None:
                        memorised = overfitting.memorised(outputs, [render_completion(suite, i, variant.prompt)
                                                                    for i in split.items])
            if variant.kind == "adapter" and self.experiment.guard_items:
                with self.stage(f"guard · {label}"):
                    self.guard(model, state, suite, settings)
            exposures = []
            if state.adapter and state.adapter.canaries:
                from harness.orchestration.exposure import canary_exposures

                with self.stage(f"canary exposure · {label}"):
                    exposures = canary_exposures(model, self.tokenizer, suite, variant, state.adapter.canaries,
                                                 self.experiment.canary_candidates)
        accuracy = {name: (sum(flags.values()) / len(flags), len(flags)) for name, flags in correct.items()}
        self.store.write_results(self.run_id, variant.name, suite.name, "overfitting", [],
                                 overfitting.summary(accuracy, state.provenance, memorised, exposures))
        drops = [robustness.drop_on_same_items(kind, correct["test"], correct[f"test+{kind}"])
                 for kind in self.experiment.robustness if f"test+{kind}" in correct and "test" in correct]
        drops = [d for d in drops if d is not None]
        if drops:
            self.store.write_results(self.run_id, variant.name, suite.name, "robustness", [], drops)

    def probe_rows(self, state: VariantState) -> list[MetricRow]:
        """The variant's probe score and, for adapters, forgetting against the base model."""
        experiment, resolved = self.experiment, self.resolved

        def score(who: VariantState | None) -> dict:
            sha = who.adapter_sha if who else "none"
            key = cache_key("probe", resolved.sha256, sha, experiment.general_probe, experiment.probe_limit)
            cached = self.store.cached_outputs([key])
            if key in cached:
                return json.loads(cached[key])
            started = time.perf_counter()
            with self.switch.active(who) as model:
                result = run_probe(model, self.tokenizer, experiment.general_probe, experiment.probe_limit)
            self.store.put_cached("probe", [{
                "key": key, "model_sha": resolved.sha256, "adapter_sha": sha,
                "prompt": f"lm-eval task {experiment.general_probe}", "output": json.dumps(result),
                "settings_json": json.dumps({"limit": experiment.probe_limit}),
                "seconds": time.perf_counter() - started}])
            return result

        base = score(None)
        own = score(state) if state.adapter else base
        rows = [MetricRow.proportion("probe.accuracy", round(own["accuracy"] * own["n"]), own["n"],
                                     f"lm-eval {own['task']} items answered right (multiple choice, log-likelihood)")]
        if state.adapter:
            rows.append(MetricRow.point(
                "overfit.forgetting", own["accuracy"] - base["accuracy"], own["n"],
                f"probe accuracy {own['accuracy']:.3f} with the adapter minus {base['accuracy']:.3f} of the base "
                "model (negative = capability lost)"))
        return rows

    def score_and_store(self, state: VariantState, suite: Suite, split: EvalSplit, outputs: list[str] | None,
                        keys: list[str], chosen: list[dict] | None = None) -> dict[str, int]:
        """Score one split (accuracy or safety, by generation and/or by choices, plus policy, plus the LLM
        judge on generation suites), store samples and metrics; return which items were right (1) or
        wrong (0) by id, the per-item view behind the split's accuracy."""
        by_choices = score_choices(suite, split.items, chosen) if chosen is not None else None
        policy = None
        if outputs is None:  # scoring: choices: the headline accuracy is accuracy by choices
            main = ScorerResult([Score(s.value, s.explanation, {**s.values, "accuracy": s.values["accuracy.choices"]})
                                 for s in by_choices.samples], by_choices.metrics)
            main.metrics = [main.proportion("accuracy", "with every label field right by choices (scoring: choices; "
                                                        "no generation)"), *main.metrics]
            by_choices = None
        else:
            if split.source != "safety":  # the answer starts in the prompt (its cue); safety reads the reply itself
                cue = answer_cue(suite, state.variant.prompt)
                outputs = [cue + o for o in outputs]
            main = score_safety(split.items, outputs, self.referee) if split.source == "safety" \
                else score_accuracy(suite, split.items, outputs)
            policy = score_policy(suite, split.source, split.items, outputs, state.pii_hashes, self.referee)
        judged, judge_rows = [{} for _ in split.items], []  # not on training items nor perturbed copies
        if suite.config.task_type == "generation" and split.name in ("test", "ood"):  # judge calls cost money
            from harness.scorers.judge import judge_skipped, score_judged

            judged, judge_rows = score_judged(self.judge, self.store, suite, split.items, outputs) if self.judge \
                else (judged, [judge_skipped()])
        rows = []
        for k, (item, key, score) in enumerate(zip(split.items, keys, main.samples)):
            scores = {"main": score.__dict__}
            values = dict(score.values)
            for name, extra in (("policy", policy), ("choices", by_choices)):
                if extra is not None:
                    scores[name] = extra.samples[k].__dict__
                    values.update(extra.samples[k].values)
            if judged[k]:
                scores["judge"] = judged[k]
            target = {f: item.get(f) for f in list(suite.config.labels) + [suite.config.target_field, "safety"] if f}
            if suite.config.cluster_field:
                target["cluster"] = item.get(suite.config.cluster_field)
            rows.append({"item_id": item["id"], "generation_key": key, "target_json": json.dumps(target),
                         "correct": int(score.value == 1.0), "explanation": score.explanation,
                         "scores_json": json.dumps(scores), "values_json": json.dumps(values)})
        metrics = main.metrics + sum((extra.metrics for extra in (policy, by_choices) if extra is not None), []) \
            + judge_rows
        self.store.write_results(self.run_id, state.name, suite.name, split.name, rows, metrics)
        return {row["item_id"]: row["correct"] for row in rows}

    def choose_missing(self, model, state: VariantState, suite: Suite, prompts: list[str], label: str
                       ) -> tuple[list[str], list[dict]]:
        """The most likely label per field for every prompt: cached ones from the store, the rest scored."""
        labels = suite.config.labels
        keys = [cache_key("choices", self.resolved.sha256, state.adapter_sha, p, labels) for p in prompts]
        cached = {k: json.loads(v) for k, v in self.store.cached_outputs(keys).items()}
        todo = list({k: p for k, p in zip(keys, prompts) if k not in cached}.items())
        step = max(1, self.experiment.generation_batch_size // 2)
        with tqdm(total=len(set(keys)), initial=len(set(keys)) - len(todo), desc=f"{label} (choices)",
                  unit="item") as bar:
            for start in range(0, len(todo), step):
                batch = todo[start:start + step]
                t0 = time.perf_counter()
                results = choose(model, self.tokenizer, suite, [p for _, p in batch],
                                 self.experiment.generation_batch_size)
                per_item = (time.perf_counter() - t0) / len(batch)
                self.store.put_cached("choices", [
                    {"key": k, "model_sha": self.resolved.sha256, "adapter_sha": state.adapter_sha, "prompt": p,
                     "output": json.dumps(r), "settings_json": json.dumps({"labels": labels}), "seconds": per_item,
                     "prompt_tokens": self.token_count(p, prompt=True), "output_tokens": 0}
                    for (k, p), r in zip(batch, results)])
                cached.update({k: r for (k, _), r in zip(batch, results)})
                bar.update(len(batch))
        return keys, [cached[k] for k in keys]

    def generate_missing(self, model, state: VariantState, prompts: list[str], keys: list[str], settings: dict,
                         label: str) -> list[str]:
        """Outputs for every prompt: cached ones from the store, the rest generated and committed (with
        their token counts: what each request costs). The prompts' shared start (instruction, examples,
        policy) is run once (``SharedPrefix``); batches are sized by a token budget."""
        cached = self.store.cached_outputs(keys)
        self.count_tokens([k for k in keys if k in cached])
        todo = sorted({k: p for k, p in zip(keys, prompts) if k not in cached}.items(),
                      key=lambda kp: len(kp[1]))  # length-sorted batches pad less
        prefix = SharedPrefix.for_prompts(model, self.tokenizer, [p for _, p in todo]) \
            if len(todo) > 1 and self.served is None else None
        with tqdm(total=len(set(keys)), initial=len(set(keys)) - len(todo), desc=label, unit="gen") as bar:
            for batch in self.batches(todo, prefix):
                t0 = time.perf_counter()
                if self.served is not None:
                    outs = self.served.complete(state.served_name, [p for _, p in batch], settings["max_new_tokens"])
                else:
                    outs = generate_batch(model, self.tokenizer, [p for _, p in batch], settings["max_new_tokens"],
                                          prefix)
                per_item = (time.perf_counter() - t0) / len(batch)
                self.store.put_cached("generation", [
                    {"key": k, "model_sha": self.model_id, "adapter_sha": state.adapter_sha, "prompt": p,
                     "output": o, "settings_json": json.dumps(settings), "seconds": per_item,
                     "prompt_tokens": self.token_count(p, prompt=True), "output_tokens": self.token_count(o)}
                    for (k, p), o in zip(batch, outs)])
                cached.update({k: o for (k, _), o in zip(batch, outs)})
                bar.update(len(batch))
        return [cached[k] for k in keys]

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

    def guard(self, model, state: VariantState, suite: Suite, settings: dict) -> None:
        """Flag an adapter whose outputs equal the base model's on every guard item: it was most likely
        never applied (lm-eval #2432 silently evaluated the base model when the adapter was dropped)."""
        source = "test" if suite.has_split("test") else next(iter(suite.config.splits))
        items = suite.subset(source, self.experiment.eval_limit)[: self.experiment.guard_items]
        prompts = render_prompts(suite, items, state.variant.prompt, state.variant.k, self.chat)
        base = VariantState(state.variant.model_copy(update={"kind": "prompt"}), None,
                            self.served.model_name(None) if self.served else None)
        outputs = {}
        for who in (state, base):
            keys = [cache_key("generation", self.model_id, who.adapter_sha, p, settings) for p in prompts]
            with self.switch.active(who if who.adapter else None) as active:
                outputs[who.adapter_sha] = self.generate_missing(active if self.served is None else model, who,
                                                                 prompts, keys, settings, f"guard · {suite.name}")
        same = sum(a == b for a, b in zip(outputs[state.adapter_sha], outputs[base.adapter_sha]))
        inactive = bool(prompts) and same == len(prompts)
        if inactive:
            print(f"tunebench: WARNING adapter variant '{state.name}' gave the base model's outputs on all "
                  f"{len(prompts)} guard items of {suite.name}: was the adapter applied?", flush=True)
        self.store.write_results(self.run_id, state.name, suite.name, "guard", [], [MetricRow.point(
            "guard.adapter_inactive", float(inactive), len(prompts),
            f"outputs identical to the base model's on {same} of {len(prompts)} items with this prompt"
            + ("; the adapter was most likely NOT applied" if inactive else ""))])

    def token_count(self, text: str, prompt: bool = False) -> int:
        """Tokens the model reads (a prompt, with BOS as at generation) or writes (an output)."""
        return len(self.tokenizer(text, add_special_tokens=prompt)["input_ids"])

    def count_tokens(self, keys: list[str]) -> None:
        """Token counts for cached generations of older stores that lack them (nothing is generated)."""
        missing = self.store.missing_token_counts(keys)
        self.store.put_token_counts({k: (self.token_count(p, prompt=True), self.token_count(o))
                                     for k, (p, o) in missing.items()})
