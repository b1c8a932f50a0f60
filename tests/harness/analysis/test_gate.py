from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from tests.harness.analysis.conftest import accuracy, add_run
from tunebench.harness.analysis.compare import Side
from tunebench.harness.analysis.gate import DEFAULT_CHECKS, GateConfig, junit_xml, load_gate, markdown, run_gate
from tunebench.harness.cli import app
from tunebench.harness.core.errors import BadInput

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
    assert "significant regression" in failed[0].reason and failed[0].p_holm < 0.05 / result.families
    xml = ElementTree.fromstring(junit_xml(result).encode())
    cases = xml.findall(".//testcase")
    assert len(cases) == len(result.checks) and len(xml.findall(".//failure")) == 1
    assert xml.find(".//testsuite").get("failures") == "1"
    text = markdown(result)
    assert "FAILED ❌" in text and "| ❌ | s | test | `accuracy` |" in text


def test_a_small_safety_drop_is_inconclusive_and_a_big_one_fails(store):
    small_drop = [{"safety.refusal_rate": 0.0}] + SAFETY[1:]
    run = _runs(store, [1] * 40 + [0] * 20, small_drop)
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig())
    blind = [c for c in result.checks if c.status == "inconclusive"]
    assert not result.passed and [c.metric for c in blind] == ["safety.refusal_rate"]
    assert blind[0].items_needed > 30 and f"~{blind[0].items_needed} items would make it conclusive" in blind[0].reason
    assert run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig(on_inconclusive="warn")).passed
    big_drop = [{"safety.refusal_rate": 0.0}] * 20 + SAFETY[20:]
    run = _runs(store, [1] * 40 + [0] * 20, big_drop)
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig())
    # the relative check and the floor (0.33 of harmful requests refused, the baseline refused them all)
    assert [c.name for c in result.checks if c.status == "fail"] == ["safety safety.refusal_rate",
                                                                      "safety safety.refusal_rate floor"]


def test_proven_non_inferiority_needs_evidence(store):
    run = _runs(store, [0] + [1] * 39 + [0] * 20)  # one item lost
    strict = GateConfig(checks=[{"metric": "accuracy", "rule": "proven_non_inferior", "margin": 0.02}])
    check = run_gate(store, Side(run, "base"), Side(run, "cand"), strict).checks[0]
    assert check.status == "fail" and "non-inferiority not shown" in check.reason  # 60 items cannot show 2 points


def test_what_passes_at_any_size(store):
    """Equal on every item, or clearly better: no margin needs more items to see that."""
    run = add_run(store, {"base": {("s", "test"): accuracy([0] * 12)}, "same": {("s", "test"): accuracy([0] * 12)},
                          "far": {("s", "test"): accuracy([1] * 12)}})
    only_accuracy = GateConfig(checks=DEFAULT_CHECKS[:1])
    same = run_gate(store, Side(run, "base"), Side(run, "same"), only_accuracy).checks[0]
    far = run_gate(store, Side(run, "base"), Side(run, "far"), only_accuracy).checks[0]
    assert (same.status, far.status) == ("pass", "pass") and "every one of the 12 items" in same.reason
    assert "significantly better" in far.reason


def test_a_drop_of_042_on_12_items_never_passes_silently(store, tmp_path):
    run = add_run(store, {"base": {("s", "test"): accuracy([1] * 5 + [0] * 7)},
                          "cand": {("s", "test"): accuracy([0] * 12)}})
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig(checks=DEFAULT_CHECKS[:1]))
    check = result.checks[0]
    assert not result.passed and check.status in ("fail", "inconclusive") and check.diff == pytest.approx(-5 / 12)
    # the reason reaches all three outputs
    xml = ElementTree.fromstring(junit_xml(result).encode())
    assert xml.find(".//testsuite").get("failures") == "1"
    assert xml.find(".//failure").get("type") == check.status and xml.find(".//failure").get("message") == check.reason
    assert check.reason.replace("|", "\\|") in markdown(result)
    warned = run_gate(store, Side(run, "base"), Side(run, "cand"),
                      GateConfig(checks=DEFAULT_CHECKS[:1], on_inconclusive="warn"))
    if check.status == "inconclusive":
        assert warned.passed and ElementTree.fromstring(junit_xml(warned).encode()).find(".//system-err") is not None


def test_floors_fail_below_warn_when_the_baseline_is_below_too(store):
    refused = [{"safety.refusal_rate": 1.0}] * 60
    half = [{"safety.refusal_rate": float(k % 2)} for k in range(60)]
    floor = GateConfig(checks=[{"metric": "safety.refusal_rate", "split": "safety", "rule": "floor", "floor": 0.9}])
    run = add_run(store, {"base": {("s", "safety"): refused}, "cand": {("s", "safety"): half}})
    assert run_gate(store, Side(run, "base"), Side(run, "cand"), floor).checks[0].status == "fail"
    assert run_gate(store, Side(run, "base"), Side(run, "base"), floor).checks[0].status == "pass"
    below = run_gate(store, Side(run, "cand"), Side(run, "cand"), floor)
    assert below.checks[0].status == "warn" and below.passed


def test_missing_candidate_evidence_fails(store):
    run = add_run(store, {"base": {("s", "test"): accuracy([1, 0] * 10)}, "cand": {("t", "test"): accuracy([1, 0] * 10)}})
    result = run_gate(store, Side(run, "base"), Side(run, "cand"), GateConfig(checks=DEFAULT_CHECKS[:1]))
    status = {c.suite: c.status for c in result.checks}
    assert status == {"s": "fail", "t": "skipped"}


def test_gate_file_errors_are_located(tmp_path, store):
    path = tmp_path / "gate.yaml"
    path.write_text("checks:\n  - {metric: accuracy, split: tset}\n  - {metric: accuracy, floor: 0.9}\n")
    with pytest.raises(BadInput) as info:
        load_gate(path)
    assert "gate.yaml:2 [checks.0.split]" in str(info.value) and "did you mean 'test'" in str(info.value)
    assert "gate.yaml:3 [checks.1.floor]" in str(info.value)
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
