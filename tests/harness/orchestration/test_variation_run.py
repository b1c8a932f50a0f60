"""Seeds and a learning curve run end to end on the tiny model: the adapters they add are trained with
their own seed and item count, evaluated on the same items, and read back by the decision."""

import json

from tests.conftest import write_spec
from tunebench.harness.analysis.decision import decide
from tunebench.harness.core.spec import load_spec
from tunebench.harness.orchestration.pipeline import run_experiment
from tunebench.reports.export import export_html
from tunebench.reports.variation import CURVE, SEEDS, curve_frame, seed_frame


def test_seeds_and_learning_curve_train_and_reach_the_decision(tmp_path, tiny_model_dir, suite_copy):
    spec = load_spec(write_spec(
        tmp_path / "e.yaml", name="e", base_model=str(tiny_model_dir), suites=[str(suite_copy)],
        eval_limit=8, robustness=[], overfitting_items=0, general_probe=None, guard_items=0,
        training={"epochs": 1, "train_size": 16, "batch_size": 4, "evaluations": 1},
        variants=[{"name": "few", "kind": "prompt", "prompt": "few-shot", "k": 2},
                  {"name": "lora", "kind": "adapter", "prompt": "plain", "seeds": 2, "learning_curve": [8]}]))
    store, run_id = run_experiment(spec, tmp_path / "out")
    provenance = {name: json.loads((tmp_path / "out" / "adapters" / name / "tunebench.json").read_text())
                  for name in ("lora", "lora.seed1", "lora.n8")}
    assert {n: (p["seed"], p["data_counts"]["train_items"]) for n, p in provenance.items()} == \
        {"lora": (0, 16), "lora.seed1": (1, 16), "lora.n8": (0, 8)}
    decision = decide(store, run_id)
    answer = next(iter(decision.answers.values()))
    assert answer.tuned == "lora" and answer.seeds is not None
    assert list(seed_frame(decision)["seed variant"]) == ["lora", "lora.seed1"]
    assert list(curve_frame(decision)["training items"]) == [8, 16]
    page = export_html(store.path, tmp_path / "report").read_text()
    assert SEEDS[0] in page and CURVE[0] in page and "n=8" in page  # both tables and the curve's plot
    curve = decision.curves[0]
    assert f"{curve.prompted} (best prompt)" in page  # the level the curve must pass, drawn with it
