"""LoRA supervised fine-tuning with transformers' Trainer and peft, one adapter per variant.

An adapter folder is a standard PEFT folder (``adapter_config.json``,
``adapter_model.safetensors``) plus ``tunebench.json`` with provenance. It is written under a
temporary name and renamed when complete, so an interrupted training never leaves a folder that
looks finished. An adapter whose inputs (base model, data, config, code) did not change is reused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import torch
from transformers import (
    DataCollatorForSeq2Seq,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    TrainerCallback,
    TrainingArguments,
    set_seed,
)

from tunebench.harness.core.adapters import WEIGHTS, read_provenance, write_provenance
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import sha256_file
from tunebench.harness.core.models import ResolvedModel
from tunebench.harness.core.spec import TrainingConfig, Variant
from tunebench.harness.core.store import Store
from tunebench.trainers.data import prepare
from tunebench.trainers.loss import CompletionOnlyTrainer
from tunebench.trainers.request import TrainingRequest

# An adapter is keyed by its inputs: base model, rendered data (which covers the prompt renderer),
# prompt strategy, config and the training recipe. Bump RECIPE_VERSION when a change alters what
# training produces (loss, data preparation, collation, optimiser settings); a refactor that does
# not leaves it alone, so trained adapters stay current.
# Recipe 2: bf16 training runs on bf16 base weights (recipe 1: fp32 weights under bf16 autocast). Recipe 3:
# length-grouped batches in random order (trainers/batches.py) instead of task by task, in both precisions,
# so no adapter of an earlier recipe is current.
RECIPE_VERSION = "tunebench-recipe-3"


def adapter_key(base_sha: str, data_sha: str, variant: Variant, config: TrainingConfig,
                recipe: str = RECIPE_VERSION) -> str:
    payload = json.dumps([base_sha, data_sha, variant.prompt, variant.k, config.model_dump(), recipe],
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def is_current(provenance: dict | None, base_sha: str, data_sha: str, variant: Variant,
               config: TrainingConfig) -> bool:
    """Whether an adapter folder's provenance says it was trained from exactly these inputs."""
    if not provenance:
        return False
    return provenance.get("adapter_key") == adapter_key(base_sha, data_sha, variant, config)


class _Telemetry(TrainerCallback):
    """Streams the train/val loss curve, throughput and peak memory into the store as it is logged."""

    def __init__(self, store: Store | None, key: str, variant: str, epoch_tokens: int):
        """``epoch_tokens``: tokens in one pass over the training data, for the tokens/s column."""
        self.store, self.key, self.variant = store, key, variant
        self.epoch_tokens = epoch_tokens
        self.history: list[dict] = []
        self.started = time.perf_counter()
        self.peak_mb = 0.0

    def on_step_end(self, args, state, control, **kwargs):
        self.peak_mb = max(self.peak_mb, peak_memory_mb())

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if ("loss" not in logs and "eval_loss" not in logs) or not state.is_world_process_zero:
            return
        elapsed = time.perf_counter() - self.started
        row = {"adapter_key": self.key, "step": state.global_step, "variant": self.variant,
               "epoch": state.epoch, "train_loss": logs.get("loss"), "val_loss": logs.get("eval_loss"),
               "learning_rate": logs.get("learning_rate"), "seconds": round(elapsed, 2),
               "tokens_per_second": round(self.epoch_tokens * (state.epoch or 0) / elapsed, 1),
               "peak_memory_mb": round(self.peak_mb, 1)}
        merged = next((r for r in self.history if r["step"] == row["step"]), None)
        if merged:  # train and eval logs of the same step become one row
            merged.update({k: v for k, v in row.items() if v is not None})
            row = merged
        else:
            self.history.append(row)
        if self.store is not None:
            self.store.add_training_log([row])


def peak_memory_mb() -> float:
    """Peak memory of this process: CUDA allocator peak on a GPU, else the peak resident set size."""
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def val_loss_turned_up(history: list[dict]) -> int | None:
    """First step whose validation loss is above the best one before it (the overfitting onset)."""
    best = None
    for row in history:
        loss = row.get("val_loss")
        if loss is None:
            continue
        if best is not None and loss > best:
            return row["step"]
        best = loss if best is None else min(best, loss)
    return None


