"""The results store's tables (schema version 5), one word per column.

- ``cache``: content-addressed results (``kind``: generation, choices, probe, judge), keyed by
  ``tunebench.harness.core.cache.cache_key``; ``model_id`` is the one model identity that every key holds.
- ``samples``: one row per ``tunebench.harness.core.sample.Sample``; ``split`` is a real suite split,
  ``perturbation`` names a perturbed copy of a test item ('' for the item as written).
- ``metrics``: one row per aggregate (``MetricRow``) of one (variant, suite) and either one split
  (``metric_group`` '') or a group computed across splits (``metric_group`` overfitting,
  robustness, guard, probe; then ``split`` is '').
- ``scorer_checks``: each scorer's agreement with hand labels, measured at the start of a run.
- ``runs``, ``run_suites`` (with the suite's task type), ``run_adapters``, ``audits``,
  ``comparisons``, ``reviews``, ``training_log``: provenance and history.

Columns ending in ``_json`` hold JSON and are read back decoded (SQLAlchemy's ``JSON`` type).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Integer, MetaData, String, Table, Text

SCHEMA_VERSION = 6
METRIC_GROUPS = ("overfitting", "robustness", "guard", "probe")  # aggregates across a suite's splits
metadata = MetaData()
Json = JSON(none_as_null=True)

meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", String))
runs = Table(
    "runs", metadata,
    Column("run_id", String, primary_key=True), Column("experiment", String, index=True),
    Column("started_at", String), Column("finished_at", String), Column("status", String),
    Column("spec_json", Json), Column("provenance_json", Json),
    Column("pid", Integer), Column("host", String),  # who runs it, to tell a live run from a killed one
    Column("stages_json", Json),  # wall time and peak memory per stage
)
cache = Table(
    "cache", metadata,
    Column("key", String, primary_key=True), Column("kind", String), Column("model_id", String),
    Column("adapter_sha", String), Column("prompt", Text), Column("output", Text), Column("settings_json", Json),
    Column("seconds", Float), Column("created_at", String),
    Column("prompt_tokens", Integer), Column("output_tokens", Integer),  # what a request costs
)
samples = Table(
    "samples", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("suite", String, primary_key=True), Column("split", String, primary_key=True),
    Column("perturbation", String, primary_key=True), Column("item_id", String, primary_key=True),
    Column("cache_key", String), Column("target_json", Json), Column("cluster", String), Column("correct", Integer),
    Column("explanation", Text), Column("scores_json", Json), Column("values_json", Json),
)
metrics = Table(
    "metrics", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("suite", String, primary_key=True), Column("split", String, primary_key=True),
    Column("perturbation", String, primary_key=True), Column("metric_group", String, primary_key=True),
    Column("metric", String, primary_key=True), Column("value", Float), Column("ci_low", Float),
    Column("ci_high", Float), Column("n", Integer), Column("explanation", Text),
)
scorer_checks = Table(
    "scorer_checks", metadata,
    Column("run_id", String, primary_key=True), Column("scorer", String, primary_key=True),
    Column("metric", String), Column("value", Float), Column("ci_low", Float), Column("ci_high", Float),
    Column("n", Integer), Column("explanation", Text),
)
run_suites = Table(  # which suite files a run evaluated, by content hash, and the suite's task type
    "run_suites", metadata,
    Column("run_id", String, primary_key=True), Column("suite", String, primary_key=True),
    Column("folder", Text), Column("sha256", String), Column("files_json", Json), Column("task_type", String),
)
run_adapters = Table(  # the adapters a run evaluated, with their provenance (training cost included)
    "run_adapters", metadata,
    Column("run_id", String, primary_key=True), Column("variant", String, primary_key=True),
    Column("folder", Text), Column("sha256", String), Column("provenance_json", Json),
)
audits = Table(  # dated audits of an experiment and their bundles
    "audits", metadata,
    Column("audit_id", String, primary_key=True), Column("experiment", String, index=True),
    Column("run_id", String), Column("created_at", String), Column("previous_audit_id", String),
    Column("bundle", Text), Column("manifest_sha256", String), Column("summary_json", Json),
)
comparisons = Table(  # every compare, gate and audit comparison, as shown to the user
    "comparisons", metadata,
    Column("comparison_id", String, primary_key=True), Column("created_at", String), Column("kind", String),
    Column("a_ref", String), Column("b_ref", String), Column("outcome", String), Column("result_json", Json),
)
reviews = Table(  # a person's verdict on a sample, next to the automatic scorers' (the report's Review page)
    "reviews", metadata,
    Column("review_id", String, primary_key=True), Column("run_id", String, index=True), Column("variant", String),
    Column("suite", String), Column("split", String), Column("perturbation", String), Column("item_id", String),
    Column("reviewer", String), Column("verdict", String), Column("comment", Text), Column("created_at", String),
    Column("scorer_verdict", String),  # what the automatic scorer said when the review was made
    Column("previous_sha256", String), Column("sha256", String),  # the seal chain (review_chain.py)
)
training_log = Table(
    "training_log", metadata,
    Column("adapter_key", String, primary_key=True), Column("step", Integer, primary_key=True),
    Column("variant", String), Column("epoch", Float), Column("train_loss", Float),
    Column("val_loss", Float), Column("learning_rate", Float), Column("seconds", Float),
    Column("tokens_per_second", Float), Column("peak_memory_mb", Float),
)
