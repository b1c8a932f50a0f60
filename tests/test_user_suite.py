"""A user's own suite from CSV files (examples/csv_suite, as the README describes) runs end to end
with no code change: validation, prompt variants, an adapter trained on its train split, scores."""

from pathlib import Path

from typer.testing import CliRunner

from tunebench.harness.cli import app
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import metrics, samples
from tunebench.harness.orchestration.pipeline import run_experiment
from tests.conftest import write_spec

CSV_SUITE = Path(__file__).parents[1] / "examples" / "csv_suite"


def test_csv_suite_validates_trains_and_evaluates(tmp_path, tiny_model_dir):
    result = CliRunner().invoke(app, ["suites", "validate", str(CSV_SUITE)])
    assert result.exit_code == 0 and "expense_claims: ok (train 23, test 16)" in result.output
    spec = write_spec(tmp_path / "mine.yaml", name="mine", base_model=str(tiny_model_dir), suites=[str(CSV_SUITE)],
                      splits=["test"], robustness=["typos"], robustness_items=8, overfitting_items=8,
                      general_probe=None, training={"epochs": 2, "batch_size": 8},
                      variants=[{"name": "few-shot", "kind": "prompt", "prompt": "few-shot", "k": 2},
                                {"name": "lora", "kind": "adapter", "prompt": "plain"}])
    store, run_id = run_experiment(load_spec(spec), tmp_path / "out")
    rows = store.frame(samples, run_id=run_id)
    assert rows.groupby(["variant", "split", "perturbation"]).size().to_dict() == {
        ("few-shot", "test", ""): 16, ("few-shot", "test", "typos"): 8, ("few-shot", "train", ""): 8,
        ("lora", "test", ""): 16, ("lora", "test", "typos"): 8, ("lora", "train", ""): 8}
    frame = store.frame(metrics, run_id=run_id, perturbation="")
    accuracy = frame[(frame.split == "test") & (frame.metric == "accuracy")]
    assert sorted(accuracy.variant) == ["few-shot", "lora"] and accuracy.n.tolist() == [16, 16]
    assert (tmp_path / "out" / "adapters" / "lora" / "adapter_model.safetensors").is_file()
