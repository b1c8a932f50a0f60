"""One experiment end to end: load suites → train missing adapters → evaluate → store.

Everything the user can get wrong (spec, suites, splits, prompt strategies the suites cannot
render, suite scoring a served backend cannot do, base model, adapter folders, the output folder)
is checked before the first row is written, so bad input never leaves a half-written run behind.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from pathlib import Path

from tunebench.harness import __version__
from tunebench.harness.core.adapters import Adapter, check_adapter
from tunebench.harness.core.errors import BadInput, Problems
from tunebench.harness.core.memory import release_freed_memory
from tunebench.harness.core.models import ResolvedModel, load_base_model, resolve_base_model
from tunebench.harness.core.precision import resolve_precision
from tunebench.harness.core.spec import Experiment, Option
from tunebench.harness.core.stages import Stages
from tunebench.harness.core.store import Store
from tunebench.harness.core.suites import Suite, load_suite
from tunebench.harness.core.yamlio import line_of, load_yaml
from tunebench.harness.orchestration.runner import evaluate


def load_suites(experiment: Experiment, needs_train: bool) -> list[Suite]:
    """Load every suite and read its splits (surfacing bad files early), then check the suites against
    the experiment: every variant's prompt strategy can be rendered for every suite, and no suite asks
    for choice scoring that a served backend cannot do."""
    problems = Problems()
    suites = []
    for index, ref in enumerate(experiment.suites):
        try:
            suite = load_suite(ref)
            suite.split("test")  # reads and checks every split file of the suite at once
            if needs_train:
                suite.split("train")
            suites.append(suite)
        except BadInput as exc:
            if exc.file is None:  # an unknown suite name: located in the experiment file
                exc = experiment.bad_input(exc.message, "suites", index)
            problems.extend(exc)
    problems.raise_if_any()
    if not any(s.has_split(sp) for s in suites for sp in experiment.splits):
        raise experiment.bad_input(f"no suite has any of the splits {experiment.splits}", "splits")
    for problem in _prompt_problems(experiment, suites) + _served_scoring_problems(experiment, suites):
        problems.extend(problem)
    problems.raise_if_any()
    return suites


def _prompt_problems(experiment: Experiment, suites: list[Suite]) -> list[BadInput]:
    """Variants whose prompt strategy a suite cannot render (found here, not mid-run)."""
    found = []
    for index, variant in enumerate(experiment.variants):
        for suite in experiment.suites_for(variant, suites):
            if variant.prompt == "policy" and not (suite.policy and suite.policy.prompt):
                why = "has no policy.yaml" if suite.policy is None else "has a policy.yaml without a 'prompt' text"
                found.append(experiment.bad_input(
                    f"variant '{variant.name}' uses prompt 'policy', but suite '{suite.name}' {why} "
                    f"({suite.folder}); use zero-shot or few-shot for it, or add the policy text", "variants", index,
                    "prompt"))
            if variant.prompt == "few-shot" and not suite.has_split("train"):
                found.append(experiment.bad_input(
                    f"variant '{variant.name}' uses prompt 'few-shot', whose examples come from the train split, "
                    f"and suite '{suite.name}' has none; use zero-shot for it, or add a train split",
                    "variants", index, "prompt"))
    return found


def _served_scoring_problems(experiment: Experiment, suites: list[Suite]) -> list[BadInput]:
    """Classification suites whose own ``scoring`` needs choices while an option is served.

    A suite's ``scoring`` wins over the experiment's (``Experiment`` itself rejects choices with a
    backend only at experiment level). Choices are log-likelihoods of the model in process, and with a
    served backend the model (and its adapters) live on the server: a served variant would be scored by
    a local model and stored under the variant's name.
    """
    backends = experiment.served_backends()
    if not backends:
        return []
    where = ", ".join(b.base_url for b in backends)
    found = []
    for suite in suites:
        scoring = suite.config.scoring
        if suite.config.task_type != "classification" or scoring not in ("choices", "both"):
            continue
        path = suite.folder / "suite.yaml"
        _, node = load_yaml(path)
        found.append(BadInput(
            f"suite '{suite.name}' sets scoring: {scoring}, which scores by the log-likelihoods of the model in "
            f"process, but this experiment generates with a served backend ({where}): its "
            "served variants would be scored by a local model instead; with a backend use "
            "scoring: generate (or remove the field to take the experiment's)",
            file=path, line=line_of(node, ("scoring",)), field="scoring"))
    return found


@dataclass(frozen=True)
class TrainOptions:
    """How ``train_all`` treats the experiment's adapter variants.

    ``overwrite``: retrain adapters whose folder exists but was trained from other inputs (without
    it, such a folder is bad input). ``only``: train just this adapter variant (``tunebench train --only``);
    ``None``: every one. ``stages``: times data preparation and training of each (stored with the run).
    """

    overwrite: bool = False
    only: str | None = None
    stages: Stages | None = None


def train_all(experiment: Experiment, suites: list[Suite], out_dir: Path, store: Store | None,
              options: TrainOptions = TrainOptions()) -> dict[str, Path]:
    """Train every adapter variant that is missing or stale into ``out_dir/adapters``, each on its option's
    base model; return name -> adapter folder. ``store`` receives the loss curves (``None``: not
    recorded, e.g. a non-main process)."""
    from tunebench.trainers.lora import train_adapter
    from tunebench.trainers.request import TrainingRequest

    precision = resolve_precision(experiment.precision)
    folders = {}
    for _, part in experiment.by_option():
        wanted = [v for v in part.variants if v.kind == "adapter" and (not options.only or v.name == options.only)]
        if not wanted:
            continue
        # the weights in the run's precision (bf16 base weights train faster than fp32 ones under autocast,
        # BENCHMARKS.md "Precision"), so training and evaluation share one loaded model
        model, tokenizer, resolved = load_base_model(part.base_model, precision.name)
        for variant in wanted:
            # trained on the variant's suites, cleaned against every suite the run evaluates
            request = TrainingRequest(variant, experiment.training_for(variant), experiment.suites_for(variant, suites),
                                      out_dir / "adapters", store, options.overwrite, eval_suites=suites,
                                      stage=options.stages, precision=precision)
            folder, model = train_adapter(model, tokenizer, resolved, request)
            folders[variant.name] = folder
    return folders


def checked_adapters(experiment: Experiment, out_dir: Path, base: ResolvedModel) -> dict[str, Adapter]:
    """Every adapter variant's folder, checked once (present, complete, safetensors, same base model).
    With a served backend the server holds the adapters: it must serve every name the run needs.
    ``experiment``: one option's part (``Experiment.by_option``), whose base model ``base`` is."""
    if experiment.backend is not None:
        from tunebench.harness.orchestration.served import ServedModel

        served = ServedModel(experiment.backend)
        names = served.check()
        wanted = [served.model_name(None)] + [served.model_name(v.name) for v in experiment.variants
                                              if v.kind == "adapter"]
        missing = [n for n in wanted if n not in names]
        if missing and names:
            raise experiment.bad_input(f"the server at {experiment.backend.base_url} does not serve "
                                       f"{', '.join(map(repr, missing))}; it serves: {', '.join(names)}", "backend")
        return {}
    problems = Problems()
    adapters = {}
    for variant in experiment.variants:
        if variant.kind == "adapter":
            try:
                adapters[variant.name] = check_adapter(variant.name, out_dir / "adapters" / variant.name, base)
            except BadInput as exc:
                problems.extend(exc)
    problems.raise_if_any()
    return adapters


