"""LoRA supervised fine-tuning with transformers' Trainer and peft, one adapter per variant.

An adapter folder is a standard PEFT folder (``adapter_config.json``,
``adapter_model.safetensors``) plus ``tunebench.json`` with provenance. It is written under a
temporary name and renamed when complete, so an interrupted training never leaves a folder that
looks finished. An adapter whose inputs (base model, data, config, code) did not change is reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from pathlib import Path

import torch
from transformers import DataCollatorForSeq2Seq, TrainerCallback, TrainingArguments, set_seed

import harness
from harness.errors import BadInput
from harness.models import ResolvedModel
from harness.spec import TrainingConfig, Variant
from harness.store import Store
from harness.suites import Suite
from trainers.data import prepare
from trainers.loss import CompletionOnlyTrainer

PROVENANCE = "tunebench.json"
_CODE_FILES = ("trainers/lora.py", "trainers/data.py", "trainers/loss.py", "harness/prompts.py")


def code_version() -> str:
    """Package version plus a hash of the code that shapes an adapter (renderer, data, trainer)."""
    root = Path(harness.__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for rel in _CODE_FILES:
        digest.update((root / rel).read_bytes())
    return f"{harness.__version__}+{digest.hexdigest()[:12]}"


def adapter_key(base_sha: str, data_sha: str, variant: Variant, config: TrainingConfig) -> str:
    payload = json.dumps([base_sha, data_sha, variant.prompt, variant.k, config.model_dump(), code_version()],
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def read_provenance(folder: Path) -> dict | None:
    path = folder / PROVENANCE
    return json.loads(path.read_text()) if path.is_file() else None


class _Telemetry(TrainerCallback):
    """Streams the train/val loss curve into the store as the Trainer logs it."""

    def __init__(self, store: Store | None, key: str, variant: str):
        self.store, self.key, self.variant = store, key, variant
        self.history: list[dict] = []

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        if "loss" not in logs and "eval_loss" not in logs:
            return
        row = {"adapter_key": self.key, "step": state.global_step, "variant": self.variant,
               "epoch": state.epoch, "train_loss": logs.get("loss"), "val_loss": logs.get("eval_loss"),
               "learning_rate": logs.get("learning_rate")}
        merged = next((r for r in self.history if r["step"] == row["step"]), None)
        if merged:  # train and eval logs of the same step become one row
            merged.update({k: v for k, v in row.items() if v is not None})
            row = merged
        else:
            self.history.append(row)
        if self.store is not None:
            self.store.add_training_log([row])


def train_adapter(model, tokenizer, resolved: ResolvedModel, variant: Variant, config: TrainingConfig,
                  suites: list[Suite], adapters_dir: Path, store: Store | None = None,
                  overwrite: bool = False):
    """Train ``variant``'s adapter into ``adapters_dir/<name>`` unless an identical one exists.

    Returns ``(folder, model)``: the base model comes back with the LoRA layers removed, so the
    caller keeps using one loaded model for every variant.
    """
    from peft import LoraConfig, get_peft_model

    folder = adapters_dir / variant.name
    data = prepare(variant, config, suites, tokenizer)
    key = adapter_key(resolved.sha256, data.sha256, variant, config)
    existing = read_provenance(folder)
    if existing and existing.get("adapter_key") == key and not overwrite:
        print(f"tunebench: adapter '{variant.name}' is up to date ({folder})", flush=True)
        return folder, model
    if folder.exists() and not overwrite:
        raise BadInput(f"adapter folder exists and was trained from other inputs; pass --overwrite "
                       f"to replace it", file=folder, field=f"variants.{variant.name}")

    set_seed(config.seed)
    lora = LoraConfig(r=config.rank, lora_alpha=config.alpha, lora_dropout=config.dropout,
                      target_modules=config.target_modules, task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, lora)
    tmp = adapters_dir / f".{variant.name}.partial-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    steps_per_epoch = max(1, -(-len(data.train) // config.batch_size))
    total_steps = int(steps_per_epoch * config.epochs)
    args = TrainingArguments(
        output_dir=str(tmp / "trainer"), per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=config.batch_size * 2, num_train_epochs=config.epochs,
        learning_rate=config.learning_rate, warmup_steps=0.05, lr_scheduler_type="linear",
        logging_steps=1, eval_strategy="steps" if data.val else "no",
        eval_steps=max(1, total_steps // 6), save_strategy="no", report_to="none", seed=config.seed,
        data_seed=config.seed, train_sampling_strategy="group_by_length", remove_unused_columns=False,
        use_cpu=not torch.cuda.is_available(), disable_tqdm=False, prediction_loss_only=True,
    )
    telemetry = _Telemetry(store, key, variant.name)
    # The shared tokenizer pads on the left, which completion_loss relies on (see trainers/loss.py).
    trainer = CompletionOnlyTrainer(
        model=peft_model, args=args, train_dataset=data.train, eval_dataset=data.val or None,
        processing_class=tokenizer, callbacks=[telemetry],
        data_collator=DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100))
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    result = trainer.train()
    seconds = time.perf_counter() - started
    peft_model.save_pretrained(str(tmp))
    shutil.rmtree(tmp / "trainer", ignore_errors=True)
    provenance = {
        "adapter_key": key, "variant": variant.name, "base_model": resolved.ref,
        "base_model_sha256": resolved.sha256, "data_sha256": data.sha256, "config": config.model_dump(),
        "prompt_strategy": variant.prompt, "suites": [s.name for s in suites], "seed": config.seed,
        "code_version": code_version(), "versions": _versions(), "data_counts": data.counts,
        "train_seconds": round(seconds, 2), "steps": result.global_step,
        "train_tokens_per_second": round(data.counts["train_tokens"] * config.epochs / seconds, 1),
        "final_train_loss": result.training_loss, "loss_history": telemetry.history,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (tmp / PROVENANCE).write_text(json.dumps(provenance, indent=2))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)  # only a complete folder ever carries the variant's name
    return folder, peft_model.unload()


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    out = {"python": sys.version.split()[0]}
    for pkg in ("torch", "transformers", "peft", "tunebench"):
        try:
            out[pkg] = version(pkg)
        except Exception:  # not installed as a distribution (e.g. run from a checkout)
            out[pkg] = "unknown"
    return out
