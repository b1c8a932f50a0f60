"""Opening a results store on a database server (PostgreSQL, by a SQLAlchemy URL).

The schema is created in one transaction under a server-side lock, so two runs starting at once on
an empty database create it once. A database with tables of another program, or a store written by
a newer tunebench, is bad input and nothing is written to it. Server stores begin at the current
schema version (older versions only ever existed as SQLite files, bar version 5, which gains the
review seal chain when opened: ``tunebench store copy`` moves an older file after opening it
upgrades it). As with a file, runs left "running" by a process of this
host that no longer exists are marked "interrupted" when the store is opened.
"""

from __future__ import annotations

import socket
from contextlib import contextmanager

from sqlalchemy import create_engine, inspect, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.store.migrations import _alive
from tunebench.harness.core.store.schema import SCHEMA_VERSION, meta, metadata, runs

LOCK_KEY = 7_406_190  # pg_advisory_xact_lock key: schema creation, one process at a time


def _hidden(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


@contextmanager
def _server_errors(url: str):
    """A database URL that cannot be opened, a server that cannot be reached or read: bad input
    naming the URL (without its password) and ``--store``."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except (ArgumentError, NoSuchModuleError) as exc:
        raise BadInput(f"not a database URL SQLAlchemy can open ({exc}); e.g. "
                       "postgresql+psycopg://USER@HOST:5432/DBNAME, or a file path", file=_hidden(url),
                       field="--store") from None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise BadInput(f"the database server cannot be reached or refused the connection ({reason})",
                       file=_hidden(url), field="--store") from None
    except SQLAlchemyError as exc:
        raise BadInput(f"the database cannot be read ({exc})", file=_hidden(url), field="--store") from None


def _tables(conn, url: str) -> set[str]:
    """The database's tables; BadInput when they are another program's."""
    tables = set(inspect(conn).get_table_names())
    if tables and "meta" not in tables:
        raise BadInput("a database, but not a tunebench results store (its tables: "
                       f"{', '.join(sorted(tables))})", file=_hidden(url))
    return tables


def _schema_version(conn) -> int | None:
    row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row and str(row[0]).isdigit() else None


def inspect_server(url: str) -> None:
    """BadInput unless the server answers and its database holds a readable store or no tables at all;
    writes nothing (``tunebench validate``)."""
    with _server_errors(url), create_engine(url, pool_pre_ping=True).connect() as conn:
        if "meta" in _tables(conn, url):
            version = _schema_version(conn)
            if version is None or version > SCHEMA_VERSION:
                raise BadInput(f"store has schema version {version}; this tunebench reads up to "
                               f"{SCHEMA_VERSION}", file=_hidden(url), field="--store")


def open_server(url: str, create: bool = True) -> Engine:
    """An engine on the store at ``url``, its schema created or checked."""
    with _server_errors(url):
        engine = create_engine(url, pool_pre_ping=True)
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            _create_or_check(conn, url, create)
    return engine


def _v6(conn) -> None:
    from tunebench.harness.core.store.review_chain import sealed_in_order

    conn.execute(text("ALTER TABLE reviews ADD COLUMN previous_sha256 VARCHAR"))
    conn.execute(text("ALTER TABLE reviews ADD COLUMN sha256 VARCHAR"))
    existing = [dict(r) for r in conn.execute(text("SELECT * FROM reviews")).mappings()]
    for review_id, previous, digest in sealed_in_order(existing):
        conn.execute(text("UPDATE reviews SET previous_sha256 = :p, sha256 = :s WHERE review_id = :i"),
                     {"p": previous, "s": digest, "i": review_id})


def _create_or_check(conn, url: str, create: bool) -> None:
    if "meta" not in _tables(conn, url):
        if not create:
            raise BadInput("no tunebench results store in this database yet; run an experiment with "
                           "--store URL first, or copy a store into it (tunebench store copy)", file=_hidden(url))
        metadata.create_all(conn)
        conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        return
    version = _schema_version(conn)
    if version == 5:  # the first server stores: add the review seal chain (as migrations._v6 does for files)
        _v6(conn)
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))
    elif version != SCHEMA_VERSION:
        newer = version is not None and version > SCHEMA_VERSION
        raise BadInput(f"store has schema version {version}; this tunebench reads {SCHEMA_VERSION}"
                       + (": upgrade tunebench to open it" if newer else ""), file=_hidden(url))
    host = socket.gethostname()
    for run_id, pid in conn.execute(select(runs.c.run_id, runs.c.pid).where(runs.c.status == "running",
                                                                            runs.c.host == host)).all():
        if pid is not None and not _alive(pid):
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(status="interrupted"))
