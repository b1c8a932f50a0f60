from typer.testing import CliRunner

from harness.cli import app

runner = CliRunner()


def test_bad_spec_exits_2_naming_file_line_and_field(tmp_path):
    spec = tmp_path / "e.yaml"
    spec.write_text("name: e\nsuites: [it_tickets]\nvariants:\n  - {name: a, kind: prompt, prompt: best}\n")
    result = runner.invoke(app, ["run", str(spec), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{spec}:4 [variants.0.prompt]" in result.output
    assert not (tmp_path / "out").exists(), "bad input must not write anything"


def test_unknown_base_model_exits_2(tmp_path):
    spec = tmp_path / "e.yaml"
    spec.write_text("name: e\nbase_model: nope\nsuites: [it_tickets]\nvariants:\n  - {name: a, kind: prompt}\n")
    result = runner.invoke(app, ["eval", str(spec), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "unknown base model 'nope'" in result.output
    assert not (tmp_path / "out").exists()


def test_suites_validate(suite_copy):
    ok = runner.invoke(app, ["suites", "validate", str(suite_copy)])
    assert ok.exit_code == 0 and "ok (train 40, val 40, test 40, ood 40, safety 40)" in ok.output
    (suite_copy / "test.jsonl").write_text('{"id": 1, "text": "x", "category": "nope", "priority": "low"}\n')
    bad = runner.invoke(app, ["suites", "validate", str(suite_copy)])
    assert bad.exit_code == 2 and "test.jsonl:1 [category]" in bad.output


def test_suites_list_shows_builtin():
    result = runner.invoke(app, ["suites", "list"])
    assert result.exit_code == 0 and "it_tickets" in result.output