def train_adapter(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, resolved: ResolvedModel,
                  request: TrainingRequest) -> tuple[Path, PreTrainedModel]:
    """Train the adapter ``request`` describes into ``request.folder`` unless an identical one exists.

    ``model``, ``tokenizer`` and ``resolved`` are the loaded base model (``load_base_model``), shared
    by every variant. Returns ``(folder, model)``: the base model comes back with the LoRA layers
    removed, so the caller keeps using one loaded model for every variant. Runs unchanged under
    ``accelerate launch`` (DDP): every process trains, the main one writes the folder and the store.
    """
    from peft import LoraConfig, get_peft_model

    variant, config, suites, adapters_dir = request.variant, request.config, request.suites, request.adapters_dir
    folder = request.folder
    stage = request.stage or (lambda name: contextlib.nullcontext())
    with stage(f"data preparation · {variant.name}"):
        data = prepare(variant, config, suites, tokenizer, request.eval_suites)
    identity = request.precision.model_identity(resolved.sha256)  # an adapter trained in bf16 is another adapter
    key = adapter_key(identity, data.sha256, variant, config)
    if is_current(read_provenance(folder), identity, data.sha256, variant, config) and not request.overwrite:
        print(f"tunebench: adapter '{variant.name}' is up to date ({folder})", flush=True)
        return folder, model
    if folder.exists() and not request.overwrite:
        raise BadInput("adapter folder exists and was trained from other inputs; pass --overwrite "
                       "to replace it", file=folder, field=f"variants.{variant.name}")

    set_seed(config.seed)
    lora = LoraConfig(r=config.rank, lora_alpha=config.alpha, lora_dropout=config.dropout,
                      target_modules=config.target_modules, use_dora=config.use_dora,
                      use_rslora=config.use_rslora, task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, lora)
    tmp = adapters_dir / f".{variant.name}.partial"
    if int(os.environ.get("RANK", "0")) == 0:
        shutil.rmtree(tmp, ignore_errors=True)  # left by an interrupted training
    try:
        telemetry = _Telemetry(request.store, key, variant.name, data.counts["train_tokens"])
        with stage(f"training · {variant.name}"):
            trainer, seconds, result = _fit(peft_model, tokenizer, data, request, tmp / "checkpoints", telemetry)
        if trainer.is_world_process_zero():
            peft_model.save_pretrained(str(tmp))
            shutil.rmtree(tmp / "checkpoints", ignore_errors=True)
            state = trainer.state
            provenance = {
                "adapter_key": key, "variant": variant.name, "base_model": resolved.ref,
                "base_model_sha256": resolved.sha256, "data_sha256": data.sha256, "config": config.model_dump(),
                "prompt_strategy": variant.prompt, "suites": [s.name for s in suites], "seed": config.seed,
                "recipe": RECIPE_VERSION, **request.precision.as_dict(), "versions": _versions(), "data_counts": data.counts,
                "data_preparation": data.report, "processes": trainer.args.world_size,
                "train_seconds": round(seconds, 2), "steps": state.global_step,
                "planned_steps": state.max_steps, "stopped_early": state.global_step < state.max_steps,
                "best_step": getattr(state, "best_global_step", None), "best_val_loss": state.best_metric,
                "val_loss_turned_up_at_step": val_loss_turned_up(telemetry.history),
                "train_tokens_per_second": round(data.counts["train_tokens"] * state.epoch / seconds, 1),
                "peak_memory_mb": round(max(telemetry.peak_mb, peak_memory_mb()), 1),
                "final_train_loss": result.training_loss, "loss_history": telemetry.history,
                "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            provenance["weights_sha256"] = sha256_file(tmp / WEIGHTS)
            write_provenance(tmp, provenance)
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)  # only a complete folder ever carries the variant's name
    finally:  # interrupted or not, the shared base model gets its plain layers back
        model = peft_model.unload()
        model.eval()  # the Trainer left it in training mode (dropout on); evaluation shares this model
    return folder, model


# Batch widths are padded to a multiple of this: each distinct width is a new set of GEMM shapes, and
# CPU memory grows with the shapes seen; with 16 (and the head's row buckets) 25 steps of the demo's
# loop end at 3.04 GB instead of 4.30, at the same s/step (BENCHMARKS.md, "Training memory and speed in bf16").
PAD_TO = 16


def _fit(peft_model, tokenizer, data, request: TrainingRequest, checkpoints: Path, telemetry: _Telemetry):
    """Run transformers' Trainer (completion-only loss, validation, early stopping, best checkpoint); in
    bf16 the base weights are bf16 and the LoRA weights fp32 (peft keeps them so), under bf16 autocast."""
    from transformers import EarlyStoppingCallback

    config = request.config
    steps_per_epoch = max(1, -(-len(data.train) // config.batch_size))
    every = max(1, int(steps_per_epoch * config.epochs) // config.evaluations)
    validate = bool(data.val)
    args = TrainingArguments(
        output_dir=str(checkpoints), per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size, num_train_epochs=config.epochs,
        learning_rate=config.learning_rate, warmup_steps=0.05, lr_scheduler_type="linear",
        logging_steps=1, eval_strategy="steps" if validate else "no", eval_steps=every,
        save_strategy="steps" if validate else "no", save_steps=every, save_total_limit=2,
        save_only_model=True, load_best_model_at_end=validate, metric_for_best_model="eval_loss",
        greater_is_better=False, report_to="none", seed=config.seed, data_seed=config.seed,
        train_sampling_strategy="group_by_length", remove_unused_columns=False,
        use_cpu=not torch.cuda.is_available(), disable_tqdm=False, prediction_loss_only=True,
        bf16=request.precision.name == "bf16",
    )
    callbacks = [telemetry]
    if validate and config.early_stopping_patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=config.early_stopping_patience))
    # The shared tokenizer pads on the left, which completion_loss relies on (see trainers/loss.py).
    trainer = CompletionOnlyTrainer(
        model=peft_model, args=args, train_dataset=data.train, eval_dataset=data.val or None,
        processing_class=tokenizer, callbacks=callbacks,
        data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100,
                                             pad_to_multiple_of=PAD_TO))
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    result = trainer.train()
    return trainer, time.perf_counter() - started, result


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": sys.version.split()[0]}
    for pkg in ("torch", "transformers", "peft", "tunebench"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # not installed as a distribution (e.g. run from a checkout)
            out[pkg] = "unknown"
    return out
