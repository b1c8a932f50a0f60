"""Options from different models in one run: variants on a second local model (a tiny Llama, another
architecture and other weights) beside the tiny Gemma's, trained and evaluated on their own model,
paired on the same items, cached under their own model, priced by their own prices and named in the
decision. The served path is in ``test_served.py``."""

import pytest

from tests.conftest import build_tiny_model, write_spec
from tunebench.harness.analysis.compare import Side, compare
from tunebench.harness.analysis.decision import decide
from tunebench.harness.core.spec import load_spec
from tunebench.harness.core.store import cache, samples
from tunebench.harness.orchestration.pipeline import run_experiment
from tunebench.reports.decision import assumptions_line, run_line


@pytest.fixture(scope="module")
def tiny_llama_dir(tmp_path_factory):
    from tunebench.harness.core.prompts import render_completion, render_prompt
    from tunebench.harness.core.suites import load_suite

    suite = load_suite("it_tickets")
    corpus = [render_prompt(suite, i, "zero-shot") + render_completion(suite, i, "zero-shot")
              for i in suite.split("train")[:200]]
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"), corpus, family="llama")


def test_a_second_local_model_is_an_option_paired_on_the_same_items(tmp_path, tiny_model_dir, tiny_llama_dir,
                                                                     suite_copy):
    llama = str(tiny_llama_dir)
    spec = load_spec(write_spec(
        tmp_path / "e.yaml", name="e", base_model=str(tiny_model_dir), suites=[str(suite_copy)], splits=["test"],
        eval_limit=8, robustness=[], overfitting_items=0, general_probe=None, guard_items=1,
        training={"epochs": 1, "train_size": 16, "batch_size": 4, "evaluations": 1},
        costs={"currency": "EUR", "train_hour": 1.0, "serve_hour": 1.0, "requests_per_month": 1000},
        variants=[{"name": "zero", "kind": "prompt"},
                  {"name": "llama-zero", "kind": "prompt", "model": llama, "costs": {"serve_hour": 10.0}},
                  {"name": "lora", "kind": "adapter", "prompt": "plain"},
                  {"name": "llama-lora", "kind": "adapter", "prompt": "plain", "model": llama}]))
    store, run_id = run_experiment(spec, tmp_path / "out")

    rows = store.frame(samples, run_id=run_id).merge(store.frame(cache), left_on="cache_key", right_on="key")
    items = {v: sorted(part.item_id) for v, part in rows.groupby("variant")}
    assert len(items) == 4 and len({tuple(i) for i in items.values()}) == 1 and len(items["zero"]) == 8
    models = {v: set(part.model_id) for v, part in rows.groupby("variant")}
    assert models["zero"] == models["lora"] and models["llama-zero"] == models["llama-lora"]
    assert models["zero"].isdisjoint(models["llama-zero"])  # each option cached under its own model
    outputs = {v: dict(zip(part.item_id, part.output)) for v, part in rows.groupby("variant")}
    assert outputs["zero"] != outputs["llama-zero"]  # really another model, not the run's one under a new name
    adapters = {r.variant: r.provenance for r in store.run_adapters(run_id)}
    assert adapters["llama-lora"]["base_model_sha256"] != adapters["lora"]["base_model_sha256"]
    assert store.run(run_id).provenance["options"]["llama-zero"]["base_model"] == llama

    paired = [r for r in compare(store, Side(run_id, "llama-zero"), Side(run_id, "lora")).rows
              if r.split == "test" and r.metric == "accuracy"]
    assert paired and paired[0].n == 8  # the two options paired item by item
    decision = decide(store, run_id)
    assert decision.options == {"llama-zero": llama, "llama-lora": llama}
    assert f"llama-zero on {llama}" in run_line(decision)
    assert "llama-zero: serve_hour 10.0" in assumptions_line(decision)
    cost = {row.variant: row.cost for row in decision.rows}
    money = {variant: m for (_, variant), m in decision.money.items()}
    assert money["llama-zero"].per_1000 == pytest.approx(cost["llama-zero"].seconds_per_request * 10 / 3.6)
    assert money["zero"].per_1000 == pytest.approx(cost["zero"].seconds_per_request / 3.6)
