"""A variant limited to some of the experiment's suites (``Variant.suites``): one domain's adapter beside a
multi-domain one. It trains on its suites' data only, is evaluated on them only, and the decision, the
seeds it adds and the report read it where it exists."""

import json
from pathlib import Path

import pytest

from tests.conftest import TINY_SUITE_ITEMS, write_spec
from tunebench.harness.analysis.decision import decide
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.suites import builtin_suites_dir
from tunebench.harness.orchestration.pipeline import run_experiment
from tunebench.reports.export import export_html


def _small_copy(name: str, folder: Path) -> Path:
    src = builtin_suites_dir() / name
    folder.mkdir()
    for file in ("suite.yaml", "policy.yaml"):
        (folder / file).write_text((src / file).read_text())
    for split in ("train", "val", "test", "ood", "safety"):  # the suite names all five
        lines = (src / f"{split}.jsonl").read_text().splitlines()[:TINY_SUITE_ITEMS]
        (folder / f"{split}.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def _spec(tmp_path, tiny_model_dir, suites: list[str], only: list[str]):
    return write_spec(
        tmp_path / "e.yaml", name="e", base_model=str(tiny_model_dir), suites=suites,
        eval_limit=6, robustness=[], overfitting_items=0, general_probe=None, guard_items=0,
        training={"epochs": 1, "train_size": 8, "batch_size": 4, "evaluations": 1},
        variants=[{"name": "zero", "kind": "prompt"},
                  {"name": "lora-all", "kind": "adapter", "prompt": "plain"},
                  {"name": "lora-one", "kind": "adapter", "prompt": "plain", "suites": only, "seeds": 2}])


def test_a_variant_trains_and_is_evaluated_on_its_own_suites_only(tmp_path, tiny_model_dir):
    it, cyber = (str(_small_copy(n, tmp_path / n)) for n in ("it_tickets", "cybersecurity"))
    spec = load_spec(_spec(tmp_path, tiny_model_dir, [it, cyber], [cyber]))
    store, run_id = run_experiment(spec, tmp_path / "out")

    def trained_on(name: str) -> list[str]:
        return json.loads((tmp_path / "out" / "adapters" / name / "tunebench.json").read_text())["suites"]

    assert trained_on("lora-all") == ["it_tickets", "cybersecurity"]
    assert trained_on("lora-one") == trained_on("lora-one.seed1") == ["cybersecurity"]  # the seed keeps them
    evaluated = {(s.variant, s.suite) for s in store.samples(run_id)}
    assert {suite for variant, suite in evaluated if variant.startswith("lora-one")} == {"cybersecurity"}
    assert {suite for variant, suite in evaluated if variant == "lora-all"} == {"it_tickets", "cybersecurity"}

    decision = decide(store, run_id)
    assert set(decision.answers) == {"it_tickets", "cybersecurity"}
    assert decision.answers["it_tickets"].tuned == "lora-all"  # the only adapter there
    assert decision.answers["cybersecurity"].tuned in ("lora-all", "lora-one")
    page = export_html(store.path, tmp_path / "report").read_text()
    assert "lora-one" in page and "lora-all" in page


def test_a_suite_the_experiment_does_not_list_is_bad_input_at_its_line(tmp_path, tiny_model_dir):
    path = _spec(tmp_path, tiny_model_dir, ["it_tickets"], ["it_ticket"])
    with pytest.raises(BadInput) as caught:
        load_spec(path)
    assert caught.value.field == "variants.2.suites" and caught.value.line is not None
    assert "it_ticket" in caught.value.message and "valid: it_tickets" in caught.value.message
