"""Copying a whole results store to another location: a file to a server and back.

The source is read as one consistent snapshot, even while a run writes to it: a file through SQLite's
online backup (into a temporary file, read from there), a server in one REPEATABLE READ transaction; and
the target is written in one transaction, so an interrupted copy leaves it empty. The target must
be new or empty: copying never merges two stores. Afterwards every table's row count is compared.
"""

from __future__ import annotations

import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Callable

from sqlalchemy import func, select

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.store.schema import meta, metadata
from tunebench.harness.core.store.store import Store, is_url

CHUNK = 2_000


def copy_store(source: str, target: str, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Every row of ``source`` into ``target`` (a file path or a SQLAlchemy URL); rows per table."""
    same = (source == target if is_url(source) or is_url(target)
            else Path(source).resolve() == Path(target).resolve())
    if same:
        raise BadInput("the target is the source: copy into a new file or an empty database", file=str(target),
                       field="DST")
    with tempfile.TemporaryDirectory(prefix="tunebench-copy-") as scratch:
        if not is_url(source):
            Store(source, create=False)  # bad input (missing, not a store) before anything is written
            snapshot = Path(scratch) / "snapshot.sqlite"
            with closing(sqlite3.connect(source, timeout=30)) as live, closing(sqlite3.connect(snapshot)) as copy:
                live.backup(copy)
            source_store = Store(snapshot, create=False)
        else:
            source_store = Store(source, create=False)
        return _copy(source_store, target, progress)


def _refuse_a_store_with_results(target: str) -> None:
    """A target file that already holds runs is refused before it is opened (opening a store may write it)."""
    if is_url(target) or not Path(target).is_file():
        return
    try:
        # immutable: no -wal or -shm file is made for this look (a store is read as the file holds it)
        with closing(sqlite3.connect(f"file:{Path(target).resolve()}?mode=ro&immutable=1", uri=True)) as con:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            held = "runs" in tables and con.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
    except sqlite3.DatabaseError:
        return  # not a store: Store() says so with the file named
    if held:
        raise BadInput("the target store already holds results; copy into a new file or an empty database "
                       "(a copy never merges two stores)", file=str(target), field="DST")


def _copy(src: Store, target: str, progress: Callable[[str, int], None] | None) -> dict[str, int]:
    _refuse_a_store_with_results(target)
    dst = Store(target)
    tables = [t for t in metadata.sorted_tables if t is not meta]
    with dst.engine.connect() as conn:
        if any(conn.execute(select(func.count()).select_from(t)).scalar() for t in tables):
            raise BadInput("the target store already holds results; copy into a new file or an empty database "
                           "(a copy never merges two stores)", file=str(target), field="DST")
    counts: dict[str, int] = {}
    reader = src.engine.connect()
    if src.engine.dialect.name == "postgresql":
        reader = reader.execution_options(isolation_level="REPEATABLE READ")
    with reader as read, read.begin(), dst.engine.begin() as write:
        for table in tables:
            counts[table.name] = 0
            rows = read.execution_options(yield_per=CHUNK).execute(select(table)).mappings()
            for chunk in rows.partitions(CHUNK):
                write.execute(table.insert(), [dict(r) for r in chunk])
                counts[table.name] += len(chunk)
                if progress:
                    progress(table.name, counts[table.name])
    with dst.engine.connect() as conn:
        landed = {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in tables}
    if landed != counts:
        wrong = {name: (counts[name], landed[name]) for name in counts if counts[name] != landed[name]}
        raise RuntimeError(f"store copy: row counts differ (source, target): {wrong}")
    return counts
