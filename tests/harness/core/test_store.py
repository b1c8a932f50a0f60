from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store import Scope, Store, metrics, samples


def _sample(item_id: str, perturbation: str = "") -> Sample:
    return Sample("v", "s", "test", item_id, "k", target={"label": "a"}, correct=True, explanation="ok",
                  values={"accuracy": 1.0}, cluster="c1", perturbation=perturbation)


def test_results_of_a_split_are_replaced_as_a_whole(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {}, {})
    metric = MetricRow.proportion("accuracy", 1, 1, "right")
    store.write_results(run, Scope("v", "s", "test"), [_sample("1"), _sample("2")], [metric])
    store.write_results(run, Scope("v", "s", "test"), [_sample("1")], [metric])
    assert len(store.frame(samples, run_id=run)) == 1 and len(store.frame(metrics, run_id=run)) == 1


def test_a_perturbed_copy_and_a_group_are_not_splits(tmp_path):
    """Perturbed copies and cross-split groups have their own columns: writing them leaves the split alone."""
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {}, {})
    metric = MetricRow.proportion("accuracy", 1, 1, "right")
    store.write_results(run, Scope("v", "s", "test"), [_sample("1")], [metric])
    store.write_results(run, Scope("v", "s", "test", "typos"), [_sample("1", "typos")], [metric])
    store.write_results(run, Scope("v", "s", group="overfitting"), [], [MetricRow.point("overfit.gap", 0.1, 1, "x")])
    got = store.samples(run)
    assert sorted(s.perturbation for s in got) == ["", "typos"] and {s.split for s in got} == {"test"}
    assert got[0] == _sample(got[0].item_id, got[0].perturbation)  # the row converts back to the same Sample
    scopes = {m.scope for m in store.metric_rows(run)}
    assert scopes == {Scope("v", "s", "test"), Scope("v", "s", "test", "typos"), Scope("v", "s", group="overfitting")}


def test_cache_round_trip_and_schema_reopen(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_cached("generation", [{"key": "a", "model_id": "m", "adapter_sha": "none", "prompt": "p", "output": "o",
                                     "settings_json": {}, "seconds": 0.1}])
    store.put_cached("probe", [{"key": "probe:b", "model_id": "m", "adapter_sha": "none", "prompt": "p",
                                "output": {"accuracy": 0.5, "n": 2}, "settings_json": {}, "seconds": 0.1}])
    again = Store(tmp_path / "s.sqlite")
    assert again.cached_outputs(["a", "b"]) == {"a": "o"}
    assert again.cached_values(["probe:b"]) == {"probe:b": {"accuracy": 0.5, "n": 2}}


def test_typed_run_records(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {"variants": [{"name": "a", "kind": "prompt"}, {"name": "b", "kind": "adapter"}]},
                          {"base_model": "m"})
    store.finish_run(run, stages=[{"name": "x", "seconds": 1.0}])
    store.write_scorer_checks(run, {"labels": MetricRow.proportion("agreement", 9, 10, "agree")})
    record = store.run(run)
    assert record.variants == ["a", "b"] and record.baseline == "a" and record.variant_kinds["b"] == "adapter"
    assert record.provenance == {"base_model": "m"} and record.stages == [{"name": "x", "seconds": 1.0}]
    assert store.scorer_checks(run)["labels"].value == 0.9


def test_latest_run_ignores_unfinished_runs(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    done = store.start_run("e", {}, {})
    store.finish_run(done)
    store.start_run("e", {}, {})  # killed mid-way: stays "running"
    assert store.latest_run_id("e") == done
