"""The whole path on a tiny model built from a config: spec → train → evaluate → store → report."""

import json

import pytest

from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import cache, metrics, samples
from tunebench.harness.orchestration import cached_model, probe
from tunebench.harness.orchestration.pipeline import run_experiment
from tunebench.reports.export import export_html


def _accuracy(store, run_id, variant, metric="format_valid"):
    frame = store.frame(metrics, run_id=run_id, perturbation="")
    return frame[(frame.variant == variant) & (frame.split == "test") & (frame.metric == metric)].value.item()


def test_train_evaluate_store_and_rerun_without_recomputing(tiny_spec, tmp_path, monkeypatch):
    spec = load_spec(tiny_spec)
    out = tmp_path / "out"
    store, run_id = run_experiment(spec, out)

    # Every sample of every variant is stored with an explanation.
    rows = store.frame(samples, run_id=run_id)
    assert rows.explanation.str.len().min() > 0
    per_split = rows.groupby(["variant", "split", "perturbation"]).size().unstack(["split", "perturbation"])
    assert (per_split[[("test", ""), ("ood", ""), ("safety", "")]] == 40).all().all()
    assert (per_split[[("train", ""), ("test", "typos"), ("test", "casing"), ("test", "noise")]] == 20).all().all()
    summary = store.frame(metrics, run_id=run_id)
    # No policy rule of the IT suite checks training items, so that split reports no adherence.
    assert not ((summary.split == "train") & summary.metric.str.startswith("policy")).any()
    for split, group, metric in [("test", "", "policy.prompt_level"), ("safety", "", "policy.rule.decline-harmful"),
                                 ("safety", "", "safety.refusal_rate"), ("safety", "", "safety.over_refusal_rate"),
                                 ("", "overfitting", "overfit.train_test_gap"), ("", "overfitting", "overfit.test_ood_gap"),
                                 ("", "overfitting", "overfit.memorisation_rate"),
                                 ("", "robustness", "robustness.typos_drop")]:
        found = (summary.split == split) & (summary.metric_group == group) & (summary.metric == metric)
        assert (found & (summary.perturbation == "")).sum() == 3, (split, group, metric)
    # The robustness drop compares the same items: the perturbed ones against their originals.
    lora = rows[rows.variant == "lora"]
    typos = lora[(lora.split == "test") & (lora.perturbation == "typos")]
    originals = lora[(lora.split == "test") & (lora.perturbation == "") & lora.item_id.isin(typos.item_id)]
    drop = summary[(summary.variant == "lora") & (summary.metric == "robustness.typos_drop")].value.item()
    assert drop == pytest.approx(originals.correct.mean() - typos.correct.mean())
    assert (summary.metric == "overfit.loss_gap").sum() == 1  # only the adapter has training telemetry
    # The adapter learned the answer format that the untrained tiny model cannot produce (the best
    # checkpoint by validation loss is kept, so the tiny model stops short of memorising 40 items).
    assert _accuracy(store, run_id, "lora") > 0.5 and _accuracy(store, run_id, "zero-shot") == 0
    folder = out / "adapters" / "lora"
    provenance = json.loads((folder / "tunebench.json").read_text())
    assert provenance["data_counts"]["train_items"] == 40 and provenance["loss_history"]

    # A re-run takes every generation from the store and trains nothing.
    def no_generation(*args, **kwargs):
        raise AssertionError("a cached generation was recomputed")

    monkeypatch.setattr(cached_model, "generate_batch", no_generation)
    monkeypatch.setattr(probe, "run_probe", no_generation)
    mtime = (folder / "adapter_model.safetensors").stat().st_mtime
    store2, run2 = run_experiment(spec, out)
    assert run2 != run_id and (folder / "adapter_model.safetensors").stat().st_mtime == mtime
    assert store2.frame(samples, run_id=run2).correct.tolist() == rows.correct.tolist()
    cached = store2.frame(cache)
    probe_rows = cached.key.str.startswith("probe:")
    assert probe_rows.sum() == 2  # the base model's probe score, shared by prompt variants, and the adapter's
    # Besides the samples' generations, the store holds the base model's outputs on the adapter's guard
    # items (the adapter's own outputs there are the samples' already).
    extra = set(cached.key[~probe_rows]) - set(rows.cache_key)
    assert len(extra) == spec.guard_items and (~probe_rows).sum() == len(set(rows.cache_key)) + len(extra)
    guard = store2.frame(metrics, run_id=run2)
    assert (guard.metric == "guard.adapter_inactive").sum() == 1 and not guard[guard.metric == "guard.adapter_inactive"].value.item()

    index = export_html(store2.path, tmp_path / "report")
    assert "lora" in index.read_text()


def test_plain_peft_loads_the_adapter(tiny_spec, tmp_path):
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    spec = load_spec(tiny_spec)
    spec = spec.model_copy(update={"variants": spec.variants[2:], "eval_limit": 4})
    run_experiment(spec, tmp_path / "out")
    # The run gives the shared (cached) base model back as it was loaded: no adapter layers, no dropout.
    from tunebench.harness.core.models import load_base_model
    from tunebench.harness.core.precision import resolve_precision

    shared, _, _ = load_base_model(spec.base_model, resolve_precision(spec.precision).name)  # the run's own copy
    assert not shared.training and not any("lora" in name for name, _ in shared.named_modules())
    folder = tmp_path / "out" / "adapters" / "lora"
    names = {p.name for p in folder.iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "tunebench.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names), "safetensors only"
    base = AutoModelForCausalLM.from_pretrained(spec.base_model)
    model = PeftModel.from_pretrained(base, str(folder))
    assert model.peft_config["default"].r == 8


def test_eval_without_trained_adapter_is_bad_input(tiny_spec, tmp_path):
    from tunebench.harness.core.errors import BadInput

    with pytest.raises(BadInput, match="tunebench train"):
        run_experiment(load_spec(tiny_spec), tmp_path / "out", train=False)
    assert not (tmp_path / "out" / "store.sqlite").exists(), "bad input must not create a store"
