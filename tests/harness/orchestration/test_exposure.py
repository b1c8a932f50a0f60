"""Canary exposure measured end to end: canaries planted in training, exposure in the store."""

import json
import math

from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import metrics
from tunebench.harness.orchestration.pipeline import run_experiment
from tests.conftest import write_spec


def test_canaries_planted_in_training_get_an_exposure(tmp_path, tiny_model_dir, suite_copy):
    spec = load_spec(write_spec(
        tmp_path / "canary.yaml", name="canary", base_model=str(tiny_model_dir), suites=[str(suite_copy)],
        eval_limit=4, robustness=[], overfitting_items=0, general_probe=None, canary_candidates=50,
        training={"epochs": 2, "canaries": 2, "canary_repeats": 4},
        variants=[{"name": "lora", "kind": "adapter", "prompt": "plain"}]))
    store, run_id = run_experiment(spec, tmp_path / "out")
    planted = json.loads((tmp_path / "out" / "adapters" / "lora" / "tunebench.json").read_text())
    assert len(planted["data_preparation"]["canaries"]) == 2
    frame = store.frame(metrics, run_id=run_id)
    row = frame[frame.metric == "overfit.canary_exposure"].iloc[0]
    assert row.n == 2 and 0 <= row.value <= math.log2(10**6)
    assert row.explanation.count("4x planted") == 2
