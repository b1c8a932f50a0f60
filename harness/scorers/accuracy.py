"""Classification accuracy: exact match on every label field, per-field accuracy and macro-F1."""

from __future__ import annotations

import json
from typing import Any

from sklearn.metrics import f1_score

from harness.prompts import parse_labels
from harness.stats import proportion_ci
from harness.suites import Suite


def explain(suite: Suite, item: dict[str, Any], parsed: dict[str, str | None]) -> str:
    """Why a sample is right or wrong, one clause per label field."""
    parts = []
    for field in suite.config.labels:
        got = parsed[field]
        if got is None:
            parts.append(f"{field}: no valid '{field.capitalize()}: <label>' in the output")
        elif got == item[field]:
            parts.append(f"{field}: {got} (correct)")
        else:
            parts.append(f"{field}: expected {item[field]}, got {got}")
    return "; ".join(parts)


def score_classification(suite: Suite, items: list[dict[str, Any]], outputs: list[str]
                         ) -> tuple[list[dict], list[dict]]:
    """Per-sample rows and metric rows (accuracy with a 95% Wilson interval, per-field accuracy,
    macro-F1 over the label set, and the rate of outputs in the expected format)."""
    labels = suite.config.labels
    sample_rows, parsed_all = [], []
    for item, output in zip(items, outputs, strict=True):
        parsed = parse_labels(suite, output)
        parsed_all.append(parsed)
        correct = all(parsed[f] == item[f] for f in labels)
        sample_rows.append({
            "item_id": item["id"], "target_json": json.dumps({f: item[f] for f in labels}),
            "parsed_json": json.dumps(parsed), "correct": int(correct),
            "explanation": explain(suite, item, parsed),
        })
    n = len(items)
    metric_rows = [_proportion("accuracy", sum(r["correct"] for r in sample_rows), n,
                               "all label fields correct")]
    valid = sum(all(p[f] is not None for f in labels) for p in parsed_all)
    metric_rows.append(_proportion("format_valid", valid, n, "every field parsed to a valid label"))
    for field, values in labels.items():
        truth = [i[field] for i in items]
        pred = [p[field] or "<invalid>" for p in parsed_all]
        hits = sum(t == p for t, p in zip(truth, pred))
        metric_rows.append(_proportion(f"accuracy.{field}", hits, n, f"{field} correct"))
        f1 = f1_score(truth, pred, labels=values, average="macro", zero_division=0) if n else float("nan")
        metric_rows.append({"metric": f"macro_f1.{field}", "value": float(f1), "ci_low": None,
                            "ci_high": None, "n": n,
                            "explanation": f"macro-F1 over {len(values)} {field} labels; invalid outputs count as wrong"})
    return sample_rows, metric_rows


def _proportion(metric: str, successes: int, n: int, what: str) -> dict:
    low, high = proportion_ci(successes, n)
    return {"metric": metric, "value": successes / n if n else float("nan"), "ci_low": low,
            "ci_high": high, "n": n, "explanation": f"{successes}/{n} {what}; 95% Wilson interval"}
