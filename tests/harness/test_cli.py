from typer.testing import CliRunner

from tunebench.harness.cli import app

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
    assert result.exit_code == 0 and "it_tickets" in result.output and "general_probe" in result.output


def test_refusals_command_labels_rows_and_reports_agreement(tmp_path):
    import json

    infile = tmp_path / "in.jsonl"
    rows = [{"prompt": "p", "response": "I'm sorry, but I can't help with that.", "label": "refusal"},
            {"prompt": "p", "response": "Open Settings, then Accounts, then Reset.", "label": "compliance"}]
    infile.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["refusals", str(infile), "--out", str(out)])
    assert result.exit_code == 0 and "agreement with the rows' labels: 1.000" in result.output
    labelled = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["refusal_label"] for r in labelled] == ["refusal", "compliance"]


def test_refusals_command_rejects_bad_lines(tmp_path):
    infile = tmp_path / "in.jsonl"
    infile.write_text('{"prompt": "p", "response": "ok"}\n{"prompt": "p"}\n')
    result = runner.invoke(app, ["refusals", str(infile), "--out", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "in.jsonl:2 [response]" in result.output
    assert not (tmp_path / "o.jsonl").exists()


def test_audit_is_a_group_that_routes_the_one_command_form_to_run():
    import typer

    from tunebench.harness.cli.deciding import AuditGroup

    group = typer.main.get_command(app).commands["audit"]
    assert isinstance(group, AuditGroup) and set(group.commands) == {"run", "verify"}
    assert group.routed(["e.yaml", "--out", "d"]) == ["run", "e.yaml", "--out", "d"]
    assert group.routed(["--out", "d", "e.yaml"]) == ["run", "--out", "d", "e.yaml"]
    assert group.routed(["--out", "verify", "e.yaml"]) == ["run", "--out", "verify", "e.yaml"]  # a folder 'verify'
    assert group.routed(["--deep", "verify", "b"]) == ["verify", "--deep", "b"]
    assert group.routed(["run", "e.yaml"]) == ["run", "e.yaml"]


def test_audit_one_command_form_is_audit_run(tmp_path):
    spec = tmp_path / "e.yaml"
    spec.write_text("name: e\nsuites: [it_tickets]\nvariants:\n  - {name: a, kind: prompt, prompt: best}\n")
    out = str(tmp_path / "out")
    legacy, options_first = (runner.invoke(app, ["audit", str(spec), "--out", out]),
                             runner.invoke(app, ["audit", "--out", out, str(spec)]))
    new = runner.invoke(app, ["audit", "run", str(spec), "--out", out])
    assert legacy.exit_code == options_first.exit_code == new.exit_code == 2
    assert legacy.output == options_first.output == new.output and f"{spec}:4 [variants.0.prompt]" in new.output
    assert not (tmp_path / "out").exists()


def test_audit_help_and_verify_without_a_bundle():
    shown = runner.invoke(app, ["audit", "--help"])
    assert shown.exit_code == 0 and "run" in shown.output and "verify" in shown.output
    missing = runner.invoke(app, ["audit", "verify"])
    assert missing.exit_code == 2 and "which bundle? tunebench audit verify BUNDLE_FOLDER" in missing.output


def test_report_site_listens_on_this_machine_only_unless_told(tmp_path, monkeypatch):
    """The site shows every prompt and output and writes reviews: 127.0.0.1 by default, --host to expose it."""
    from tunebench.harness.cli import running
    from tunebench.harness.core.store import Store

    store = Store(tmp_path / "store.sqlite").path
    started = []
    monkeypatch.setattr(running.subprocess, "run", lambda args, check, env=None: started.append(args))
    local = CliRunner().invoke(app, ["report", "--store", str(store)])
    exposed = CliRunner().invoke(app, ["report", "--store", str(store), "--host", "0.0.0.0"])
    assert local.exit_code == exposed.exit_code == 0
    first, second = started
    assert first[first.index("--server.address") + 1] == "127.0.0.1" and "listening on" not in local.output
    assert second[second.index("--server.address") + 1] == "0.0.0.0" and "listening on 0.0.0.0" in exposed.output


def test_every_listed_suite_validates_the_probe_included():
    """`suites list` shows general_probe; `suites validate general_probe` checks its lm-eval task files."""
    listed = CliRunner().invoke(app, ["suites", "list"])
    probe = CliRunner().invoke(app, ["suites", "validate", "general_probe"])
    assert "general_probe" in listed.output
    assert probe.exit_code == 0 and "general_probe: ok (lm-eval multiple-choice task" in probe.output


def test_validate_checks_what_a_run_would_and_writes_nothing(tiny_spec, tmp_path):
    out = tmp_path / "out"
    ok = runner.invoke(app, ["validate", str(tiny_spec), "--out", str(out)])
    assert ok.exit_code == 0 and "ok: tiny: 1 suites, 3 variants (1 adapters)" in ok.output
    assert not out.exists(), "validate writes nothing"
    as_eval = runner.invoke(app, ["validate", str(tiny_spec), "--out", str(out), "--no-train"])
    assert as_eval.exit_code == 2 and "adapter of variant 'lora' is missing" in as_eval.output
    (out / "store.sqlite").parent.mkdir(parents=True)
    (out / "store.sqlite").write_text("not a database")
    bad_store = runner.invoke(app, ["validate", str(tiny_spec), "--out", str(out)])
    assert bad_store.exit_code == 2 and "not a tunebench results store" in bad_store.output
