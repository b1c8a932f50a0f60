"""Evaluate variants × suites × splits on one loaded base model.

Prompt variants and adapter variants share the base model (``variants.VariantSwitch``); every
result goes through the store's cache (``cached_model.CachedModel``), so a re-run recomputes
nothing and a killed run resumes where it stopped. Per (variant, suite) the evaluation reads
plan → generate → choose → score → store (``split_jobs.SplitJob``), then the overfitting and
robustness summaries, including canary exposure for adapters with canaries.
"""

from __future__ import annotations

from tunebench.harness.core.adapters import WEIGHTS, Adapter
from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.models import load_base_model
from tunebench.harness.core.precision import resolve_precision
from tunebench.harness.core.prompts import STOP_SEQUENCES, answer_cue, chat_wrapper, render_completion, render_prompts
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.spec import Experiment
from tunebench.harness.core.stages import Stages
from tunebench.harness.core.store import AdapterRecord, Scope, Store, SuiteRecord
from tunebench.harness.core.suites import Suite
from tunebench.harness.orchestration.cached_model import CachedModel
from tunebench.harness.orchestration.split_jobs import SplitJob, plan
from tunebench.harness.orchestration.variants import VariantState, VariantSwitch
from tunebench.harness.scorers import overfitting, robustness
from tunebench.harness.scorers.base import ScoringContext
from tunebench.harness.scorers.suite_scorers import score_split


def evaluate(experiment: Experiment, suites: list[Suite], store: Store, run_id: str,
             adapters: dict[str, Adapter], stages: Stages | None = None) -> None:
    """Generate (or take from the cache), score and store every (variant, suite, split): the scorer
    checks once, then each option's variants on its own model or server (``Experiment.by_option``), all
    on the same items, so every pair of variants stays paired."""
    from tunebench.harness.scorers.reliability import measure

    stages = stages or Stages()
    with stages("scorer checks"):  # how far each scorer can be trusted, next to the numbers it makes
        store.write_scorer_checks(run_id, {a.key: a.row for a in measure()})
    for _, part in experiment.by_option():
        names = {v.name for v in part.variants}
        Evaluation(part, suites, store, run_id, stages).run(
            {name: adapter for name, adapter in adapters.items() if name in names})


def generation_settings(suite: Suite) -> dict:
    """What decides a generation besides model, adapter and prompt (part of its cache key)."""
    return {"max_new_tokens": suite.config.max_new_tokens, "greedy": True, "stop": list(STOP_SEQUENCES)}


