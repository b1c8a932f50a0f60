"""Read-only views of the store that every report page and the static export show.

One function per view, each returning a DataFrame built from stored rows only, so what the site
shows and what the export writes are the same numbers. The site wraps them in ``st.cache_data``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tunebench.harness.analysis.bundle import verify
from tunebench.harness.core import metric_table
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.metric_table import digits_of, section_of
from tunebench.harness.core.metrics import TRUSTED
from tunebench.harness.core.store import Store, audits, comparisons, metrics, reviews, run_suites, samples, training_log

# Report sections (title -> the splits or metric groups it shows) and the safety views' metrics: the
# metric table's (harness.core.metric_table). Every number traces to stored metric rows.
SECTIONS = metric_table.SECTION_SPLITS
SAFETY_METRICS = list(metric_table.SAFETY_METRICS)


def shown_split(split: str, perturbation: str = "", group: str = "") -> str:
    """A row's split as the report names it: the split ("test"), a perturbed copy of it ("test+typos"),
    or the metric group of an aggregate across splits ("overfitting", "robustness", "probe", "guard")."""
    return group or (f"{split}+{perturbation}" if perturbation else split)


def _shown(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``split`` column as the report names it (``shown_split``)."""
    groups = frame.metric_group if "metric_group" in frame else [""] * len(frame)
    frame = frame.copy()
    frame["split"] = [shown_split(s, p or "", g or "") for s, p, g in zip(frame.split, frame.perturbation, groups)]
    return frame


def open_store(path: str | Path) -> Store:
    return Store(path, create=False)


def run_list(store: Store) -> pd.DataFrame:
    """Complete and interrupted runs, newest first, with the audit each one belongs to (if any)."""
    frame = store.runs_frame()
    audited = store.frame(audits)[["run_id", "audit_id"]]
    return frame.merge(audited, on="run_id", how="left")


def metric_frame(store: Store, run_id: str) -> pd.DataFrame:
    """Every metric row of a run (scorer checks are apart: ``scorer_checks``), ``split`` as shown."""
    return _shown(store.frame(metrics, run_id=run_id))


def variants(store: Store, run_id: str) -> list[str]:
    return store.run(run_id).variants


def suites(store: Store, run_id: str) -> list[str]:
    frame = metric_frame(store, run_id)
    return sorted(s for s in frame.suite.unique() if s != "general_probe")


def leaderboard(store: Store, run_id: str, suite: str, split: str, metric: str) -> pd.DataFrame:
    """Variants on one (suite, split, metric) with value, interval and n, best first."""
    frame = metric_frame(store, run_id)
    rows = frame[(frame.suite == suite) & (frame.split == split) & (frame.metric == metric)]
    return rows[["variant", "value", "ci_low", "ci_high", "n", "explanation"]].sort_values(
        "value", ascending=False, na_position="last", ignore_index=True)


def metric_names(store: Store, run_id: str, suite: str, split: str) -> list[str]:
    frame = metric_frame(store, run_id)
    return sorted(frame[(frame.suite == suite) & (frame.split == split)].metric.unique())


def sample_table(store: Store, run_id: str, variant: str | None = None) -> pd.DataFrame:
    """Every sample (of one variant, or all) with its prompt, output and scores; ``split`` as shown, and
    the target, scores and values as readable text ("label: billing; priority: high"), not raw JSON."""
    frame = store.frame(samples, run_id=run_id) if variant is None else store.frame(samples, run_id=run_id,
                                                                                    variant=variant)
    frame = _shown(frame)
    for column in ("target_json", "scores_json", "values_json"):
        frame[column] = [None if v is None else readable(v) for v in frame[column]]
    gens = store.frame_cache(frame.cache_key.unique().tolist())
    return frame.merge(gens, left_on="cache_key", right_on="key", how="left").drop(columns=["key"])


