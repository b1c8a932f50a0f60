"""One experiment end to end: load suites → train missing adapters → evaluate → store.

Everything the user can get wrong (spec, suites, splits, base model) is checked before the first
row is written, so bad input never leaves a half-written run behind.
"""

from __future__ import annotations

import platform
import time
from pathlib import Path

from harness import __version__
from harness.errors import BadInput
from harness.models import load_base_model
from harness.runner import evaluate
from harness.spec import Experiment
from harness.store import Store
from harness.suites import Suite, load_suite
from trainers.lora import check_base_model


def load_suites(experiment: Experiment, needs_train: bool) -> list[Suite]:
    """Load every suite and read the splits the run will touch (surfacing bad files early)."""
    suites = [load_suite(ref) for ref in experiment.suites]
    for suite in suites:
        for split in experiment.splits:
            if suite.has_split(split):
                suite.split(split)
        if needs_train:
            suite.split("train")
    if not any(s.has_split(sp) for s in suites for sp in experiment.splits):
        raise BadInput(f"no suite has any of the splits {experiment.splits}", field="splits")
    return suites


def train_all(experiment: Experiment, suites: list[Suite], out_dir: Path, store: Store | None,
              overwrite: bool = False, only: str | None = None) -> dict[str, Path]:
    """Train every adapter variant that is missing or stale; return name -> adapter folder."""
    from trainers.lora import train_adapter

    model, tokenizer, resolved = load_base_model(experiment.base_model)
    folders = {}
    for variant in experiment.variants:
        if variant.kind != "adapter" or (only and variant.name != only):
            continue
        folder, model = train_adapter(model, tokenizer, resolved, variant, experiment.training_for(variant),
                                      suites, out_dir / "adapters", store, overwrite, eval_suites=suites)
        folders[variant.name] = folder
    return folders


def existing_adapters(experiment: Experiment, out_dir: Path) -> dict[str, Path]:
    """Adapter folders of an evaluation-only run; a missing one is bad input, nothing is trained."""
    folders = {}
    for variant in experiment.variants:
        if variant.kind == "adapter":
            folder = out_dir / "adapters" / variant.name
            if not (folder / "adapter_model.safetensors").is_file():
                raise BadInput(f"adapter of variant '{variant.name}' is missing; run `tunebench train` "
                               "first", file=folder, field=f"variants.{variant.name}")
            folders[variant.name] = folder
    return folders


def run_experiment(experiment: Experiment, out_dir: Path, train: bool = True,
                   overwrite: bool = False) -> tuple[Store, str]:
    """Train what is missing (if ``train``), evaluate every variant, return (store, run_id)."""
    needs_train = train and any(v.kind == "adapter" for v in experiment.variants)
    suites = load_suites(experiment, needs_train)
    if not train:
        adapters = existing_adapters(experiment, out_dir)
    load_base_model(experiment.base_model)  # an unknown model fails here, before the store exists
    store = Store(out_dir / "store.sqlite")
    if train:
        adapters = train_all(experiment, suites, out_dir, store, overwrite)
    _, _, resolved = load_base_model(experiment.base_model)
    for folder in adapters.values():  # before the run starts: a foreign adapter is bad input
        check_base_model(folder, resolved)
    provenance = {"tunebench": __version__, "base_model": resolved.ref, "base_model_sha256": resolved.sha256,
                  "python": platform.python_version(), "machine": platform.machine(),
                  "suites": {s.name: str(s.folder) for s in suites}, "started": time.time()}
    run_id = store.start_run(experiment.name, experiment.model_dump(), provenance)
    evaluate(experiment, suites, store, run_id, adapters)
    store.finish_run(run_id)
    return store, run_id
