"""What one adapter training is asked to do, as one typed value (``train_adapter``'s request).

Kept apart from ``trainers/lora.py`` so a caller can build a request without importing torch,
transformers or peft (the CLI and the pipeline import the trainer lazily, only when they train).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tunebench.harness.core.precision import Precision
from tunebench.harness.core.spec import TrainingConfig, Variant
from tunebench.harness.core.store import Store
from tunebench.harness.core.suites import Suite

# Times a named piece of work: ``with stage("training · lora"): ...`` (``tunebench.harness.core.stages.Stages``).
StageTimer = Callable[[str], AbstractContextManager[object]]


@dataclass(frozen=True)
class TrainingRequest:
    """One adapter to train (or to reuse, when an identical one is already in place).

    What to train:
        ``variant``: the adapter variant; its name names the folder, its prompt strategy and ``k``
        shape the rendered training data and are part of the adapter's key.
        ``config``: the LoRA and data-preparation settings, usually ``Experiment.training_for(variant)``
        (the experiment's baseline with the variant's overrides).
        ``suites``: the suites whose train (and val) splits make the training data.
        ``eval_suites``: the suites the adapter will be evaluated on; training items that overlap their
        evaluation items are dropped (the contamination check). ``None``: ``suites`` themselves.

    Where it goes:
        ``adapters_dir``: the adapter is written to ``adapters_dir/<variant name>`` (through a
        temporary folder renamed when complete).
        ``store``: the results store that receives the loss curve as it is logged; ``None`` writes
        nothing there (e.g. a non-main process under ``accelerate launch``).

    How:
        ``overwrite``: replace an adapter folder trained from other inputs; without it such a folder
        is bad input (the user's adapter is never silently replaced).
        ``stage``: times data preparation and training apart (a ``tunebench.harness.core.stages.Stages``);
        ``None``: untimed.
        ``precision``: fp32, or bf16 base weights under bf16 autocast, LoRA weights in fp32
        (``harness/core/precision.py``); part of the adapter's key.
    """

    variant: Variant
    config: TrainingConfig
    suites: list[Suite]
    adapters_dir: Path
    store: Store | None = None
    overwrite: bool = False
    eval_suites: list[Suite] | None = None
    stage: StageTimer | None = None
    precision: Precision = Precision("fp32", "default")

    @property
    def folder(self) -> Path:
        """Where the finished adapter lives: ``adapters_dir/<variant name>``."""
        return self.adapters_dir / self.variant.name
