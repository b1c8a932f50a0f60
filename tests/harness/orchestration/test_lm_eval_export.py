"""``tunebench suites export-lm-eval``: the lm-eval CLI on an exported split gives tunebench's numbers."""

import json
import os
import subprocess
import sys

import pytest
import yaml
from typer.testing import CliRunner

from tunebench.harness.cli import app
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import cache, metrics, samples
from tunebench.harness.orchestration.pipeline import run_experiment


def test_lm_eval_cli_accuracy_equals_tunebench_accuracy(tiny_spec, tmp_path):
    """Same model + adapter, greedy: identical generations per item, identical accuracy."""
    spec_data = yaml.safe_load(tiny_spec.read_text())
    spec_data.update(precision="fp32", splits=["test"],  # lm-eval loads fp32 here
                     robustness=[], overfitting_items=0, general_probe=None,
                     variants=[v for v in spec_data["variants"] if v["name"] == "lora"])
    tiny_spec.write_text(yaml.safe_dump(spec_data))
    store, run_id = run_experiment(load_spec(tiny_spec), tmp_path / "out")
    frame = store.frame(metrics, run_id=run_id)
    ours = frame[(frame.split == "test") & (frame.metric == "accuracy")].value.item()
    rows = store.frame(samples, run_id=run_id).merge(store.frame(cache), left_on="cache_key",
                                                     right_on="key")
    our_outputs = dict(zip(rows.item_id, rows.output))

    export = tmp_path / "tasks"
    result = CliRunner().invoke(app, ["suites", "export-lm-eval", spec_data["suites"][0], "--out", str(export),
                                      "--split", "test", "--prompt", "plain"])
    assert result.exit_code == 0, result.output
    task = "tunebench_it_tickets_test_plain"  # the suite copy keeps the IT suite's name
    adapter = tmp_path / "out" / "adapters" / "lora"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.run(
        [sys.executable, "-m", "lm_eval", "--model", "hf", "--model_args",
         f"pretrained={spec_data['base_model']},peft={adapter},dtype=float32", "--include_path", str(export),
         "--tasks", task, "--batch_size", "8", "--device", "cpu", "--output_path", str(tmp_path / "lm-eval"),
         "--log_samples"], capture_output=True, text=True, env=env, timeout=600, cwd=export)  # paths are relative
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(next((tmp_path / "lm-eval").rglob("results_*.json")).read_text())
    theirs = results["results"][task]["acc,none"]
    logged = [json.loads(line) for line in next((tmp_path / "lm-eval").rglob(f"samples_{task}_*.jsonl"))
              .read_text().splitlines()]
    assert len(logged) == len(our_outputs) == 40
    for sample in logged:
        assert sample["filtered_resps"][0] == our_outputs[sample["doc"]["id"]], sample["doc"]["id"]
    assert any(our_outputs.values()), "the adapter produced no text at all: the comparison would be vacuous"
    print(f"accuracy: tunebench {ours:.3f}, lm-eval CLI {theirs:.3f}")
    assert theirs == pytest.approx(ours)


def test_export_rejects_what_it_cannot_score(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["suites", "export-lm-eval", "it_tickets", "--out", str(tmp_path),
                                 "--split", "safety"])
    assert result.exit_code == 2 and "no targets" in result.output
    result = runner.invoke(app, ["suites", "export-lm-eval", "it_tickets", "--out", str(tmp_path),
                                 "--prompt", "chain-of-thought"])
    assert result.exit_code == 2 and "zero-shot, few-shot, policy, plain" in result.output


def test_export_limit_picks_the_items_eval_limit_evaluates(tmp_path):
    from tunebench.harness.core.suites import load_suite

    result = CliRunner().invoke(app, ["suites", "export-lm-eval", "it_tickets", "--out", str(tmp_path),
                                      "--split", "test", "--limit", "12"])
    assert result.exit_code == 0, result.output
    exported = [json.loads(line)["id"] for line in
                (tmp_path / "tunebench_it_tickets_test_zero_shot.jsonl").read_text().splitlines()]
    assert exported == [i["id"] for i in load_suite("it_tickets").subset("test", 12)]


def test_an_export_holds_no_absolute_path(tmp_path, suite_copy):
    """The export moves as a folder: data files by name, the suite by name (built-in) or relative folder."""
    for suite, out in (("it_tickets", tmp_path / "builtin"), (str(suite_copy), tmp_path / "copy")):
        assert CliRunner().invoke(app, ["suites", "export-lm-eval", suite, "--out", str(out)]).exit_code == 0
        for path in out.iterdir():
            assert str(tmp_path) not in path.read_text() and "/work/" not in path.read_text(), path.name