def readable(value) -> str:
    """A stored JSON value as a reader reads it: "label: billing; priority: high", lists comma-joined,
    numbers as they are; never Python's "None" (an empty value reads "–")."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(readable(v) for v in value)
    if value is None:
        return "–"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def side_by_side(store: Store, run_id: str, a: str, b: str) -> pd.DataFrame:
    """Per item: A's and B's output and verdict next to each other (the A/B page)."""
    left, right = sample_table(store, run_id, a), sample_table(store, run_id, b)
    keep = ["suite", "split", "item_id", "target_json", "prompt", "output", "correct", "explanation", "scores_json"]
    merged = left[keep].merge(right[keep], on=["suite", "split", "item_id"], how="outer", suffixes=("_a", "_b"))
    merged["differs"] = merged.correct_a != merged.correct_b
    merged["violation"] = merged.scores_json_a.fillna("").str.contains("FAIL") | \
        merged.scores_json_b.fillna("").str.contains("FAIL")
    return merged


def training_curves(store: Store, run_id: str | None = None) -> pd.DataFrame:
    """Train and validation loss per step of the adapters the run used (all adapters when no run)."""
    frame = store.frame(training_log)
    if run_id is None:
        return frame
    keys = {a.provenance.get("adapter_key") for a in store.run_adapters(run_id)}
    return frame[frame.adapter_key.isin(keys)].reset_index(drop=True)


def adapters(store: Store, run_id: str) -> pd.DataFrame:
    """Each adapter the run used: provenance summary (hashes, data preparation, training)."""
    rows = []
    for row in store.run_adapters(run_id):
        p = row.provenance
        counts = p.get("data_counts", {})
        rows.append({"variant": row.variant, "adapter sha256": row.sha256[:16], "base model sha256":
                     str(p.get("base_model_sha256", ""))[:16], "data sha256": str(p.get("data_sha256", ""))[:16],
                     "train items": counts.get("train_items"), "train tokens": counts.get("train_tokens"),
                     "PII replaced (its items)": counts.get("pii_replaced"),
                     "anonymisation": p.get("data_preparation", {}).get("anonymize", ""),
                     "PII by type (its items)": ", ".join(
                         f"{kind} {n}" for kind, n in p.get("data_preparation", {}).get("pii_by_type", {}).items()),
                     "pool items": counts.get("pool_items"),
                     "contaminated dropped (pool)": counts.get("contaminated_dropped"),
                     "duplicates dropped (pool)": (counts.get("exact_duplicates_dropped") or 0)
                     + (counts.get("near_duplicates_dropped") or 0),
                     "steps": p.get("steps"), "best step": p.get("best_step"),
                     "val loss turned up at": p.get("val_loss_turned_up_at_step"),
                     "train seconds": p.get("train_seconds"), "versions": ", ".join(f"{k} {v}" for k, v in p.get("versions", {}).items()),
                     "trained at": p.get("trained_at")})
    return pd.DataFrame(rows)


def suite_hashes(store: Store, run_id: str) -> pd.DataFrame:
    return store.frame(run_suites, run_id=run_id)[["suite", "sha256", "folder"]]


def trends(store: Store, experiment: str, suite: str, split: str, metric: str) -> pd.DataFrame:
    """One metric of every variant across the complete runs (and audits) of an experiment, by date."""
    frame = run_list(store)
    frame = frame[(frame.experiment == experiment) & (frame.status == "complete")]
    parts = []
    for run in frame.itertuples():
        rows = metric_frame(store, run.run_id)
        rows = rows[(rows.suite == suite) & (rows.split == split) & (rows.metric == metric)]
        if not rows.empty:
            parts.append(rows.assign(started_at=run.started_at, audit=run.audit_id if isinstance(run.audit_id, str)
                                     else ""))
    if not parts:
        return pd.DataFrame(columns=["run_id", "variant", "value", "ci_low", "ci_high", "started_at", "audit"])
    out = pd.concat(parts, ignore_index=True)
    out["started_at"] = pd.to_datetime(out.started_at)
    return out[["run_id", "variant", "value", "ci_low", "ci_high", "n", "started_at", "audit"]]


def audit_list(store: Store, check: bool = True) -> pd.DataFrame:
    """Every audit with its bundle and whether the bundle is intact now (its hashes recomputed)."""
    rows = []
    for row in store.frame(audits).sort_values("created_at", ascending=False).itertuples():
        status = "not checked"
        if check:
            try:
                result = verify(Path(row.bundle))
                status = "intact" if result.ok else f"NOT intact: {result.mismatches[0]}"
            except BadInput:
                status = "bundle not found on this machine"
        summary = row.summary_json or {}
        rows.append({"audit": row.audit_id, "experiment": row.experiment, "run": row.run_id, "date": row.created_at,
                     "previous": row.previous_audit_id, "bundle": row.bundle, "manifest sha256": row.manifest_sha256,
                     "verification": status, "changes": "; ".join(summary.get("changes", [])),
                     "significant changes": len(summary.get("significant_changes", []))})
    return pd.DataFrame(rows)


def review_table(store: Store, run_id: str | None = None) -> pd.DataFrame:
    """The reviews (of one run, or all), newest first, ``split`` as shown."""
    frame = store.frame(reviews) if run_id is None else store.frame(reviews, run_id=run_id)
    frame = _shown(frame).drop(columns=["perturbation"])
    return frame.sort_values("created_at", ascending=False, ignore_index=True)


def scorer_checks(store: Store, run_id: str) -> pd.DataFrame:
    """Each scorer's agreement with hand labels as stored with the run, one row per scorer: on real
    outputs (flagged when its lower bound is below TRUSTED) and on hard cases. Runs stored before
    the representative sets have only the hard-case row, under the scorer's own name."""
    checks = store.scorer_checks(run_id)
    two_sets = any(name.endswith(":hard") for name in checks)
    rows = []
    for name, row in checks.items():
        if name.endswith(":hard"):
            continue
        hard = checks.get(f"{name}:hard") if two_sets else row
        real = row if two_sets else None
        rows.append({"scorer": name,
                     "real outputs [95% CI]": _agreement(real), "n real": real.n if real else None,
                     "hard cases [95% CI]": _agreement(hard), "n hard": hard.n if hard else None,
                     "status": ("trusted" if real and real.ci_low is not None and real.ci_low >= TRUSTED
                                else f"flagged (lower bound below {TRUSTED:.0%})" if real
                                else "flagged (run stored before real-output checks)")})
    return pd.DataFrame(rows, columns=["scorer", "real outputs [95% CI]", "n real", "hard cases [95% CI]", "n hard",
                                       "status"])


