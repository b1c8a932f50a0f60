from harness.core.metrics import MetricRow
from harness.core.store import Store
from reports.export import export_html


def _store_with_one_run(tmp_path, evil: str) -> Store:
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {"name": "e"}, {"base_model": "m"})
    store.put_cached("generation", [{"key": "k", "model_sha": "m", "adapter_sha": "none", "prompt": "p", "output": evil,
                            "settings_json": "{}", "seconds": 0.1}])
    store.write_results(run, "v", "s", "test",
                        [{"item_id": "1", "generation_key": "k", "target_json": "{}", "scores_json": "{}",
                          "correct": 0, "explanation": "<b>x</b>"}],
                        [MetricRow.proportion("accuracy", 0, 1, "right")])
    store.finish_run(run)
    return store


def test_model_outputs_are_escaped_in_the_static_report(tmp_path):
    evil = "<script>alert(1)</script>"
    store = _store_with_one_run(tmp_path, evil)
    page = export_html(store.path, tmp_path / "site").read_text()
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>x</b>" not in page


def test_streamlit_site_renders_a_store(tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    import reports

    store = _store_with_one_run(tmp_path, "<b>output</b>")
    monkeypatch.setenv("TUNEBENCH_STORE", str(store.path))
    site = AppTest.from_file(str(Path(reports.__file__).parent / "app.py"), default_timeout=60)
    site.run()
    assert not site.exception
    assert "Accuracy" in [h.value for h in site.header] and len(site.dataframe) >= 2


def test_judge_rows_have_their_own_section(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("e", {"name": "e"}, {"base_model": "m"})
    store.write_results(run, "v", "support", "test", [], [
        MetricRow("judge.faithfulness", 0.75, 8, "ragas faithfulness (judge-model)", 0.5, 0.9)])
    store.finish_run(run)
    page = export_html(store.path, tmp_path / "site").read_text()
    assert "LLM judge (ragas)" in page and "0.750 [0.50, 0.90]" in page
