"""Opening a results store file: create it, or check it and upgrade its schema in place.

A file that is not SQLite, an SQLite file of another program and a store written by a newer
tunebench are bad input, and nothing is written to them. A store of an older schema is upgraded
under an exclusive lock, in one transaction (``MIGRATIONS``: version -> the step from version - 1),
so a crash mid-way leaves it as it was. Runs left "running" by a process of this host that no
longer exists (killed, crashed) are marked "interrupted".
"""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path
from typing import Callable

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.store.schema import (
    METRIC_GROUPS,
    SCHEMA_VERSION,
    audits,
    comparisons,
    metadata,
    metrics,
    run_adapters,
    samples,
    scorer_checks,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
_DIALECT = sqlite_dialect.dialect()
SCORERS_PSEUDO_VARIANT = "(scorer checks)"  # where schema 4 and earlier kept the scorer checks


def _create(con: sqlite3.Connection, table: Table, name: str | None = None) -> None:
    """Create ``table`` (under ``name``, for a rebuild) with its indexes, if it does not exist."""
    ddl = str(CreateTable(table, if_not_exists=True).compile(dialect=_DIALECT))
    if name:
        ddl = ddl.replace(f"CREATE TABLE IF NOT EXISTS {table.name} ", f"CREATE TABLE IF NOT EXISTS {name} ", 1)
    con.execute(ddl)
    if not name:
        for index in table.indexes:
            con.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=_DIALECT)))


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
    audits and comparisons."""
    con.execute("ALTER TABLE samples ADD COLUMN values_json TEXT")
    con.execute("ALTER TABLE generations ADD COLUMN prompt_tokens INTEGER")
    con.execute("ALTER TABLE generations ADD COLUMN output_tokens INTEGER")
    con.execute("CREATE TABLE IF NOT EXISTS run_suites (run_id VARCHAR NOT NULL, suite VARCHAR NOT NULL, folder TEXT, "
                "sha256 VARCHAR, files_json TEXT, PRIMARY KEY (run_id, suite))")
    for table in (run_adapters, audits, comparisons):
        _create(con, table)


def _v4(con: sqlite3.Connection) -> None:
    """v3 -> v4: per-stage timings of a run; reviews of samples."""
    con.execute("ALTER TABLE runs ADD COLUMN stages_json TEXT")
    con.execute("CREATE TABLE IF NOT EXISTS reviews (review_id VARCHAR NOT NULL, run_id VARCHAR, variant VARCHAR, "
                "suite VARCHAR, split VARCHAR, item_id VARCHAR, reviewer VARCHAR, verdict VARCHAR, comment TEXT, "
                "created_at VARCHAR, scorer_verdict VARCHAR, PRIMARY KEY (review_id))")
    con.execute("CREATE INDEX IF NOT EXISTS ix_reviews_run_id ON reviews (run_id)")


_SPLIT = "CASE WHEN instr(split, '+') > 0 THEN substr(split, 1, instr(split, '+') - 1) ELSE split END"
_PERTURBATION = "CASE WHEN instr(split, '+') > 0 THEN substr(split, instr(split, '+') + 1) ELSE '' END"
_GROUPS = "(" + ", ".join(f"'{g}'" for g in METRIC_GROUPS) + ")"


def _v5(con: sqlite3.Connection) -> None:
    """v4 -> v5: words that mean one thing.

    The cache table is called ``cache`` and its model column ``model_id``; ``split`` holds suite
    splits only: a perturbed copy ``test+typos`` becomes split ``test``, perturbation ``typos``, and
    the metric groups (overfitting, robustness, guard, probe) move to ``metric_group``; the item's
    cluster leaves the target for a column of its own; scorer checks leave the pseudo-variant
    "(scorer checks)" for their own table; each suite of a run gets its task type, read once here
    from the metrics its samples produced (what every reader guessed until v4)."""
    con.execute("ALTER TABLE generations RENAME TO cache")
    con.execute("ALTER TABLE cache RENAME COLUMN model_sha TO model_id")
    _create(con, samples, "samples_v5")
    con.execute(f"INSERT INTO samples_v5 SELECT run_id, variant, suite, {_SPLIT}, {_PERTURBATION}, item_id, "
                "generation_key, json_remove(target_json, '$.cluster'), "
                "CAST(json_extract(target_json, '$.cluster') AS TEXT), correct, explanation, scores_json, values_json "
                "FROM samples")
    _create(con, metrics, "metrics_v5")
    con.execute(f"INSERT INTO metrics_v5 SELECT run_id, variant, suite, "
                f"CASE WHEN split IN {_GROUPS} THEN '' ELSE {_SPLIT} END, "
                f"CASE WHEN split IN {_GROUPS} THEN '' ELSE {_PERTURBATION} END, "
                f"CASE WHEN split IN {_GROUPS} THEN split ELSE '' END, "
                "metric, value, ci_low, ci_high, n, explanation FROM metrics WHERE variant != ?",
                (SCORERS_PSEUDO_VARIANT,))
    _create(con, scorer_checks)
    con.execute("INSERT INTO scorer_checks SELECT run_id, suite, metric, value, ci_low, ci_high, n, explanation "
                "FROM metrics WHERE variant = ?", (SCORERS_PSEUDO_VARIANT,))
    for table in ("samples", "metrics"):
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}_v5 RENAME TO {table}")
    con.execute("ALTER TABLE run_suites ADD COLUMN task_type TEXT")
    has = "EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = run_suites.run_id AND m.suite = run_suites.suite " \
          "AND m.metric = '{}')"
    con.execute(f"UPDATE run_suites SET task_type = CASE WHEN {has.format('field_f1')} THEN 'extraction' "
                f"WHEN {has.format('semantic_similarity')} THEN 'generation' ELSE 'classification' END")
    con.execute("ALTER TABLE reviews ADD COLUMN perturbation TEXT NOT NULL DEFAULT ''")
    con.execute(f"UPDATE reviews SET perturbation = {_PERTURBATION}, split = {_SPLIT} WHERE instr(split, '+') > 0")


def _v6(con: sqlite3.Connection) -> None:
    """v5 -> v6: reviews sealed in a hash chain (each review's hash covers the previous one's)."""
    from tunebench.harness.core.store.review_chain import sealed_in_order

    con.execute("ALTER TABLE reviews ADD COLUMN previous_sha256 VARCHAR")
    con.execute("ALTER TABLE reviews ADD COLUMN sha256 VARCHAR")
    cursor = con.execute("SELECT * FROM reviews")
    names = [d[0] for d in cursor.description]
    for review_id, previous, digest in sealed_in_order([dict(zip(names, row)) for row in cursor.fetchall()]):
        con.execute("UPDATE reviews SET previous_sha256 = ?, sha256 = ? WHERE review_id = ?",
                    (previous, digest, review_id))


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def check_file(path: Path) -> None:
    """``BadInput`` unless ``path`` is absent, empty or an SQLite database."""
    if path.is_dir():
        raise BadInput("a folder, not a results store (a store is one SQLite file, e.g. tunebench-out/NAME/"
                       "store.sqlite)", file=path)
    if path.is_file() and path.stat().st_size:
        with open(path, "rb") as f:
            if f.read(16) != SQLITE_MAGIC:
                raise BadInput("not a tunebench results store: the file is not an SQLite database", file=path)


def prepare(path: Path) -> None:
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
            _create(con, table)
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
