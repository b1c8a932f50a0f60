"""General-capability probe through lm-eval's Python API, on the model already in memory.

Forgetting = the probe score of a variant minus that of the base model. Scoring is lm-eval's
multiple-choice log-likelihood on the loaded model (adapter active or disabled), so nothing is
reloaded. Results are cached in the store like generations, keyed by model, adapter and task.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from tunebench.harness.core.suites import builtin_suites_dir

PROBE_TASK = "tunebench_general_probe"


def _task_dir() -> Path:
    """A folder with the probe's task YAML pointing at the packaged data by absolute path."""
    folder = builtin_suites_dir() / "general_probe"
    config = yaml.safe_load((folder / "general_probe.yaml").read_text())
    config["dataset_kwargs"]["data_files"]["test"] = str(folder / "probe.jsonl")
    out = Path(tempfile.mkdtemp(prefix="tunebench-probe-"))
    (out / "general_probe.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return out


def run_probe(model, tokenizer, task: str = PROBE_TASK, limit: int | None = None,
              batch_size: int = 8) -> dict:
    """{"accuracy", "n", "task"} of ``task`` on the given (possibly peft-wrapped) model.

    lm-eval keeps log-softmaxed logits of every position of a batch (262k vocabulary for Gemma 3): a
    batch of 8 holds that to about 1 GB, below training's peak, at the same speed as 16 on a CPU."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    from lm_eval import simple_evaluate
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager

    lm = HFLM(pretrained=model, tokenizer=tokenizer, batch_size=batch_size)
    # our own task needs no index of lm-eval's thousands of built-in ones (12 s to build on this CPU)
    manager = TaskManager(include_path=str(_task_dir()), include_defaults=False) if task == PROBE_TASK else TaskManager()
    results = simple_evaluate(model=lm, tasks=[task], task_manager=manager, limit=limit,
                              log_samples=False, bootstrap_iters=0)
    metrics = results["results"][task]
    n = results["n-samples"][task]["effective"]
    return {"task": task, "accuracy": float(metrics["acc,none"]), "n": int(n)}