class Evaluation:
    """One option's evaluation (``experiment``: its part of the run): the loaded model, the cache, the
    judge; per-variant state passed in."""

    def __init__(self, experiment: Experiment, suites: list[Suite], store: Store, run_id: str,
                 stages: Stages | None = None):
        self.experiment, self.suites, self.store, self.run_id = experiment, suites, store, run_id
        self.stage = stages or Stages()
        self.precision = resolve_precision(experiment.precision)
        model, self.tokenizer, self.resolved = load_base_model(experiment.base_model, self.precision.name)
        self.switch = VariantSwitch(model)
        self.chat = chat_wrapper(self.tokenizer)
        self.judge = None
        if experiment.judge:
            from tunebench.harness.scorers.judge import Judge

            self.judge = Judge(experiment.judge)  # the refusal detector's referee, even without generation suites
        self.referee = self.judge.referee(store) if self.judge else None
        self.served = None
        if experiment.backend is not None:
            from tunebench.harness.orchestration.served import ServedModel

            self.served = ServedModel(experiment.backend)
        self.cached = CachedModel(experiment, store, self.tokenizer,
                                  self.precision.model_identity(self.resolved.sha256), self.served)

    def run(self, adapters: dict[str, Adapter]) -> None:
        self.store.record_run_inputs(
            self.run_id,
            [SuiteRecord(s.name, str(s.folder), sha, files, s.scored_as())
             for s in self.suites for sha, files in [s.content_hash()]],
            [AdapterRecord(a.name, str(a.folder), a.sha256,
                           {**a.provenance, "weights_bytes": (a.folder / WEIGHTS).stat().st_size})
             for a in adapters.values()])
        try:
            self.run_variants(adapters)
        finally:
            self.switch.close()

    def run_variants(self, adapters: dict[str, Adapter]) -> None:
        """Every variant on each of its suites (``Variant.suites``: all by default), and the general probe."""
        for variant in self.experiment.variants:
            served_name = self.served.model_name(variant.name if variant.kind == "adapter" else None) \
                if self.served else None
            state = VariantState(variant, adapters.get(variant.name) if variant.kind == "adapter" else None,
                                 served_name)
            if state.adapter:
                self.switch.load(state.adapter)
            for suite in self.experiment.suites_for(variant, self.suites):
                self.evaluate_suite(state, suite)
            # log-likelihoods: in process only; forgetting is an option's cost, and the adapters seeds and
            # learning_curve add are read for their test accuracy only (the seed check, the curve)
            if self.experiment.general_probe and self.served is None and not variant.derived:
                with self.stage(f"probe · {variant.name}"):
                    rows = self.probe_rows(state)
                self.store.write_results(self.run_id, Scope(variant.name, "general_probe", group="probe"), [], rows)

    def probe_rows(self, state: VariantState) -> list[MetricRow]:
        """The variant's probe score and, for adapters, forgetting against the base model."""
        base = self.cached.probe(self.switch, None)
        own = self.cached.probe(self.switch, state) if state.adapter else base
        rows = [MetricRow.proportion("probe.accuracy", round(own["accuracy"] * own["n"]), own["n"],
                                     f"lm-eval {own['task']} items answered right (multiple choice, log-likelihood)")]
        if state.adapter:
            rows.append(MetricRow.point(
                "overfit.forgetting", own["accuracy"] - base["accuracy"], own["n"],
                f"probe accuracy {own['accuracy']:.3f} with the adapter minus {base['accuracy']:.3f} of the base "
                "model (negative = capability lost)"))
        return rows

    def evaluate_suite(self, state: VariantState, suite: Suite) -> None:
        """Plan, generate, choose, score and store every split job of one suite for one variant, then
        its overfitting and robustness rows."""
        jobs = plan(self.experiment, suite, state.variant, self.chat)
        label = f"{state.name} · {suite.name}"
        with self.switch.active(state) as model:
            with self.stage(f"generation · {label}"):
                self.generate(model, state, suite, [j for j in jobs if j.generate])
            if any(j.choose for j in jobs):
                with self.stage(f"choices · {label}"):
                    self.choose(model, state, suite, [j for j in jobs if j.choose])
            with self.stage(f"scoring · {label}"):
                for job in jobs:
                    job.correct = self.score_and_store(state, suite, job)
            if state.variant.kind == "adapter" and self.experiment.guard_items:
                with self.stage(f"guard · {label}"):
                    self.guard(model, state, suite)
            exposures = []
            if state.adapter and state.adapter.canaries:
                from tunebench.harness.orchestration.exposure import canary_exposures

                with self.stage(f"canary exposure · {label}"):
                    exposures = canary_exposures(model, self.tokenizer, suite, state.variant, state.adapter.canaries,
                                                 self.experiment.canary_candidates)
        self.summarise(state, suite, jobs, exposures)

    def generate(self, model, state: VariantState, suite: Suite, jobs: list[SplitJob]) -> None:
        """Outputs of every job in one pass (larger batches, one shared prompt prefix)."""
        settings = generation_settings(suite)
        for job in jobs:
            job.generation_keys = [self.cached.generation_key(state, p, settings) for p in job.prompts]
        prompts = {k: p for job in jobs for k, p in zip(job.generation_keys, job.prompts)}
        done = self.cached.generate(model, state, prompts, settings, f"{state.name} · {suite.name}")
        for job in jobs:
            job.outputs = [done[k] for k in job.generation_keys]

    def choose(self, model, state: VariantState, suite: Suite, jobs: list[SplitJob]) -> None:
        """The most likely allowed labels of every job's items, in one pass."""
        for job in jobs:
            job.choice_keys = [self.cached.choice_key(state, suite, p) for p in job.prompts]
        prompts = {k: p for job in jobs for k, p in zip(job.choice_keys, job.prompts)}
        done = self.cached.choose(model, state, suite, prompts, f"{state.name} · {suite.name}")
        for job in jobs:
            job.chosen = [done[k] for k in job.choice_keys]

    def score_and_store(self, state: VariantState, suite: Suite, job: SplitJob) -> dict[str, int]:
        """Score one job with every scorer its suite and split need, store its samples and metrics in one
        transaction; return which items were right (1) or wrong (0) by id."""
        outputs = job.outputs
        if outputs is not None and job.split != "safety":  # the answer starts in the prompt (its cue);
            cue = answer_cue(suite, state.variant.prompt)  # safety reads the reply itself
            outputs = [cue + o for o in outputs]
        scored = score_split(ScoringContext(
            suite, job.split, job.items, outputs, job.chosen, pii_hashes=frozenset(state.pii_hashes),
            referee=self.referee, judge=self.judge, cache=self.store, prompts=job.prompts,
            # the judge on generation suites only, not on training items nor perturbed copies: its calls cost money
            judged=suite.config.task_type == "generation" and job.split in ("test", "ood") and not job.perturbation))
        config = suite.config
        samples = [Sample(state.name, suite.name, job.split, item["id"], key,
                          target={f: item.get(f) for f in [*config.labels, config.target_field, "safety"] if f},
                          correct=scored_item.correct, explanation=scored_item.explanation, scores=scored_item.scores,
                          values=scored_item.values, perturbation=job.perturbation,
                          cluster=None if not config.cluster_field or item.get(config.cluster_field) is None
                          else str(item[config.cluster_field]))
                   for item, key, scored_item in zip(job.items, job.keys, scored.items, strict=True)]
        self.store.write_results(self.run_id, Scope(state.name, suite.name, job.split, job.perturbation), samples,
                                 scored.metrics)
        return {s.item_id: int(s.correct) for s in samples}

    def summarise(self, state: VariantState, suite: Suite, jobs: list[SplitJob], exposures: list[dict]) -> None:
        """The overfitting rows (gaps, memorisation, loss, canaries) and the robustness drops."""
        plain = {job.split: job for job in jobs if not job.perturbation}
        accuracy = {split: (sum(job.correct.values()) / len(job.correct), len(job.correct))
                    for split, job in plain.items() if job.correct}
        train = plain.get("train")
        memorised = overfitting.memorised(train.outputs, [render_completion(suite, i, state.variant.prompt)
                                                          for i in train.items]) \
            if train is not None and train.outputs is not None else None
        self.store.write_results(self.run_id, Scope(state.name, suite.name, group="overfitting"), [],
                                 overfitting.summary(accuracy, state.provenance, memorised, exposures))
        test = plain.get("test")
        drops = [robustness.drop_on_same_items(job.perturbation, test.correct, job.correct)
                 for job in jobs if job.perturbation and test is not None]
        drops = [d for d in drops if d is not None]
        if drops:
            self.store.write_results(self.run_id, Scope(state.name, suite.name, group="robustness"), [], drops)

    def guard(self, model, state: VariantState, suite: Suite) -> None:
        """Flag an adapter whose outputs equal the base model's on every guard item: it was most likely
        never applied (lm-eval #2432 silently evaluated the base model when the adapter was dropped)."""
        settings = generation_settings(suite)
        source = "test" if suite.has_split("test") else next(iter(suite.config.splits))
        items = suite.subset(source, self.experiment.limit_for(source))[: self.experiment.guard_items]
        prompts = render_prompts(suite, items, state.variant.prompt, state.variant.k, self.chat)
        base = VariantState(state.variant.model_copy(update={"kind": "prompt"}), None,
                            self.served.model_name(None) if self.served else None)
        outputs = {}
        for who in (state, base):
            keyed = {self.cached.generation_key(who, p, settings): p for p in prompts}
            with self.switch.active(who if who.adapter else None) as active:
                done = self.cached.generate(active if self.served is None else model, who, keyed, settings,
                                            f"guard · {suite.name}")
            outputs[who.adapter_sha] = [done[self.cached.generation_key(who, p, settings)] for p in prompts]
        same = sum(a == b for a, b in zip(outputs[state.adapter_sha], outputs[base.adapter_sha]))
        inactive = bool(prompts) and same == len(prompts)
        if inactive:
            print(f"tunebench: WARNING adapter variant '{state.name}' gave the base model's outputs on all "
                  f"{len(prompts)} guard items of {suite.name}: was the adapter applied?", flush=True)
        self.store.write_results(self.run_id, Scope(state.name, suite.name, group="guard"), [], [MetricRow.point(
            "guard.adapter_inactive", float(inactive), len(prompts),
            f"outputs identical to the base model's on {same} of {len(prompts)} items with this prompt"
            + ("; the adapter was most likely NOT applied" if inactive else ""))])
