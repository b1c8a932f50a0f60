import json
from dataclasses import replace

import pytest

from tunebench.harness.core.adapters import check_adapter
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.models import load_base_model
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import Store, training_log
from tunebench.harness.core.suites import load_suite
from tunebench.trainers import lora
from tunebench.trainers.lora import train_adapter, val_loss_turned_up
from tunebench.trainers.request import TrainingRequest


def _setup(tiny_spec, **training):
    spec = load_spec(tiny_spec)
    spec = spec.model_copy(update={"training": spec.training.model_copy(update={"epochs": 2, **training})})
    model, tok, resolved = load_base_model(spec.base_model)
    suites = [load_suite(s) for s in spec.suites]
    return spec, spec.variants[2], model, tok, resolved, suites


def test_adapter_folder_provenance_and_reuse(tiny_spec, tmp_path):
    spec, variant, model, tok, resolved, suites = _setup(tiny_spec, canaries=1, canary_repeats=2)
    store = Store(tmp_path / "s.sqlite")
    cfg = spec.training_for(variant)
    request = TrainingRequest(variant, cfg, suites, tmp_path / "adapters", store)
    folder, model = train_adapter(model, tok, resolved, request)
    prov = json.loads((folder / "tunebench.json").read_text())
    for field in ("base_model_sha256", "data_sha256", "config", "seed", "versions", "data_counts",
                  "data_preparation", "train_seconds", "loss_history", "peak_memory_mb", "best_step"):
        assert prov[field] not in (None, "", {}, []), field
    assert prov["data_preparation"]["canaries"][0]["repeats"] == 2
    curve = store.frame(training_log)
    assert curve.train_loss.notna().sum() == prov["steps"] and curve.val_loss.notna().any()

    again, model = train_adapter(model, tok, resolved, request)
    assert json.loads((again / "tunebench.json").read_text())["trained_at"] == prov["trained_at"]

    changed = replace(request, config=cfg.model_copy(update={"rank": 4}))
    with pytest.raises(BadInput, match="--overwrite"):
        train_adapter(model, tok, resolved, changed)
    _, model = train_adapter(model, tok, resolved, replace(changed, overwrite=True))
    assert json.loads((folder / "adapter_config.json").read_text())["r"] == 4


def test_adapter_from_another_base_model_is_refused(tiny_spec, tmp_path):
    spec, variant, model, tok, resolved, suites = _setup(tiny_spec)
    folder, _ = train_adapter(model, tok, resolved, TrainingRequest(variant, spec.training_for(variant), suites,
                                                                    tmp_path))
    other = type(resolved)("other-model", "/elsewhere", "f" * 64)
    with pytest.raises(BadInput) as info:
        check_adapter(variant.name, folder, other)
    assert resolved.sha256 in str(info.value) and "f" * 64 in str(info.value)


def test_interrupted_training_leaves_no_finished_looking_adapter(tiny_spec, tmp_path, monkeypatch):
    spec, variant, model, tok, resolved, suites = _setup(tiny_spec)

    class Boom(Exception):
        pass

    def interrupt(self, *args, **kwargs):
        raise Boom

    monkeypatch.setattr(lora._Telemetry, "on_step_end", interrupt)
    with pytest.raises(Boom):
        train_adapter(model, tok, resolved, TrainingRequest(variant, spec.training_for(variant), suites, tmp_path))
    assert not (tmp_path / variant.name).exists()
    assert not any("lora" in name for name, _ in model.named_modules()), "base model left wrapped"


def test_val_loss_turn_up_step():
    history = [{"step": 5, "val_loss": 1.0}, {"step": 10, "val_loss": 0.6}, {"step": 12, "train_loss": 0.4},
               {"step": 15, "val_loss": 0.7}, {"step": 20, "val_loss": 0.5}]
    assert val_loss_turned_up(history) == 15
    assert val_loss_turned_up(history[:2]) is None
