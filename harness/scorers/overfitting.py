"""Overfitting: the gaps a careful ML team looks at, from stored scores and training telemetry.

- train/test accuracy gap and test/ood accuracy gap (same variant, same suite);
- train/val loss gap at the best checkpoint and the step where validation loss turned up;
- verbatim memorisation: share of training items whose greedy continuation reproduces the
  training completion exactly;
- canary exposure (Carlini et al. 2019): log2 |R| - log2 rank of each planted secret among all
  candidates, estimated from a random sample of candidates.
"""

from __future__ import annotations

import math

from tunebench.harness.core.metrics import MetricRow


def memorised(outputs: list[str], completions: list[str]) -> tuple[int, int]:
    """(items reproduced verbatim, items): whitespace-normalised exact match with the completion."""
    same = sum(" ".join(o.split()) == " ".join(c.split()) for o, c in zip(outputs, completions, strict=True))
    return same, len(outputs)


def exposure(rank: float, space: int) -> float:
    """Exposure in bits of a secret ranked ``rank`` (1 = most likely) among ``space`` candidates."""
    return math.log2(space) - math.log2(rank)


def summary(accuracy: dict[str, tuple[float, int]], provenance: dict | None,
            memorised_counts: tuple[int, int] | None, exposures: list[dict]) -> list[MetricRow]:
    rows = []
    if "train" in accuracy and "test" in accuracy:
        gap = accuracy["train"][0] - accuracy["test"][0]
        rows.append(MetricRow.point("overfit.train_test_gap", gap, accuracy["test"][1],
                         f"train accuracy {accuracy['train'][0]:.3f} (first {accuracy['train'][1]} items) minus "
                         f"test accuracy {accuracy['test'][0]:.3f}; large = memorised, not learned"))
    if "ood" in accuracy and "test" in accuracy:
        gap = accuracy["test"][0] - accuracy["ood"][0]
        rows.append(MetricRow.point("overfit.test_ood_gap", gap, accuracy["ood"][1],
                         f"test accuracy {accuracy['test'][0]:.3f} minus ood accuracy {accuracy['ood'][0]:.3f}"))
    if memorised_counts:
        rows.append(MetricRow.proportion("overfit.memorisation_rate", *memorised_counts,
                                      "training completions reproduced verbatim from the training prompt"))
    if provenance:
        history = provenance.get("loss_history", [])
        best = provenance.get("best_step")
        at_best = next((r for r in history if r["step"] == best and r.get("val_loss") is not None), None)
        train_near = [r["train_loss"] for r in history if r.get("train_loss") is not None
                      and best is not None and abs(r["step"] - best) <= 3]
        if at_best and train_near:
            train_loss = sum(train_near) / len(train_near)
            rows.append(MetricRow.point("overfit.loss_gap", at_best["val_loss"] - train_loss, len(train_near),
                             f"validation loss {at_best['val_loss']:.3f} minus train loss {train_loss:.3f} "
                             f"(mean of steps {best}±3) at the best checkpoint"))
        turned = provenance.get("val_loss_turned_up_at_step")
        rows.append(MetricRow.point("overfit.val_loss_turned_up_at_step", turned, provenance.get("steps", 0),
                         f"first validation step above an earlier minimum (of {provenance.get('steps')} steps)"
                         if turned else "validation loss never rose above its earlier minimum"))
    if exposures:
        mean = sum(e["exposure"] for e in exposures) / len(exposures)
        rows.append(MetricRow.point("overfit.canary_exposure", mean, len(exposures),
                         "mean exposure in bits over canaries (max log2|R| = "
                         f"{math.log2(exposures[0]['space']):.1f}); per canary: "
                         + ", ".join(f"{e['repeats']}x planted -> {e['exposure']:.2f} bits (rank ~{e['rank']:.0f})"
                                     for e in exposures)))
    return rows
