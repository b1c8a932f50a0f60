"""The results store: SQLite through SQLAlchemy Core, with a versioned, migrated schema.

Every stage writes here and the report only reads. Cached results (generations, probe scores,
judge verdicts: ``kind``) are keyed by content hash and committed batch by batch, so an
interrupted evaluation loses nothing; the samples and metrics of one (variant, suite, split) are
written in one transaction, so nothing is ever half-written.

Opening a store checks that it is one: a file that is not SQLite, an SQLite file of another
program and a store written by a newer tunebench are bad input. A store of an older schema is
upgraded in place (``MIGRATIONS``), under an exclusive lock, in one transaction. Runs left
"running" by a process that no longer exists (killed, crashed) are marked "interrupted".
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd
from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from harness.core.cache import CacheKind, kind_of
from harness.core.errors import BadInput
from harness.core.metrics import MetricRow

SCHEMA_VERSION = 4
SQLITE_MAGIC = b"SQLite format 3\x00"
_DIALECT = sqlite_dialect.dialect()
metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", String))
runs = Table(
    "runs", metadata,
    Column("run_id", String, primary_key=True), Column("experiment", String, index=True),
    Column("started_at", String), Column("finished_at", String), Column("status", String),
    Column("spec_json", Text), Column("provenance_json", Text),
    Column("pid", Integer), Column("host", String),  # v2: who runs it, to tell a live run from a killed one
    Column("stages_json", Text),  # v4: wall time and peak memory per stage
)
generations = Table(  # the content-addressed cache (its name predates probe and judge rows)
    "generations", metadata,
    Column("key", String, primary_key=True), Column("model_sha", String), Column("adapter_sha", String),
    Column("prompt", Text), Column("output", Text), Column("settings_json", Text),
    Column("seconds", Float), Column("created_at", String),
    Column("kind", String),  # v2: generation | probe | judge
    Column("prompt_tokens", Integer), Column("output_tokens", Integer),  # v3: what a request costs
)
samples = Table(
    "samples", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("suite", String, primary_key=True), Column("split", String, primary_key=True),
    Column("item_id", String, primary_key=True), Column("generation_key", String),
    Column("target_json", Text), Column("correct", Integer), Column("explanation", Text),
    Column("scores_json", Text),
    Column("values_json", Text),  # v3: the sample's value for each aggregate metric (paired comparisons)
)
metrics = Table(
    "metrics", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("suite", String, primary_key=True), Column("split", String, primary_key=True),
    Column("metric", String, primary_key=True), Column("value", Float), Column("ci_low", Float),
    Column("ci_high", Float), Column("n", Integer), Column("explanation", Text),
)
run_suites = Table(  # v3: which suite files a run evaluated, by content hash
    "run_suites", metadata,
    Column("run_id", String, primary_key=True), Column("suite", String, primary_key=True),
    Column("folder", Text), Column("sha256", String), Column("files_json", Text),
)
run_adapters = Table(  # v3: the adapters a run evaluated, with their provenance (training cost included)
    "run_adapters", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("folder", Text), Column("sha256", String), Column("provenance_json", Text),
)
audits = Table(  # v3: dated audits of an experiment and their bundles
    "audits", metadata,
    Column("audit_id", String, primary_key=True), Column("experiment", String, index=True),
    Column("run_id", String), Column("created_at", String), Column("previous_audit_id", String),
    Column("bundle", Text), Column("manifest_sha256", String), Column("summary_json", Text),
)
comparisons = Table(  # v3: every compare, gate and audit comparison, as shown to the user
    "comparisons", metadata,
    Column("comparison_id", String, primary_key=True), Column("created_at", String), Column("kind", String),
    Column("a_ref", String), Column("b_ref", String), Column("outcome", String), Column("result_json", Text),
)
reviews = Table(  # v4: a person's verdict on a sample, next to the automatic scorers' (the report's Review page)
    "reviews", metadata,
    Column("review_id", String, primary_key=True), Column("run_id", String, index=True), Column("variant", String),
    Column("suite", String), Column("split", String), Column("item_id", String), Column("reviewer", String),
    Column("verdict", String), Column("comment", Text), Column("created_at", String),
    Column("scorer_verdict", String),  # what the automatic scorer said when the review was made
)
training_log = Table(
    "training_log", metadata,
    Column("adapter_key", String, primary_key=True), Column("step", Integer, primary_key=True),
    Column("variant", String), Column("epoch", Float), Column("train_loss", Float),
    Column("val_loss", Float), Column("learning_rate", Float), Column("seconds", Float),
    Column("tokens_per_second", Float), Column("peak_memory_mb", Float),
)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _v2(con: sqlite3.Connection) -> None:
    """v1 -> v2: a kind for every cached row; pid and host of the process running each run."""
    con.execute("ALTER TABLE generations ADD COLUMN kind TEXT")
    con.execute("UPDATE generations SET kind = CASE WHEN key LIKE 'probe:%' THEN 'probe' "
                "WHEN key LIKE 'judge:%' THEN 'judge' ELSE 'generation' END")
    con.execute("ALTER TABLE runs ADD COLUMN pid INTEGER")
    con.execute("ALTER TABLE runs ADD COLUMN host TEXT")
    # v1 recorded no process: a v1 run still "running" when its store is upgraded was cut short.
    con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")


def _v3(con: sqlite3.Connection) -> None:
    """v2 -> v3: per-sample metric values, token counts per request, suite hashes and adapters per run,
    audits and comparisons (their tables are created from the current schema)."""
    con.execute("ALTER TABLE samples ADD COLUMN values_json TEXT")
    con.execute("ALTER TABLE generations ADD COLUMN prompt_tokens INTEGER")
    con.execute("ALTER TABLE generations ADD COLUMN output_tokens INTEGER")
    for table in (run_suites, run_adapters, audits, comparisons):
        con.execute(str(CreateTable(table, if_not_exists=True).compile(dialect=_DIALECT)))
        for index in table.indexes:
            con.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=_DIALECT)))


def _v4(con: sqlite3.Connection) -> None:
    """v3 -> v4: per-stage timings of a run; reviews of samples."""
    con.execute("ALTER TABLE runs ADD COLUMN stages_json TEXT")
    con.execute(str(CreateTable(reviews, if_not_exists=True).compile(dialect=_DIALECT)))
    for index in reviews.indexes:
        con.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=_DIALECT)))


# version -> the step that upgrades a store from version - 1
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _v2, 3: _v3, 4: _v4}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _check_file(path: Path) -> None:
    """``BadInput`` unless ``path`` is absent, empty or an SQLite database."""
    if path.is_dir():
        raise BadInput("a folder, not a results store (a store is one SQLite file, e.g. tunebench-out/NAME/"
                       "store.sqlite)", file=path)
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as f:
            if f.read(16) != SQLITE_MAGIC:
                raise BadInput("not a tunebench results store: the file is not an SQLite database", file=path)


def _prepare(path: Path) -> None:
    """Create, validate or upgrade the schema of the store at ``path`` under an exclusive lock.

    Nothing is written to a file that turns out not to be a store (or a newer one): the checks
    come first, and WAL mode is switched on only afterwards.
    """
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            _create_or_upgrade(con, path)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


def _create_or_upgrade(con: sqlite3.Connection, path: Path) -> None:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        if tables:
            raise BadInput("an SQLite database, but not a tunebench results store (its tables: "
                           f"{', '.join(sorted(tables))})", file=path)
        for table in metadata.sorted_tables:
            con.execute(str(CreateTable(table, if_not_exists=True).compile(dialect=_DIALECT)))
            for index in table.indexes:
                con.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=_DIALECT)))
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        return
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    if version is None:
        raise BadInput("store has no readable schema_version in its meta table", file=path)
    if version > SCHEMA_VERSION:
        raise BadInput(f"store has schema version {version}, newer than this tunebench reads (up to "
                       f"{SCHEMA_VERSION}): upgrade tunebench to open it", file=path)
    for step in range(version + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[step](con)
    if version < SCHEMA_VERSION:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
    host = socket.gethostname()
    for run_id, pid in con.execute("SELECT run_id, pid FROM runs WHERE status = 'running' AND host = ?",
                                   (host,)).fetchall():
        if pid is not None and not _alive(pid):
            con.execute("UPDATE runs SET status = 'interrupted' WHERE run_id = ?", (run_id,))


class Store:
    """One SQLite file; safe to open from several processes (WAL, busy timeout).

    ``create=False`` opens an existing store only (the report, compare, gate): a missing file is
    bad input instead of a new empty store.
    """

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise BadInput("results store not found; run an experiment first (tunebench run EXPERIMENT.yaml), "
                           "or pass --store PATH", file=self.path)
        _check_file(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _prepare(self.path)
        except (OSError, sqlite3.OperationalError) as exc:
            why = getattr(exc, "strerror", None) or str(exc)
            raise BadInput(f"the results store cannot be opened for writing ({why}); choose a writable "
                           "folder (--out or --store)", file=self.path) from None
        except sqlite3.DatabaseError as exc:
            raise BadInput(f"not a tunebench results store: {exc}", file=self.path) from None
        self.engine = create_engine(f"sqlite:///{self.path}", connect_args={"timeout": 30})
        event.listen(self.engine, "connect", lambda conn, _: conn.execute("PRAGMA journal_mode=WAL"))

    # the content-addressed cache: generations, probe scores, judge verdicts
    def cached_outputs(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(keys)
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(generations.c.key, generations.c.output)
                                    .where(generations.c.key.in_(keys[i:i + 500])))
                found.update({k: o for k, o in rows})
        return found

    def put_cached(self, kind: CacheKind, rows: list[dict[str, Any]]) -> None:
        """Cache rows of one ``kind`` (key, model_sha, adapter_sha, prompt, output, settings_json, seconds)."""
        assert all(kind_of(r["key"]) == kind for r in rows), "a cache key of another kind"
        with self.engine.begin() as conn:
            conn.execute(insert(generations).prefix_with("OR IGNORE"),
                         [{**r, "kind": kind, "created_at": now()} for r in rows])

    # runs
    def start_run(self, experiment: str, spec: dict, provenance: dict) -> str:
        run_id = time.strftime("%Y%m%d-%H%M%S-", time.gmtime()) + uuid.uuid4().hex[:6]
        with self.engine.begin() as conn:
            conn.execute(insert(runs).values(
                run_id=run_id, experiment=experiment, started_at=now(), status="running",
                spec_json=json.dumps(spec), provenance_json=json.dumps(provenance), pid=os.getpid(),
                host=socket.gethostname()))
        return run_id

    def finish_run(self, run_id: str, status: str = "complete", stages: list[dict] | None = None) -> None:
        values = {"finished_at": now(), "status": status}
        if stages is not None:
            values["stages_json"] = json.dumps(stages)
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(**values))

    def add_review(self, row: dict) -> str:
        """Record a person's verdict on a sample (right | wrong) with their name, comment and time."""
        review_id = "review-" + time.strftime("%Y%m%d-%H%M%S-", time.gmtime()) + uuid.uuid4().hex[:6]
        with self.engine.begin() as conn:
            conn.execute(insert(reviews).values(review_id=review_id, created_at=now(), **row))
        return review_id

    def write_results(self, run_id: str, variant: str, suite: str, split: str,
                      sample_rows: list[dict], metric_rows: list[MetricRow]) -> None:
        """Samples and metrics of one (variant, suite, split), all or nothing."""
        key = {"run_id": run_id, "variant": variant, "suite": suite, "split": split}
        with self.engine.begin() as conn:
            for table in (samples, metrics):
                conn.execute(table.delete().where(*(table.c[k] == v for k, v in key.items())))
            if sample_rows:
                conn.execute(insert(samples), [{**key, **r} for r in sample_rows])
            if metric_rows:
                conn.execute(insert(metrics), [{**key, **r.as_row()} for r in metric_rows])

    def missing_token_counts(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """key -> (prompt, output) of cached generations that have no token counts yet (older stores)."""
        found = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(generations.c.key, generations.c.prompt, generations.c.output).where(
                    generations.c.key.in_(keys[i:i + 500]), generations.c.prompt_tokens.is_(None)))
                found.update({k: (p, o) for k, p, o in rows})
        return found

    def put_token_counts(self, counts: dict[str, tuple[int, int]]) -> None:
        """Record (prompt tokens, output tokens) of cached generations: metadata, the outputs stay as they are."""
        if not counts:
            return
        with self.engine.begin() as conn:
            conn.execute(update(generations).where(generations.c.key == bindparam("k")).values(
                prompt_tokens=bindparam("p"), output_tokens=bindparam("o")),
                [{"k": k, "p": p, "o": o} for k, (p, o) in counts.items()])

    def record_run_inputs(self, run_id: str, suites: list[dict], adapters: list[dict]) -> None:
        """What a run evaluated: suite folders with content hashes, adapters with their provenance."""
        with self.engine.begin() as conn:
            if suites:
                conn.execute(insert(run_suites).prefix_with("OR REPLACE"), [{"run_id": run_id, **s} for s in suites])
            if adapters:
                conn.execute(insert(run_adapters).prefix_with("OR REPLACE"), [{"run_id": run_id, **a} for a in adapters])

    def add_comparison(self, kind: str, a_ref: str, b_ref: str, outcome: str, result: dict) -> str:
        comparison_id = f"{kind}-" + time.strftime("%Y%m%d-%H%M%S-", time.gmtime()) + uuid.uuid4().hex[:6]
        with self.engine.begin() as conn:
            conn.execute(insert(comparisons).values(comparison_id=comparison_id, created_at=now(), kind=kind,
                                                    a_ref=a_ref, b_ref=b_ref, outcome=outcome,
                                                    result_json=json.dumps(result)))
        return comparison_id

    def add_audit(self, row: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(audits), [row])

    def add_training_log(self, rows: list[dict]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(training_log).prefix_with("OR REPLACE"), rows)

    # reading (the report and the CLI)
    def frame(self, table: Table, **where: Any) -> pd.DataFrame:
        query = select(table).where(*(table.c[k] == v for k, v in where.items()))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=list(table.c.keys()))

    def frame_generations(self, keys: list[str]) -> pd.DataFrame:
        """Prompt, output, seconds and token counts of the given cache keys."""
        names = ["key", "prompt", "output", "seconds", "prompt_tokens", "output_tokens"]
        cols = [generations.c[n] for n in names]
        parts = []
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(*cols).where(generations.c.key.in_(keys[i:i + 500])))
                parts.append(pd.DataFrame(rows.mappings().all(), columns=names))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)

    def runs_frame(self) -> pd.DataFrame:
        return self.frame(runs).sort_values("started_at", ascending=False, ignore_index=True)

    def latest_run_id(self, experiment: str | None = None, status: str = "complete") -> str | None:
        frame = self.runs_frame()
        frame = frame[frame.status == status]
        if experiment:
            frame = frame[frame.experiment == experiment]
        return None if frame.empty else str(frame.run_id.iloc[0])
