"""Stores written by earlier tunebench versions (schema 1, schema 4) open and are upgraded in place; nothing is lost."""

import sqlite3
from pathlib import Path

import pytest

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.models import resolve_base_model
from tunebench.harness.core.store import SCHEMA_VERSION, Store, cache, runs, samples

V1 = """
CREATE TABLE meta ("key" VARCHAR NOT NULL, value VARCHAR, PRIMARY KEY ("key"));
CREATE TABLE runs (run_id VARCHAR NOT NULL, experiment VARCHAR, started_at VARCHAR, finished_at VARCHAR,
  status VARCHAR, spec_json TEXT, provenance_json TEXT, PRIMARY KEY (run_id));
CREATE INDEX ix_runs_experiment ON runs (experiment);
CREATE TABLE generations ("key" VARCHAR NOT NULL, model_sha VARCHAR, adapter_sha VARCHAR, prompt TEXT, output TEXT,
  settings_json TEXT, seconds FLOAT, created_at VARCHAR, PRIMARY KEY ("key"));
CREATE TABLE samples (run_id VARCHAR NOT NULL, variant VARCHAR NOT NULL, suite VARCHAR NOT NULL, split VARCHAR NOT NULL,
  item_id VARCHAR NOT NULL, generation_key VARCHAR, target_json TEXT, correct INTEGER, explanation TEXT,
  scores_json TEXT, PRIMARY KEY (run_id, variant, suite, split, item_id));
CREATE TABLE metrics (run_id VARCHAR NOT NULL, variant VARCHAR NOT NULL, suite VARCHAR NOT NULL, split VARCHAR NOT NULL,
  metric VARCHAR NOT NULL, value FLOAT, ci_low FLOAT, ci_high FLOAT, n INTEGER, explanation TEXT,
  PRIMARY KEY (run_id, variant, suite, split, metric));
CREATE TABLE training_log (adapter_key VARCHAR NOT NULL, step INTEGER NOT NULL, variant VARCHAR, epoch FLOAT,
  train_loss FLOAT, val_loss FLOAT, learning_rate FLOAT, seconds FLOAT, tokens_per_second FLOAT, peak_memory_mb FLOAT,
  PRIMARY KEY (adapter_key, step));
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO runs VALUES ('r1', 'e', 't0', 't1', 'complete', '{}', '{}');
INSERT INTO runs VALUES ('r2', 'e', 't2', NULL, 'running', '{}', '{}');
INSERT INTO generations VALUES ('abc', 'm', 'none', 'p', 'o', '{}', 0.5, 't0');
INSERT INTO generations VALUES ('probe:def', 'm', 'none', 'lm-eval', '{}', '{}', 2.0, 't0');
INSERT INTO generations VALUES ('judge:ghi', 'judge', 'judge', 'q', '{}', '{}', NULL, 't0');
INSERT INTO samples VALUES ('r1', 'v', 's', 'test', '1', 'abc', '{}', 1, 'ok', '{}');
"""


def test_v1_store_upgrades_in_place(tmp_path):
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as con:
        con.executescript(V1)
    store = Store(path)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    cached = store.frame(cache).set_index("key")
    assert cached.kind.to_dict() == {"abc": "generation", "probe:def": "probe", "judge:ghi": "judge"}
    assert store.cached_outputs(["abc"]) == {"abc": "o"}  # results stay; none is recomputed
    assert dict(zip(store.frame(runs).run_id, store.frame(runs).status)) == {"r1": "complete", "r2": "interrupted"}
    assert store.frame(samples).values_json.isna().all() and len(store.frame(samples)) == 1
    Store(path)  # opening again is a no-op


def test_newer_store_is_refused_without_a_change(tmp_path):
    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as con:
        con.executescript(V1.replace("'schema_version', '1'", "'schema_version', '99'"))
    before = path.read_bytes()
    with pytest.raises(BadInput, match="schema version 99"):
        Store(path)
    assert path.read_bytes() == before


