"""Decide on a real run (tiny model, real training and generation): the decision table traces to
stored samples, compare and gate read the store, and two audits give a comparison and a bundle
that `audit verify` accepts and rejects after one byte of it changes. The first audit is run in the
one-command form (`audit EXPERIMENT.yaml`), the second as `audit run`: the second compares with the first."""

import json
import re

import pytest
from typer.testing import CliRunner

from tunebench.harness.analysis.decision import decide
from tunebench.harness.cli import app
from tunebench.harness.core.store import Store, cache


@pytest.fixture(scope="module")
def audited(tmp_path_factory, tiny_model_dir):
    import shutil

    from tunebench.harness.core.suites import builtin_suites_dir
    from tests.conftest import write_spec

    root = tmp_path_factory.mktemp("audit")
    suite = root / "it_small"
    suite.mkdir()
    src = builtin_suites_dir() / "it_tickets"
    for name in ("suite.yaml", "policy.yaml"):
        shutil.copy(src / name, suite / name)
    for split in ("train", "val", "test", "ood", "safety"):
        lines = (src / f"{split}.jsonl").read_text().splitlines()[:40]
        (suite / f"{split}.jsonl").write_text("\n".join(lines) + "\n")
    spec = write_spec(root / "audit.yaml", name="audited", base_model=str(tiny_model_dir), suites=[str(suite)],
                      splits=["test", "safety"], robustness=["typos"], robustness_items=10, overfitting_items=0,
                      general_probe=None, generation_batch_size=10,
                      training={"rank": 8, "alpha": 16, "learning_rate": 1e-2, "epochs": 40, "batch_size": 8},
                      variants=[{"name": "zero-shot", "kind": "prompt"}, {"name": "lora", "kind": "adapter",
                                                                          "prompt": "plain"}])
    out = root / "out"
    first = CliRunner().invoke(app, ["audit", str(spec), "--out", str(out)])  # the one-command form
    second = CliRunner().invoke(app, ["audit", "run", str(spec), "--out", str(out)])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    return out, first.output, second.output


def test_two_audits_compare_and_verify(audited):
    out, first, second = audited
    assert "(the first of this experiment)" in first
    assert "compared with audited-" in second and "setup: nothing" in second
    bundles = sorted((out / "audits").iterdir())
    assert len(bundles) == 2 and not any(b.name.endswith(".partial") for b in bundles)
    summary = json.loads((bundles[1] / "audit.json").read_text())
    assert summary["previous_audit_id"] == bundles[0].name and summary["significant_changes"] == []
    for name in ("experiment.yaml", "spec.json", "run.json", "provenance/lora.json", "metrics.jsonl",
                 "samples.jsonl", "decision.md", "report/index.html", "manifest.json", "manifest.sha256"):
        assert (bundles[1] / name).is_file(), name
    ok = CliRunner().invoke(app, ["audit", "verify", str(bundles[1]), "--deep"])
    assert ok.exit_code == 0 and "0 mismatch(es): intact" in ok.output
    target = bundles[1] / "samples.jsonl"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    broken = CliRunner().invoke(app, ["audit", "verify", str(bundles[1])])
    assert broken.exit_code == 1 and "samples.jsonl: content changed" in broken.output


def test_decision_numbers_trace_to_stored_samples(audited):
    out, _, _ = audited
    store = Store(out / "store.sqlite")
    run_id = store.latest_run_id("audited")
    stored = [s for s in store.samples(run_id) if not s.perturbation]  # the items as written
    cached = store.frame(cache).set_index("key")
    decision = decide(store, run_id)
    assert len(decision.rows) == 2
    for row in decision.rows:
        mine = [s for s in stored if s.variant == row.variant and s.suite == row.suite]
        for (split, metric), value in row.metrics.items():
            values = [s.values[metric] for s in mine if s.split == split and metric in s.values]
            assert value.value == pytest.approx(sum(values) / len(values)), (row.variant, split, metric)
            assert value.n == len(values)
        test_keys = [s.cache_key for s in mine if s.split == "test"]
        assert row.cost.prompt_tokens == pytest.approx(cached.loc[test_keys, "prompt_tokens"].mean())
        assert row.cost.seconds_per_request == pytest.approx(cached.loc[test_keys, "seconds"].mean())
    lora = next(r for r in decision.rows if r.variant == "lora")
    assert lora.cost.train_seconds > 0 and lora.cost.adapter_mb > 0
    assert lora.cost.prompt_tokens < next(r for r in decision.rows if r.variant == "zero-shot").cost.prompt_tokens


