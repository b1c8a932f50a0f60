"""The results store: SQLAlchemy Core on an SQLite file or a database server such as PostgreSQL
(schema in ``schema.py``, upgrades in ``migrations.py``, server set-up in ``server.py``).

``Store(location)`` takes a file path (the default: the output folder's ``store.sqlite``) or a
SQLAlchemy URL (``postgresql+psycopg://user@host/db``), so a team can share one store across
machines; ``tunebench store copy`` moves a store between the two.

Every stage writes here and the report only reads. Cached results (``cache``: generations,
choices, probe scores, judge verdicts) are keyed by content hash and committed batch by batch, so
an interrupted evaluation loses nothing; the samples and metrics of one ``Scope`` are written in
one transaction, so nothing is ever half-written. Readers get typed rows (``Sample``,
``StoredMetric``, ``RunRecord``, ...) from ``reading.py``; the report's tables read DataFrames
(``frame``) whose JSON columns are already decoded.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import Table, bindparam, create_engine, event, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tunebench.harness.core.cache import CacheKind, kind_of
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store.migrations import check_file, prepare
from tunebench.harness.core.store.reading import Reading
from tunebench.harness.core.store.records import AdapterRecord, Scope, SuiteRecord
from tunebench.harness.core.store.schema import (
    audits,
    cache,
    comparisons,
    metrics,
    reviews,
    run_adapters,
    run_suites,
    runs,
    samples,
    scorer_checks,
    training_log,
)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _new_id(prefix: str = "") -> str:
    return prefix + time.strftime("%Y%m%d-%H%M%S-", time.gmtime()) + uuid.uuid4().hex[:6]


def is_url(location: str | Path) -> bool:
    """A SQLAlchemy URL (``dialect+driver://...``) rather than a file path."""
    return "://" in str(location)


class Store(Reading):
    """One SQLite file or one server database; safe to use from several processes at once (SQLite:
    WAL and a busy timeout; a server: its transactions).

    ``create=False`` opens an existing store only (the report, compare, gate): a missing file is
    bad input instead of a new empty store. ``path`` is the file's ``Path`` or the URL as given.
    """

    def __init__(self, path: str | Path, create: bool = True):
        if is_url(path):
            from tunebench.harness.core.store.server import open_server

            self.path = str(path)
            self.engine = open_server(self.path, create)
            return
        self.path = Path(path)
        if not create and not self.path.exists():
            raise BadInput("results store not found; run an experiment first (tunebench run EXPERIMENT.yaml), "
                           "or pass --store PATH", file=self.path)
        check_file(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            prepare(self.path)
        except (OSError, sqlite3.OperationalError) as exc:
            why = getattr(exc, "strerror", None) or str(exc)
            raise BadInput(f"the results store cannot be opened for writing ({why}); choose a writable "
                           "folder (--out or --store)", file=self.path) from None
        except sqlite3.DatabaseError as exc:
            raise BadInput(f"not a tunebench results store: {exc}", file=self.path) from None
        self.engine = create_engine(f"sqlite:///{self.path}", connect_args={"timeout": 30})
        event.listen(self.engine, "connect", lambda conn, _: conn.execute("PRAGMA journal_mode=WAL"))

    def _upsert(self, table: Table, replace: bool):
        """An INSERT that keeps (``replace=False``) or replaces the row already under the same primary key,
        in the store's dialect (SQLite and PostgreSQL both say ON CONFLICT)."""
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(table)
        keys = [c.name for c in table.primary_key.columns]
        if not replace:
            return stmt.on_conflict_do_nothing(index_elements=keys)
        return stmt.on_conflict_do_update(index_elements=keys, set_={c.name: stmt.excluded[c.name] for c in table.c
                                                                     if c.name not in keys})

    # the content-addressed cache: generations, choices, probe scores, judge verdicts
    def cached_outputs(self, keys: Iterable[str]) -> dict[str, str]:
        """key -> cached output text, for the keys that are cached."""
        keys = list(keys)
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(cache.c.key, cache.c.output).where(cache.c.key.in_(keys[i:i + 500])))
                found.update({k: o for k, o in rows})
        return found

    def cached_values(self, keys: Iterable[str]) -> dict[str, Any]:
        """key -> cached result decoded, for kinds whose output is a JSON value (choices, probe, judge)."""
        return {k: json.loads(v) for k, v in self.cached_outputs(keys).items()}

    def put_cached(self, kind: CacheKind, rows: list[dict[str, Any]]) -> None:
        """Cache rows of one ``kind`` (key, model_id, adapter_sha, prompt, output, settings_json, seconds,
        token counts); an ``output`` that is not text (a choice, a probe score) is stored as JSON."""
        assert all(kind_of(r["key"]) == kind for r in rows), "a cache key of another kind"
        rows = [{**r, "output": r["output"] if isinstance(r["output"], str) else json.dumps(r["output"]),
                 "kind": kind, "created_at": now()} for r in rows]
        with self.engine.begin() as conn:
            conn.execute(self._upsert(cache, replace=False), rows)

    def missing_token_counts(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """key -> (prompt, output) of cached generations that have no token counts yet (older stores)."""
        found = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(cache.c.key, cache.c.prompt, cache.c.output).where(
                    cache.c.key.in_(keys[i:i + 500]), cache.c.prompt_tokens.is_(None)))
                found.update({k: (p, o) for k, p, o in rows})
        return found

    def put_token_counts(self, counts: dict[str, tuple[int, int]]) -> None:
        """Record (prompt tokens, output tokens) of cached generations: metadata, the outputs stay as they are."""
        if not counts:
            return
        with self.engine.begin() as conn:
            conn.execute(update(cache).where(cache.c.key == bindparam("k")).values(
                prompt_tokens=bindparam("p"), output_tokens=bindparam("o")),
                [{"k": k, "p": p, "o": o} for k, (p, o) in counts.items()])

    # runs and their results
    def start_run(self, experiment: str, spec: dict, provenance: dict) -> str:
        run_id = _new_id()
        with self.engine.begin() as conn:
            conn.execute(insert(runs).values(
                run_id=run_id, experiment=experiment, started_at=now(), status="running", spec_json=spec,
                provenance_json=provenance, pid=os.getpid(), host=socket.gethostname()))
        return run_id

    def finish_run(self, run_id: str, status: str = "complete", stages: list[dict] | None = None) -> None:
        values: dict[str, Any] = {"finished_at": now(), "status": status}
        if stages is not None:
            values["stages_json"] = stages
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id).values(**values))

    def record_run_inputs(self, run_id: str, suites: list[SuiteRecord], adapters: list[AdapterRecord]) -> None:
        """What a run evaluated: suite folders with content hashes and task types, adapters with provenance."""
        with self.engine.begin() as conn:
            if suites:
                conn.execute(self._upsert(run_suites, replace=True),
                             [{"run_id": run_id, **s.to_row()} for s in suites])
            if adapters:
                conn.execute(self._upsert(run_adapters, replace=True),
                             [{"run_id": run_id, **a.to_row()} for a in adapters])

    def write_results(self, run_id: str, scope: Scope, sample_rows: list[Sample], metric_rows: list[MetricRow]
                      ) -> None:
        """Samples and metrics of one scope, all or nothing (a re-write replaces them)."""
        key = {"run_id": run_id, **scope.key()}
        sample_key = {k: v for k, v in key.items() if k != "metric_group"}
        assert all((s.variant, s.suite, s.split, s.perturbation) == (scope.variant, scope.suite, scope.split,
                                                                    scope.perturbation) for s in sample_rows)
        with self.engine.begin() as conn:
            conn.execute(metrics.delete().where(*(metrics.c[k] == v for k, v in key.items())))
            if not scope.group:
                conn.execute(samples.delete().where(*(samples.c[k] == v for k, v in sample_key.items())))
            if sample_rows:
                conn.execute(insert(samples), [{"run_id": run_id, **s.to_row()} for s in sample_rows])
            if metric_rows:
                conn.execute(insert(metrics), [{**key, **r.as_row()} for r in metric_rows])

    def write_scorer_checks(self, run_id: str, checks: dict[str, MetricRow]) -> None:
        """Each scorer's agreement with hand labels, as measured for this run."""
        with self.engine.begin() as conn:
            conn.execute(scorer_checks.delete().where(scorer_checks.c.run_id == run_id))
            if checks:
                conn.execute(insert(scorer_checks), [{"run_id": run_id, "scorer": name, **row.as_row()}
                                                     for name, row in checks.items()])

    # what people and later commands add
    def add_review(self, row: dict) -> str:
        """Record a person's verdict on a sample (right | wrong) with their name, comment and time,
        sealed after the last review (``review_chain.py``): reviews are only ever added."""
        from contextlib import nullcontext

        from filelock import FileLock
        from sqlalchemy import text

        from tunebench.harness.core.store.review_chain import GENESIS, review_hash

        review = {"perturbation": "", **row, "review_id": _new_id("review-"), "created_at": now()}
        server = self.engine.dialect.name == "postgresql"
        with (nullcontext() if server else FileLock(f"{self.path}.reviews.lock")), self.engine.begin() as conn:
            if server:
                conn.execute(text("SELECT pg_advisory_xact_lock(7406191)"))  # one writer of the chain at a time
            linked = select(reviews.c.previous_sha256).where(reviews.c.previous_sha256.is_not(None))
            head = conn.execute(select(reviews.c.sha256).where(reviews.c.sha256.is_not(None),
                                                               reviews.c.sha256.not_in(linked))).scalar()
            previous = head or GENESIS
            conn.execute(insert(reviews).values(**review, previous_sha256=previous,
                                                sha256=review_hash(previous, review)))
        return review["review_id"]

    def add_comparison(self, kind: str, a_ref: str, b_ref: str, outcome: str, result: dict) -> str:
        """A compare, gate or audit comparison as shown to the user (a: the baseline, b: the candidate)."""
        comparison_id = _new_id(f"{kind}-")
        with self.engine.begin() as conn:
            conn.execute(insert(comparisons).values(comparison_id=comparison_id, created_at=now(), kind=kind,
                                                    a_ref=a_ref, b_ref=b_ref, outcome=outcome,
                                                    result_json=result))
        return comparison_id

    def add_audit(self, row: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(audits), [row])

    def add_training_log(self, rows: list[dict]) -> None:
        with self.engine.begin() as conn:
            conn.execute(self._upsert(training_log, replace=True), rows)