def _agreement(row) -> str:
    return "-" if row is None or row.value is None else f"{row.value:.3f} [{row.ci_low:.2f}, {row.ci_high:.2f}]"


def reviewer_agreement(store: Store, run_id: str | None = None) -> pd.DataFrame:
    """How often the automatic scorer agreed with the reviewers, per suite and scorer, with a Wilson
    interval: the reviews are the ground truth here. With ``run_id``: on that run's own outputs, each
    scorer named as the run scored the suite (labels, json, facts, similarity; refusal on safety)."""
    from tunebench.harness.core.metric_table import scorer_of
    from tunebench.harness.core.stats import proportion_ci

    frame = store.frame(reviews, **({"run_id": run_id} if run_id else {}))
    if frame.empty:
        return pd.DataFrame(columns=["suite", "scorer", "reviews", "agreement", "ci_low", "ci_high"])
    tasks = store.task_types(run_id) if run_id else {}

    def scorer(suite: str, split: str) -> str:
        if split == "safety":
            return "refusal detector"
        return scorer_of("accuracy", tasks.get(suite)) or "accuracy scorer"

    frame = frame.assign(agree=frame.verdict == frame.scorer_verdict,
                         scorer=[scorer(s, sp) for s, sp in zip(frame.suite, frame.split)])
    rows = []
    for (suite, scorer), part in frame.groupby(["suite", "scorer"]):
        low, high = proportion_ci(int(part.agree.sum()), len(part))
        rows.append({"suite": suite, "scorer": scorer, "reviews": len(part), "agreement": part.agree.mean(),
                     "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def comparison_history(store: Store) -> pd.DataFrame:
    return store.frame(comparisons).sort_values("created_at", ascending=False, ignore_index=True)


def stages(store: Store, run_id: str) -> list[dict]:
    return store.run(run_id).stages


def section_table(store: Store, run_id: str, splits: list[str], prefixes: tuple[str, ...]) -> pd.DataFrame:
    """Long form: one row per (suite, variant, split, metric), the cell "value [low, high]"."""
    frame = metric_frame(store, run_id)
    frame = frame[frame.split.isin(splits) & frame.metric.str.startswith(prefixes)]
    if frame.empty:
        return pd.DataFrame()

    def cell(row) -> str:
        if row.value is None or pd.isna(row.value):
            return "n/a"
        text = f"{row.value:.{digits_of(row.metric)}f}" if abs(row.value) < 1000 else f"{row.value:.0f}"
        if row.ci_low is not None and not pd.isna(row.ci_low):
            text += f" [{row.ci_low:.2f}, {row.ci_high:.2f}]"
        return text

    frame = frame.assign(cell=frame.apply(cell, axis=1))
    return frame[["suite", "variant", "split", "metric", "cell", "n", "explanation"]].sort_values(
        ["suite", "split", "metric", "variant"], ignore_index=True)


def section(store: Store, run_id: str, title: str) -> pd.DataFrame:
    """One report section (``SECTIONS``): its splits' rows of the metrics the metric table puts in it."""
    frame = section_table(store, run_id, list(SECTIONS[title]), ("",))
    return frame if frame.empty else frame[frame.metric.map(section_of) == title].reset_index(drop=True)
