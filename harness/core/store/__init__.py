"""The results store: ``Store`` (write and read), its tables and its typed rows.

Layout: ``schema`` (tables, version), ``migrations`` (open, check, upgrade in place),
``records`` (typed rows), ``reading`` (the read API), ``store`` (``Store``).
"""

from tunebench.harness.core.store.records import AdapterRecord, RunRecord, Scope, StoredMetric, SuiteRecord
from tunebench.harness.core.store.schema import (
    METRIC_GROUPS,
    SCHEMA_VERSION,
    audits,
    cache,
    comparisons,
    meta,
    metadata,
    metrics,
    reviews,
    run_adapters,
    run_suites,
    runs,
    samples,
    scorer_checks,
    training_log,
)
from tunebench.harness.core.store.store import Store, now

__all__ = ["AdapterRecord", "METRIC_GROUPS", "RunRecord", "SCHEMA_VERSION", "Scope", "Store", "StoredMetric",
           "SuiteRecord", "audits", "cache", "comparisons", "meta", "metadata", "metrics", "now", "reviews",
           "run_adapters", "run_suites", "runs", "samples", "scorer_checks", "training_log"]
