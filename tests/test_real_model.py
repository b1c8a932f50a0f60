"""End to end on the real embedded Gemma 3 270M: conversion, hash check, training, generation.

Uses the shared cache (``~/.cache/tunebench`` or ``$TUNEBENCH_HOME``) on purpose: the first run
converts the GGUF once (~1 min), later runs reuse it. About 2 minutes on 2 CPU cores.
"""

import json
import os
from pathlib import Path

import pytest

from tunebench.harness.core.models import ensure_embedded, load_base_model
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import metrics, samples
from tunebench.harness.orchestration.pipeline import run_experiment
from tests.conftest import write_spec

pytestmark = pytest.mark.slow


@pytest.fixture
def shared_home(monkeypatch):
    home = os.environ.get("TUNEBENCH_REAL_HOME", str(Path.home() / ".cache" / "tunebench"))
    monkeypatch.setenv("TUNEBENCH_HOME", home)
    return Path(home)


def test_embedded_model_converts_once_and_is_verified(shared_home):
    resolved = ensure_embedded("gemma-3-270m")
    folder = Path(resolved.path)
    manifest = json.loads((folder / "tunebench-model.json").read_text())
    assert folder.parent == shared_home / "models" and "model.safetensors" in manifest["files"]
    assert ensure_embedded("gemma-3-270m").sha256 == resolved.sha256


def test_real_model_trains_and_evaluates(shared_home, suite_copy, tmp_path):
    spec = load_spec(write_spec(
        tmp_path / "real.yaml", name="real", suites=[str(suite_copy)], eval_limit=8,
        generation_batch_size=8, robustness=["typos"], robustness_items=8, overfitting_items=8, probe_limit=16,
        training={"rank": 4, "alpha": 8, "epochs": 1, "batch_size": 8, "train_size": 16, "max_length": 96},
        variants=[{"name": "few-shot", "kind": "prompt", "prompt": "few-shot", "k": 2},
                  {"name": "lora", "kind": "adapter", "prompt": "plain"}]))
    model, tokenizer, resolved = load_base_model(spec.base_model)
    assert model.config.model_type == "gemma3_text" and tokenizer("x")["input_ids"][0] == tokenizer.bos_token_id

    store, run_id = run_experiment(spec, tmp_path / "out")
    rows = store.frame(samples, run_id=run_id)
    assert len(rows) == 2 * (8 + 8 + 8)  # test, first training items, typos
    frame = store.frame(metrics, run_id=run_id)
    probe = frame[frame.metric == "probe.accuracy"]
    assert len(probe) == 2 and (probe.n == 16).all()
    assert (frame.metric == "overfit.forgetting").sum() == 1
    provenance = json.loads((tmp_path / "out" / "adapters" / "lora" / "tunebench.json").read_text())
    assert provenance["base_model_sha256"] == resolved.sha256 and provenance["steps"] == 2
    # A base model shown two examples answers in the format: the prompt path really generates.
    few = frame[(frame.variant == "few-shot") & (frame.split == "test") & (frame.perturbation == "")
                & (frame.metric == "format_valid")].value.item()
    assert few >= 0.5


def test_stop_strings_match_transformers_on_the_real_tokenizer(shared_home):
    """The real vocabulary has newlines inside tokens, at their ends and starts: ``StopStrings`` stops
    exactly the rows transformers' ``StopStringCriteria`` stops."""
    from transformers import AutoTokenizer
    from transformers.generation.stopping_criteria import StopStringCriteria

    from tunebench.harness.orchestration.generation import StopStrings
    from tests.harness.orchestration.test_generation import check_stop_strings

    tokenizer = AutoTokenizer.from_pretrained(ensure_embedded("gemma-3-270m").path)
    check_stop_strings(tokenizer, StopStringCriteria, StopStrings)
