from harness.core.metrics import MetricRow
from harness.core.store import Store, metrics, samples


def test_results_of_a_split_are_replaced_as_a_whole(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {}, {})
    row = {"item_id": "1", "generation_key": "k", "target_json": "{}", "correct": 1, "scores_json": "{}",
           "explanation": "ok"}
    metric = MetricRow.proportion("accuracy", 1, 1, "right")
    store.write_results(run, "v", "s", "test", [row, {**row, "item_id": "2"}], [metric])
    store.write_results(run, "v", "s", "test", [row], [metric])
    assert len(store.frame(samples, run_id=run)) == 1 and len(store.frame(metrics, run_id=run)) == 1


def test_generation_cache_round_trip_and_schema_reopen(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_cached("generation", [{"key": "a", "model_sha": "m", "adapter_sha": "none", "prompt": "p", "output": "o",
                            "settings_json": "{}", "seconds": 0.1}])
    again = Store(tmp_path / "s.sqlite")
    assert again.cached_outputs(["a", "b"]) == {"a": "o"}


def test_latest_run_ignores_unfinished_runs(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    done = store.start_run("e", {}, {})
    store.finish_run(done)
    store.start_run("e", {}, {})  # killed mid-way: stays "running"
    assert store.latest_run_id("e") == done
