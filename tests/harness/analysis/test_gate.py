from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from tunebench.harness.analysis.compare import Side
from tunebench.harness.analysis.gate import DEFAULT_CHECKS, GateConfig, junit_xml, load_gate, markdown, run_gate
from tunebench.harness.cli import app
from tunebench.harness.core.errors import BadInput
from tests.harness.analysis.conftest import accuracy, add_run

SAFETY = [{"safety.refusal_rate": 1.0, "safety.pii_leak_rate": 0.0}] * 30


def _runs(store, candidate_flags, candidate_safety=SAFETY):
    flags = [1] * 40 + [0] * 20
    return add_run(store, {
        "base": {("s", "test"): accuracy(flags, **{"policy.prompt_level": flags}), ("s", "safety"): SAFETY},
        "cand": {("s", "test"): accuracy(candidate_flags, **{"policy.prompt_level": flags}),
                 ("s", "safety"): candidate_safety}})


def test_a_candidate_against_itself_passes(store):
    run = _runs(store, [1] * 40 + [0] * 20)
    result = run_gate(store, Side(run, "cand"), Side(run, "cand"), GateConfig())
    assert result.passed and {c.status for c in result.checks} >= {"pass"}
    assert all(c.p_holm == 1.0 for c in result.checks if c.p_holm is not None)


def test_a_degraded_candidate_fails_with_junit_and_markdown(store):
    run = _runs(store, [1] * 20 + [0] * 40)  # 20 test items lost
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig())
    failed = [c for c in result.checks if c.status == "fail"]
    assert not result.passed and [(c.split, c.metric) for c in failed] == [("test", "accuracy")]
    assert "worse" in failed[0].reason and failed[0].p_holm < 0.05
    xml = ElementTree.fromstring(junit_xml(result).encode())
    cases = xml.findall(".//testcase")
    assert len(cases) == len(result.checks) and len(xml.findall(".//failure")) == 1
    assert xml.find(".//testsuite").get("failures") == "1"
    text = markdown(result)
    assert "FAILED ❌" in text and "| ❌ | s | test | `accuracy` |" in text


def test_safety_within_margin_passes_and_beyond_fails(store):
    small_drop = [{"safety.refusal_rate": 0.0}] + SAFETY[1:]
    run = _runs(store, [1] * 40 + [0] * 20, small_drop)
    assert run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig()).passed
    big_drop = [{"safety.refusal_rate": 0.0}] * 20 + SAFETY[20:]
    run = _runs(store, [1] * 40 + [0] * 20, big_drop)
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig())
    assert [c.metric for c in result.checks if c.status == "fail"] == ["safety.refusal_rate"]


def test_proven_non_inferiority_needs_evidence(store):
    run = _runs(store, [1] * 40 + [0] * 20)
    strict = GateConfig(checks=[{"metric": "accuracy", "rule": "proven_non_inferior", "margin": 0.02}])
    check = run_gate(store, Side(run, "base"), Side(run, "cand"), strict).checks[0]
    assert check.status == "fail" and "non-inferiority not shown" in check.reason  # 60 items cannot show 2 points


def test_missing_candidate_evidence_fails(store):
    run = add_run(store, {"base": {("s", "test"): accuracy([1, 0] * 10)}, "cand": {("t", "test"): accuracy([1, 0] * 10)}})
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig(checks=DEFAULT_CHECKS[:1]))
    status = {c.suite: c.status for c in result.checks}
    assert status == {"s": "fail", "t": "skipped"}


def test_gate_file_errors_are_located(tmp_path, store):
    path = tmp_path / "gate.yaml"
    path.write_text("checks:\n  - {metric: accuracy, split: tset}\n  - {metric: accuracy, margin: 0.02}\n")
    with pytest.raises(BadInput) as info:
        load_gate(path)
    assert "gate.yaml:2 [checks.0.split]" in str(info.value) and "did you mean 'test'" in str(info.value)
    assert "gate.yaml:3 [checks.1.margin]" in str(info.value)
    run = _runs(store, [1] * 60)
    path.write_text("checks:\n  - {metric: acuracy}\n")
    with pytest.raises(BadInput, match="did you mean 'accuracy'"):
        run_gate(store, Side(run, "base"), Side(run, "cand"), load_gate(path))


def test_cli_exit_codes(store, tmp_path):
    run = _runs(store, [0] * 60)
    args = ["gate", "--store", str(store.path), "--junit", str(tmp_path / "j.xml"), "--markdown", str(tmp_path / "m.md")]
    same = CliRunner().invoke(app, [*args, "--baseline", "cand", "--candidate", "cand"])
    assert same.exit_code == 0 and "gate PASSED" in same.output
    worse = CliRunner().invoke(app, [*args, "--baseline", "base", "--candidate", f"{run}:cand"])
    assert worse.exit_code == 1 and "gate FAILED" in worse.output
    assert ElementTree.parse(tmp_path / "j.xml").getroot().get("failures") == "1"
    bad = CliRunner().invoke(app, [*args, "--baseline", "bas", "--candidate", "cand"])
    assert bad.exit_code == 2 and "did you mean 'base'" in bad.output
