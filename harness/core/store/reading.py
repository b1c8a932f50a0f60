"""Reading the results store: typed rows for the code, DataFrames for the report's tables.

JSON columns come back decoded (``schema.Json``), so no reader parses stored JSON itself.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Table, select

from tunebench.harness.core.metrics import MetricRow
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.store.records import AdapterRecord, RunRecord, StoredMetric, SuiteRecord
from tunebench.harness.core.store.schema import cache, metrics, run_adapters, run_suites, runs, samples, scorer_checks


class Reading:
    """The read half of ``Store`` (it needs ``self.engine``)."""

    engine: Any

    def _rows(self, table: Table, **where: Any) -> list[Any]:
        query = select(table).where(*(table.c[k] == v for k, v in where.items() if v is not None))
        with self.engine.connect() as conn:
            return list(conn.execute(query).mappings())

    def frame(self, table: Table, **where: Any) -> pd.DataFrame:
        """Rows of ``table`` matching ``where`` (column = value) as a DataFrame, JSON columns decoded."""
        query = select(table).where(*(table.c[k] == v for k, v in where.items()))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=list(table.c.keys()))

    def frame_cache(self, keys: list[str]) -> pd.DataFrame:
        """Prompt, output, seconds and token counts of the given cache keys."""
        names = ["key", "prompt", "output", "seconds", "prompt_tokens", "output_tokens"]
        cols = [cache.c[n] for n in names]
        parts = []
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                rows = conn.execute(select(*cols).where(cache.c.key.in_(keys[i:i + 500])))
                parts.append(pd.DataFrame(rows.mappings().all(), columns=names))
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)

    def samples(self, run_id: str, variant: str | None = None, suite: str | None = None,
                split: str | None = None) -> list[Sample]:
        """The samples of a run (of one variant, suite, split where given), perturbed copies included."""
        return [Sample.from_row(r) for r in self._rows(samples, run_id=run_id, variant=variant, suite=suite,
                                                       split=split)]

    def metric_rows(self, run_id: str, variant: str | None = None, suite: str | None = None) -> list[StoredMetric]:
        """Every aggregate of a run (of one variant or suite where given), with its scope."""
        return [StoredMetric.from_row(r) for r in self._rows(metrics, run_id=run_id, variant=variant, suite=suite)]

    def scorer_checks(self, run_id: str) -> dict[str, MetricRow]:
        """Scorer -> its agreement with hand labels, as measured for the run."""
        return {r["scorer"]: StoredMetric.from_row({**r, "variant": "", "suite": "", "split": "",
                                                    "perturbation": "", "metric_group": ""}).row
                for r in self._rows(scorer_checks, run_id=run_id)}

    def runs(self) -> list[RunRecord]:
        """Every run, newest first."""
        return sorted((RunRecord.from_row(r) for r in self._rows(runs)), key=lambda r: r.started_at, reverse=True)

    def run(self, run_id: str) -> RunRecord:
        found = self._rows(runs, run_id=run_id)
        if not found:
            raise KeyError(f"no run {run_id!r} in the store")
        return RunRecord.from_row(found[0])

    def run_suites(self, run_id: str) -> list[SuiteRecord]:
        return [SuiteRecord.from_row(r) for r in self._rows(run_suites, run_id=run_id)]

    def run_adapters(self, run_id: str) -> list[AdapterRecord]:
        return [AdapterRecord.from_row(r) for r in self._rows(run_adapters, run_id=run_id)]

    def task_types(self, run_id: str) -> dict[str, str]:
        """Suite -> classification | extraction | generation, as recorded by the run."""
        return {s.suite: s.task_type for s in self.run_suites(run_id) if s.task_type}

    def runs_frame(self) -> pd.DataFrame:
        return self.frame(runs).sort_values("started_at", ascending=False, ignore_index=True)

    def latest_run_id(self, experiment: str | None = None, status: str = "complete") -> str | None:
        found = [r for r in self.runs() if r.status == status and (not experiment or r.experiment == experiment)]
        return found[0].run_id if found else None
