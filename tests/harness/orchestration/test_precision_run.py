"""A run in bf16: training and evaluation share one copy of the weights in bf16 (the LoRA weights train
in fp32 under autocast), and the precision is in every cache key, in the adapter's key and provenance,
and in the run's provenance."""

import json

from safetensors import safe_open

from tunebench.harness.core.models import load_base_model
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import cache
from tunebench.harness.orchestration.pipeline import run_experiment
from tests.conftest import write_spec


def test_a_bf16_run_is_keyed_and_recorded_as_bf16(tiny_model_dir, suite_copy, tmp_path):
    spec = write_spec(tmp_path / "bf16.yaml", name="bf16", base_model=str(tiny_model_dir), suites=[str(suite_copy)],
                      splits=["test"], eval_limit=4, robustness=[], overfitting_items=0, general_probe=None,
                      guard_items=0, precision="bf16",
                      training={"epochs": 1, "batch_size": 8, "train_size": 16, "val_size": 4, "evaluations": 1},
                      variants=[{"name": "zero-shot", "kind": "prompt"},
                                {"name": "lora", "kind": "adapter", "prompt": "plain"}])
    store, run_id = run_experiment(load_spec(spec), tmp_path / "out")
    run = store.run(run_id)
    assert run.provenance["precision"] == "bf16" and "asked for" in run.provenance["precision_reason"]
    shared, _, resolved = load_base_model(str(tiny_model_dir), "bf16")
    assert next(shared.parameters()).dtype.is_floating_point and str(next(shared.parameters()).dtype) == "torch.bfloat16"
    assert set(store.frame(cache).model_id) == {f"{resolved.sha256}+bf16"}
    folder = tmp_path / "out" / "adapters" / "lora"
    assert json.loads((folder / "tunebench.json").read_text())["precision"] == "bf16"
    with safe_open(str(folder / "adapter_model.safetensors"), "pt") as weights:
        assert {str(weights.get_tensor(k).dtype) for k in weights.keys()} == {"torch.float32"}  # as PEFT keeps them
    # evaluated in bf16, the adapter's own weights compute in bf16 too (no fp32 casts at every layer)
    from tunebench.harness.core.adapters import check_adapter
    from tunebench.harness.orchestration.variants import VariantSwitch

    switch = VariantSwitch(shared)
    switch.load(check_adapter("lora", folder, resolved))
    inside = switch.loaded["lora"]  # the adapter's name inside peft
    assert {p.dtype for n, p in switch.peft.named_parameters() if f".{inside}." in n} == {shared.dtype}
    switch.close()
