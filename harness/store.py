"""The results store: SQLite through SQLAlchemy Core, with a versioned schema.

Every stage writes here and the report only reads. Generations are cached by content hash and
committed batch by batch, so an interrupted evaluation loses nothing; the samples and metrics of
one (variant, suite, split) are written in one transaction, so nothing is ever half-written.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any, Iterable

import pandas as pd
from sqlalchemy import (Column, Float, Integer, MetaData, String, Table, Text, create_engine, event,
                        insert, select, update)
from sqlalchemy.exc import OperationalError

SCHEMA_VERSION = 1
metadata = MetaData()

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", String))
runs = Table(
    "runs", metadata,
    Column("run_id", String, primary_key=True), Column("experiment", String, index=True),
    Column("started_at", String), Column("finished_at", String), Column("status", String),
    Column("spec_json", Text), Column("provenance_json", Text),
)
generations = Table(
    "generations", metadata,
    Column("key", String, primary_key=True), Column("model_sha", String), Column("adapter_sha", String),
    Column("prompt", Text), Column("output", Text), Column("settings_json", Text),
    Column("seconds", Float), Column("created_at", String),
)
samples = Table(
    "samples", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("suite", String, primary_key=True), Column("split", String, primary_key=True),
    Column("item_id", String, primary_key=True), Column("generation_key", String),
    Column("target_json", Text), Column("correct", Integer), Column("explanation", Text),
    Column("scores_json", Text),
)
metrics = Table(
    "metrics", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("suite", String, primary_key=True), Column("split", String, primary_key=True),
    Column("metric", String, primary_key=True), Column("value", Float), Column("ci_low", Float),
    Column("ci_high", Float), Column("n", Integer), Column("explanation", Text),
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


class Store:
    """One SQLite file; safe to open from several processes (WAL, busy timeout)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(f"sqlite:///{self.path}", connect_args={"timeout": 30})
        event.listen(self.engine, "connect", lambda conn, _: conn.execute("PRAGMA journal_mode=WAL"))
        try:
            metadata.create_all(self.engine)
        except OperationalError as exc:  # another process created the tables first: they exist now
            if "already exists" not in str(exc):
                raise
            metadata.create_all(self.engine)
        with self.engine.begin() as conn:  # OR IGNORE: another process may be opening it right now
            conn.execute(insert(meta).prefix_with("OR IGNORE").values(key="schema_version",
                                                                       value=str(SCHEMA_VERSION)))
            row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
            if int(row[0]) > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} has schema {row[0]}; this tunebench reads up to "
                                   f"{SCHEMA_VERSION}: upgrade tunebench")

    # generations: the content-addressed cache
    def cached_outputs(self, keys: Iterable[str]) -> dict[str, str]:
        keys = list(keys)
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(generations.c.key, generations.c.output)
                                    .where(generations.c.key.in_(keys[i:i + 500])))
                found.update({k: o for k, o in rows})
        return found

    def put_generations(self, rows: list[dict[str, Any]]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(generations).prefix_with("OR IGNORE"),
                         [{**r, "created_at": now()} for r in rows])

    # runs
    def start_run(self, experiment: str, spec: dict, provenance: dict) -> str:
        run_id = time.strftime("%Y%m%d-%H%M%S-", time.gmtime()) + uuid.uuid4().hex[:6]
        with self.engine.begin() as conn:
            conn.execute(insert(runs).values(
                run_id=run_id, experiment=experiment, started_at=now(), status="running",
                spec_json=json.dumps(spec), provenance_json=json.dumps(provenance)))
        return run_id

    def finish_run(self, run_id: str, status: str = "complete") -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.run_id == run_id)
                         .values(finished_at=now(), status=status))

    def write_results(self, run_id: str, variant: str, suite: str, split: str,
                      sample_rows: list[dict], metric_rows: list[dict]) -> None:
        """Samples and metrics of one (variant, suite, split), all or nothing."""
        key = {"run_id": run_id, "variant": variant, "suite": suite, "split": split}
        with self.engine.begin() as conn:
            for table in (samples, metrics):
                conn.execute(table.delete().where(*(table.c[k] == v for k, v in key.items())))
            if sample_rows:
                conn.execute(insert(samples), [{**key, **r} for r in sample_rows])
            if metric_rows:
                conn.execute(insert(metrics), [{**key, **r} for r in metric_rows])

    def add_training_log(self, rows: list[dict]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(training_log).prefix_with("OR REPLACE"), rows)

    # reading (the report and the CLI)
    def frame(self, table: Table, **where: Any) -> pd.DataFrame:
        query = select(table).where(*(table.c[k] == v for k, v in where.items()))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=list(table.c.keys()))

    def frame_generations(self, keys: list[str]) -> pd.DataFrame:
        """Prompt and output of the given generation keys."""
        cols = [generations.c.key, generations.c.prompt, generations.c.output]
        parts = []
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(*cols).where(generations.c.key.in_(keys[i:i + 500])))
                parts.append(pd.DataFrame(rows.mappings().all(), columns=["key", "prompt", "output"]))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["key", "prompt", "output"])

    def runs_frame(self) -> pd.DataFrame:
        return self.frame(runs).sort_values("started_at", ascending=False, ignore_index=True)

    def latest_run_id(self, experiment: str | None = None, status: str = "complete") -> str | None:
        frame = self.runs_frame()
        frame = frame[frame.status == status]
        if experiment:
            frame = frame[frame.experiment == experiment]
        return None if frame.empty else str(frame.run_id.iloc[0])
