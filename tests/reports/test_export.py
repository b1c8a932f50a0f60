from harness.store import Store
from reports.export import export_html


def test_model_outputs_are_escaped_in_the_static_report(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {"name": "e"}, {"base_model": "m"})
    evil = "<script>alert(1)</script>"
    store.put_generations([{"key": "k", "model_sha": "m", "adapter_sha": "none", "prompt": "p", "output": evil,
                            "settings_json": "{}", "seconds": 0.1}])
    store.write_results(run, "v", "s", "test",
                        [{"item_id": "1", "generation_key": "k", "target_json": "{}", "scores_json": "{}",
                          "correct": 0, "explanation": "<b>x</b>"}],
                        [{"metric": "accuracy", "value": 0.0, "ci_low": 0.0, "ci_high": 0.79, "n": 1,
                          "explanation": ""}])
    store.finish_run(run)
    page = export_html(store.path, tmp_path / "site").read_text()
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page