def resolve_options(experiment: Experiment) -> dict[tuple[str, str], ResolvedModel]:
    """Each option's base model, resolved (converted once) and checked: an unknown or broken model is bad
    input, located at the variant that names it."""
    resolved = {}
    for option, part in experiment.by_option():
        try:
            resolved[option.key] = resolve_base_model(option.base_model)
        except BadInput as exc:
            own = part.variants[0]
            if own.model is None or exc.file is not None:
                raise
            raise experiment.bad_input(exc.message, "variants", experiment.variant_index(own.name), "model") from None
    return resolved


def checked_options(experiment: Experiment, out_dir: Path, resolved: dict[tuple[str, str], ResolvedModel]
                    ) -> dict[str, Adapter]:
    """``checked_adapters`` of every option: adapter name -> checked adapter."""
    adapters = {}
    for option, part in experiment.by_option():
        adapters.update(checked_adapters(part, out_dir, resolved[option.key]))
    return adapters


def option_provenance(experiment: Experiment, resolved: dict[tuple[str, str], ResolvedModel]) -> dict:
    """Variant -> the model (and server) that computed it, for variants not on the experiment's own."""
    own = (experiment.base_model, experiment.backend)
    return {variant.name: {"option": option.describe(), "base_model": resolved[option.key].ref,
                           "base_model_sha256": resolved[option.key].sha256,
                           **({"served": option.backend.model, "base_url": option.backend.base_url}
                              if option.backend else {})}
            for variant in experiment.variants
            for option in [experiment.option_of(variant)] if (option.base_model, option.backend) != own}


def run_experiment(experiment: Experiment, out_dir: Path, train: bool = True,
                   overwrite: bool = False, stages: Stages | None = None,
                   store_location: str | None = None) -> tuple[Store, str]:
    """Train what is missing (if ``train``), evaluate every variant, return (store, run_id); ``stages``
    collects the time and peak memory of each stage (stored with the run). ``store_location``: a store
    file or a SQLAlchemy URL (default: ``store.sqlite`` in ``out_dir``)."""
    stages = stages or Stages()
    needs_train = train and any(v.kind == "adapter" for v in experiment.variants)
    with stages("load and check suites"):
        suites = load_suites(experiment, needs_train)
    with stages("resolve base model (converted once)"):
        precision = resolve_precision(experiment.precision)
        # an unknown or broken model fails here, before the store; its weights are loaded, once, in the run's
        # precision by whoever needs them first (training or evaluation)
        options = resolve_options(experiment)
    if not train or experiment.served_backends():  # an unreachable server is bad input before the store too
        adapters = checked_options(experiment, out_dir, options)
    store = Store(store_location or out_dir / "store.sqlite")
    if train:
        train_all(experiment, suites, out_dir, store, TrainOptions(overwrite, stages=stages))
        release_freed_memory()  # training's fragments would otherwise sit under evaluation's peak
        adapters = checked_options(experiment, out_dir, options)
    # the experiment's own base model, or (every variant naming its own) the first variant's
    resolved = options.get(Option(experiment.base_model, experiment.backend).key) or next(iter(options.values()))
    provenance = {"tunebench": __version__, "base_model": resolved.ref, "base_model_sha256": resolved.sha256,
                  "options": option_provenance(experiment, options),
                  "python": platform.python_version(), "machine": platform.machine(),
                  "suites": {s.name: str(s.folder) for s in suites}, "started": time.time(), **precision.as_dict()}
    print(f"tunebench: computing in {precision.name} ({precision.reason})", flush=True)
    run_id = store.start_run(experiment.name, experiment.model_dump(), provenance)
    try:
        evaluate(experiment, suites, store, run_id, adapters, stages)
    except BaseException:
        store.finish_run(run_id, "interrupted", stages.as_rows())  # Ctrl-C or a crash: results so far stay
        raise
    store.finish_run(run_id, stages=stages.as_rows())
    return store, run_id