def test_a_killed_process_is_noticed(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "store.sqlite"
    code = ("import os, sys; from tunebench.harness.core.store import Store; s = Store(sys.argv[1]); "
            "s.start_run('e', {}, {}); os._exit(0)")  # exits without finishing the run, like a SIGKILL
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert Store(path).frame(runs).status.tolist() == ["interrupted"]
    live = Store(path)
    live.start_run("e", {}, {})  # this process is alive: its run stays running
    assert sorted(Store(path).frame(runs).status) == ["interrupted", "running"]


FIXTURE = Path(__file__).parent / "fixtures" / "store_v4.sql"  # written by tunebench at 19cd379 (schema 4)


def _move_cache_to(path: Path, model_sha: str) -> None:
    """Check that every cached key is what the key function computes from the row's own parts (so the keys
    of 19cd379 are today's), then move the rows to ``model_sha``: the tiny model this machine builds.
    Its weights come from torch's seeded initialisation, whose CPU kernels differ in the last bits from one
    instruction set to another (the same build gave three content hashes: the fixture's machine, this AMD
    EPYC, and ATEN_CPU_CAPABILITY=default here), so the hash is this machine's, not necessarily the one of
    the machine that wrote the fixture (there the move changes nothing)."""
    import json

    from tunebench.harness.core.cache import cache_key

    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT key, kind, model_id, adapter_sha, prompt, settings_json FROM cache").fetchall()
        for key, kind, model_id, adapter_sha, prompt, settings in rows:
            parts = (adapter_sha, prompt, json.loads(settings))
            assert cache_key(kind, model_id, *parts) == key
            moved = cache_key(kind, model_sha, *parts)
            con.execute("UPDATE cache SET key = ?, model_id = ? WHERE key = ?", (moved, model_sha, key))
            con.execute("UPDATE samples SET cache_key = ? WHERE cache_key = ?", (moved, key))


def test_a_v4_store_migrates_to_v5_and_a_rerun_recomputes_nothing(tmp_path, tiny_model_dir, monkeypatch):
    """The fixture holds a run of two prompt variants on the IT suite (tiny model, 4 items per split,
    2 typo copies, 2 training items) made before schema 5; opening it migrates it in place, and the
    same experiment run again takes every generation from the migrated cache."""
    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.orchestration import cached_model
    from tunebench.harness.orchestration.pipeline import run_experiment
    from tests.conftest import write_spec

    path = tmp_path / "out" / "store.sqlite"
    path.parent.mkdir()
    with sqlite3.connect(path) as con:
        con.executescript(FIXTURE.read_text())
    store = Store(path)
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION) == "6"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "generations" not in tables and {"cache", "scorer_checks"} <= tables
    _move_cache_to(path, resolve_base_model(str(tiny_model_dir)).sha256)
    (old,) = store.runs()
    before = store.samples(old.run_id)
    assert len(before) == 24 and {s.split for s in before} == {"test", "safety", "train"}
    assert {s.perturbation for s in before} == {"", "typos"}
    assert all("cluster" not in s.target for s in before)
    scopes = {(m.scope.split, m.scope.perturbation, m.scope.group) for m in store.metric_rows(old.run_id)}
    assert scopes == {("test", "", ""), ("safety", "", ""), ("train", "", ""), ("test", "typos", ""),
                      ("", "", "overfitting"), ("", "", "robustness")}
    assert set(store.scorer_checks(old.run_id)) == {"json", "labels", "policy", "refusal", "similarity"}
    assert store.task_types(old.run_id) == {"it_tickets": "classification"}
    assert len(store.frame(cache)) == 24

    def no_generation(*args, **kwargs):
        raise AssertionError("a cached generation was recomputed")

    monkeypatch.setattr(cached_model, "generate_batch", no_generation)
    spec = write_spec(tmp_path / "v4.yaml", name="v4", base_model=str(tiny_model_dir), suites=["it_tickets"],
                      splits=["test", "safety"], eval_limit=4, robustness=["typos"], robustness_items=2,
                      overfitting_items=2, general_probe=None, generation_batch_size=8,
                      precision="fp32",  # what tunebench computed in at 19cd379 (bf16 results are keyed apart)
                      variants=[{"name": "zero-shot", "kind": "prompt"},
                                {"name": "few-shot", "kind": "prompt", "prompt": "few-shot", "k": 2}])
    again, run_id = run_experiment(load_spec(spec), tmp_path / "out")
    assert len(again.frame(cache)) == 24
    after = again.samples(run_id)
    assert sorted((s.variant, s.pair_key, s.cache_key, s.correct) for s in after) == \
        sorted((s.variant, s.pair_key, s.cache_key, s.correct) for s in before)