def test_compare_and_gate_on_the_run(audited, tmp_path):
    out, _, _ = audited
    store = str(out / "store.sqlite")
    shown = CliRunner().invoke(app, ["compare", "zero-shot", "lora", "--store", store, "--json", "--all"])
    rows = json.loads(shown.output)["rows"]
    form = next(r for r in rows if r["split"] == "test" and r["metric"] == "format_valid")
    assert form["verdict"] == "better" and form["n"] == 40  # the adapter learned the format, zero-shot cannot
    itself = CliRunner().invoke(app, ["gate", "--baseline", "lora", "--candidate", "lora", "--store", store])
    assert itself.exit_code == 0 and "gate PASSED" in itself.output
    gate_file = tmp_path / "gate.yaml"
    gate_file.write_text("checks:\n  - {metric: format_valid, split: test}\n  - {metric: accuracy, split: test}\n")
    regressed = CliRunner().invoke(app, ["gate", "--baseline", "lora", "--candidate", "zero-shot", "--store", store,
                                         "--config", str(gate_file), "--junit", str(tmp_path / "junit.xml")])
    # format_valid drops 0.7 on 40 items: a significant regression. Accuracy is the tiny random model's
    # (a few items right either way): failed or inconclusive, never passed, and JUnit fails both.
    assert regressed.exit_code == 1 and "gate FAILED: " in regressed.output
    assert re.search(r"FAIL\s.*format_valid", regressed.output)
    assert re.search(r"(FAIL|INCONCLUSIVE)\s.*accuracy", regressed.output)
    assert 'failures="2"' in (tmp_path / "junit.xml").read_text()


def test_a_review_edited_after_the_audit_fails_verify(audited, tmp_path):
    """Reviews go into the bundle with their seal chain: `audit verify --deep` finds a review changed or
    deleted in the store since the audit, and plain `audit verify` a review changed in the bundle."""
    import shutil
    import sqlite3

    from tunebench.harness.core.store import Store

    out, _, _ = audited
    store = Store(out / "store.sqlite")
    ids = [store.add_review({"run_id": "r", "variant": "lora", "suite": "it_small", "split": "test", "item_id": str(i),
                             "reviewer": "ada", "verdict": "right", "comment": "", "scorer_verdict": "right"})
           for i in range(2)]
    spec = next(out.parent.glob("audit.yaml"))
    assert CliRunner().invoke(app, ["audit", "run", str(spec), "--out", str(out)]).exit_code == 0
    bundle = sorted((out / "audits").iterdir())[-1]
    assert len((bundle / "reviews.jsonl").read_text().splitlines()) == 2
    assert CliRunner().invoke(app, ["audit", "verify", str(bundle), "--deep"]).exit_code == 0
    with sqlite3.connect(out / "store.sqlite") as con:
        con.execute("UPDATE reviews SET verdict = 'wrong' WHERE review_id = ?", (ids[0],))
    edited = CliRunner().invoke(app, ["audit", "verify", str(bundle), "--deep"])
    assert edited.exit_code == 1 and f"review {ids[0]}: changed in the store since the audit" in edited.output
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    lines = (copy / "reviews.jsonl").read_text().splitlines()
    (copy / "reviews.jsonl").write_text("\n".join([lines[0].replace('"right"', '"wrong"', 1), *lines[1:]]) + "\n")
    tampered = CliRunner().invoke(app, ["audit", "verify", str(copy)])
    assert tampered.exit_code == 1 and "was changed after it was sealed" in tampered.output
