"""Killing an evaluation mid-way (SIGKILL) and re-running completes with every sample exactly once."""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tunebench.harness.core.store import Store, cache, runs, samples
from tests.conftest import write_spec


def test_sigkill_mid_evaluation_then_resume(tmp_path, tiny_model_dir, suite_copy):
    spec = write_spec(tmp_path / "kill.yaml", name="kill", base_model=str(tiny_model_dir),
                      suites=[str(suite_copy)], splits=["test", "ood"], robustness=[], overfitting_items=0,
                      general_probe=None,
                      generation_batch_size=1,  # one commit per generation: a kill lands mid-split
                      variants=[{"name": "zero-shot", "kind": "prompt"},
                                {"name": "few-shot", "kind": "prompt", "prompt": "few-shot", "k": 2}])
    out = tmp_path / "out"
    store_path = out / "store.sqlite"
    cmd = [sys.executable, "-m", "tunebench.harness.cli", "eval", str(spec), "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done_before = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if store_path.exists():  # read-only peek: the evaluating process owns the schema
            with contextlib.closing(sqlite3.connect(f"file:{store_path}?mode=ro", uri=True)) as db:
                try:
                    done_before = db.execute("SELECT COUNT(*) FROM cache").fetchone()[0]
                except sqlite3.OperationalError:  # tables not created yet
                    done_before = 0
            if done_before >= 30:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the evaluation finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed = Store(store_path)  # opening it notices the killed process: the run is marked interrupted
    before = killed.frame(cache).set_index("key")
    assert len(before) >= 30 and (killed.frame(runs).status == "interrupted").all()

    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = Store(store_path)
    run_id = store.latest_run_id("kill")
    rows = store.frame(samples, run_id=run_id)
    assert len(rows) == 2 * (40 + 40)
    assert not rows.duplicated(["variant", "split", "item_id"]).any()
    after = store.frame(cache).set_index("key")
    assert len(after) == rows.cache_key.nunique()
    # What was generated before the kill was kept, not recomputed.
    assert (after.loc[before.index, "created_at"] == before.created_at).all()
    assert sorted(store.frame(runs).status) == ["complete", "interrupted"]

