"""The results store on a real PostgreSQL server (``tests/postgres.py``) and on an SQLite file: the same
behaviour, a copy between the two with its counts, many writers at once and a writer killed mid-run."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tunebench.harness.cli import app
from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store import Scope, Store, cache, metrics, run_suites, samples
from tunebench.harness.core.store.records import SuiteRecord

ROOT = Path(__file__).resolve().parents[3]


def _sample(item_id: str) -> Sample:
    return Sample("v", "s", "test", item_id, "k", target={"label": "a"}, correct=True, explanation="ok",
                  values={"accuracy": 1.0}, cluster="c1")


def _fill(store: Store) -> str:
    """A run with samples, metrics, a cache entry written twice, suite inputs recorded twice, a review."""
    run = store.start_run("e", {"variants": [{"name": "v", "kind": "prompt"}]}, {"base_model": "m"})
    entry = {"key": "a", "model_id": "m", "adapter_sha": "none", "prompt": "p", "output": "o", "settings_json": {},
             "seconds": 0.1}
    store.put_cached("generation", [entry])
    store.put_cached("generation", [{**entry, "output": "other"}])  # a cached result is never overwritten
    for sha in ("old", "new"):  # a re-recorded input replaces the first
        store.record_run_inputs(run, [SuiteRecord("s", "/suites/s", sha, {"test.jsonl": sha}, "classification")], [])
    store.write_results(run, Scope("v", "s", "test"), [_sample(str(i)) for i in range(5)],
                        [MetricRow.proportion("accuracy", 5, 5, "right")])
    store.add_review({"run_id": run, "variant": "v", "suite": "s", "split": "test", "item_id": "1",
                      "reviewer": "ada", "verdict": "right", "comment": "", "scorer_verdict": "right"})
    store.finish_run(run)
    return run


def _same_content(a: Store, b: Store, run: str) -> None:
    for table in (samples, metrics, cache):
        left, right = a.frame(table), b.frame(table)
        assert len(left) == len(right), table.name
    assert a.cached_outputs(["a"]) == b.cached_outputs(["a"]) == {"a": "o"}
    assert list(a.frame(run_suites).sha256) == list(b.frame(run_suites).sha256) == ["new"]
    assert [r.run_id for r in a.runs()] == [r.run_id for r in b.runs()] == [run]
    assert a.samples(run) == b.samples(run)


def test_a_server_store_behaves_as_a_file_store(postgres, tmp_path):
    file_store, server_store = Store(tmp_path / "s.sqlite"), Store(postgres.database("same"))
    run_file, run_server = _fill(file_store), _fill(server_store)
    assert file_store.samples(run_file) == server_store.samples(run_server)
    assert server_store.cached_outputs(["a"]) == {"a": "o"}
    assert list(server_store.frame(run_suites).sha256) == ["new"]
    again = Store(server_store.path, create=False)
    assert again.run(run_server).status == "complete" and len(again.frame(samples)) == 5


def test_copy_a_file_store_to_the_server_and_back(postgres, tmp_path):
    source = Store(tmp_path / "s.sqlite")
    run = _fill(source)
    url = postgres.database("copied")
    runner = CliRunner()
    to_server = runner.invoke(app, ["store", "copy", str(source.path), url])
    assert to_server.exit_code == 0, to_server.output
    assert "samples" in to_server.output and "rows:" in to_server.output
    _same_content(source, Store(url, create=False), run)
    back = tmp_path / "back.sqlite"
    assert runner.invoke(app, ["store", "copy", url, str(back)]).exit_code == 0
    _same_content(source, Store(back, create=False), run)
    again = runner.invoke(app, ["store", "copy", str(source.path), url])  # never merges into a store with results
    assert again.exit_code == 2 and "already holds results" in again.output
    assert len(Store(url).frame(samples)) == 5


def test_an_unreachable_or_foreign_server_is_bad_input(postgres, tmp_path):
    runner = CliRunner()
    down = runner.invoke(app, ["compare", "a", "b", "--store", "postgresql+psycopg://nobody@127.0.0.1:1/x"])
    assert down.exit_code == 2 and "cannot be reached" in down.output
    missing = runner.invoke(app, ["compare", "a", "b", "--store", postgres.database("empty")])
    assert missing.exit_code == 2 and "no tunebench results store in this database" in missing.output


WRITER = textwrap.dedent('''
    import sys, time
    from tunebench.harness.core.metrics import MetricRow
    from tunebench.harness.core.sample import Sample
    from tunebench.harness.core.store import Scope, Store
    store = Store(sys.argv[1])
    run = store.start_run("e", {}, {})
    print(run, flush=True)
    for i in range(int(sys.argv[2])):
        rows = [Sample("v", f"s{i}", "test", str(k), "k", target={}, correct=True, explanation="",
                       values={"accuracy": 1.0}) for k in range(20)]
        store.write_results(run, Scope("v", f"s{i}", "test"), rows, [MetricRow.proportion("accuracy", 20, 20, "")])
        store.put_cached("generation", [{"key": f"{run}-{i}", "model_id": "m", "adapter_sha": "none",
                                         "prompt": "p", "output": "o", "settings_json": {}, "seconds": 0.0}])
        time.sleep(float(sys.argv[3]))
    store.finish_run(run)
''')


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_at_once_and_one_killed(backend, request, tmp_path):
    """Two runs write one store at once; one is SIGKILLed mid-run. The finished one has every row once;
    the killed one keeps what it wrote and is marked interrupted when the store is next opened; a copy
    taken while it writes holds whole scopes."""
    from tunebench.harness.core.store.copy import copy_store

    location = (str(tmp_path / "s.sqlite") if backend == "sqlite"
                else request.getfixturevalue("postgres").database("writers"))
    Store(location)  # created once, before the writers race
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.Popen([sys.executable, "-c", WRITER, location, "30", "0.01"], stdout=subprocess.PIPE,
                            text=True, env=env)
    killed = subprocess.Popen([sys.executable, "-c", WRITER, location, "1000", "0.05"], stdout=subprocess.PIPE,
                              text=True, env=env)
    killed_run = killed.stdout.readline().strip()
    done_run = done.stdout.readline().strip()
    assert done.wait(timeout=120) == 0
    store = Store(location, create=False)
    while len(store.frame(metrics, run_id=killed_run)) < 3:
        time.sleep(0.1)
    snapshot = Store(copy_store(location, str(tmp_path / "copy.sqlite")) and tmp_path / "copy.sqlite")
    copied = len(snapshot.frame(metrics, run_id=killed_run))  # taken while the run writes: whole scopes only
    assert copied >= 3 and len(snapshot.frame(samples, run_id=killed_run)) == 20 * copied
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=30)
    store = Store(location, create=False)  # opening marks runs of dead processes on this host
    assert store.run(done_run).status == "complete" and store.run(killed_run).status == "interrupted"
    finished = store.frame(samples, run_id=done_run)
    assert len(finished) == 30 * 20 and not finished.duplicated(["suite", "item_id"]).any()
    partial = store.frame(metrics, run_id=killed_run)
    assert len(partial) >= 3 and len(store.frame(samples, run_id=killed_run)) == 20 * len(partial)


def test_eval_compare_and_report_on_a_server_store(postgres, tmp_path, tiny_model_dir, suite_copy):
    """A real evaluation (tiny model) writes to the server with --store; compare and the static report
    read it back from the same URL; no store file is made."""
    from tests.conftest import write_spec

    spec = write_spec(tmp_path / "e.yaml", name="shared", base_model=str(tiny_model_dir), suites=[str(suite_copy)],
                      splits=["test"], eval_limit=8, robustness=[], overfitting_items=0, general_probe=None,
                      variants=[{"name": "zero-shot", "kind": "prompt"}, {"name": "few-shot", "kind": "prompt",
                                                                         "prompt": "few-shot", "k": 2}])
    url = postgres.database("shared")
    runner = CliRunner()
    ran = runner.invoke(app, ["eval", str(spec), "--out", str(tmp_path / "out"), "--store", url])
    assert ran.exit_code == 0, ran.output
    assert not list((tmp_path / "out").rglob("*.sqlite"))
    shown = runner.invoke(app, ["compare", "zero-shot", "few-shot", "--store", url, "--json"])
    assert shown.exit_code == 0 and '"n": 8' in shown.output
    exported = runner.invoke(app, ["report", "--store", url, "--export", str(tmp_path / "site")])
    assert exported.exit_code == 0 and (tmp_path / "site" / "index.html").is_file()


def test_a_schema_5_server_store_gains_the_review_seal_chain(postgres):
    """Server stores began at schema 5 (no review seals): opening one seals its reviews in order."""
    from sqlalchemy import create_engine, text

    from tunebench.harness.core.store import SCHEMA_VERSION, reviews
    from tunebench.harness.core.store.review_chain import chain_problems

    url = postgres.database("schema5")
    Store(url)
    with create_engine(url).begin() as conn:  # as a schema-5 store looked, with two reviews
        conn.execute(text("ALTER TABLE reviews DROP COLUMN previous_sha256"))
        conn.execute(text("ALTER TABLE reviews DROP COLUMN sha256"))
        for i in range(2):
            conn.execute(text("INSERT INTO reviews (review_id, run_id, verdict, created_at, perturbation) "
                              f"VALUES ('r{i}', 'run', 'right', '2026-01-0{i + 1}T00:00:00Z', '')"))
        conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    upgraded = Store(url, create=False)
    rows = upgraded.frame(reviews).astype(object).to_dict(orient="records")
    assert chain_problems(rows) == [] and all(r["sha256"] for r in rows)
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT value FROM meta")).scalar() == str(SCHEMA_VERSION)
