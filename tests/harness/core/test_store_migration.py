"""A store written by tunebench before schema 2 opens and is upgraded in place; nothing is lost."""

import sqlite3

import pytest

from harness.core.errors import BadInput
from harness.core.store import SCHEMA_VERSION, Store, generations, runs, samples

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
    cache = store.frame(generations).set_index("key")
    assert cache.kind.to_dict() == {"abc": "generation", "probe:def": "probe", "judge:ghi": "judge"}
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
    code = ("import os, sys; from harness.core.store import Store; s = Store(sys.argv[1]); "
            "s.start_run('e', {}, {}); os._exit(0)")  # exits without finishing the run, like a SIGKILL
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert Store(path).frame(runs).status.tolist() == ["interrupted"]
    live = Store(path)
    live.start_run("e", {}, {})  # this process is alive: its run stays running
    assert sorted(Store(path).frame(runs).status) == ["interrupted", "running"]
