import math

import pytest

from tunebench.harness.scorers.overfitting import exposure, memorised, summary


def test_gaps_memorisation_and_loss_curve():
    provenance = {"best_step": 20, "steps": 40, "val_loss_turned_up_at_step": 30,
                  "loss_history": [{"step": 19, "train_loss": 0.2}, {"step": 20, "train_loss": 0.4, "val_loss": 0.9},
                                   {"step": 21, "train_loss": 0.3}, {"step": 30, "val_loss": 1.1}]}
    rows = {r.metric: r for r in summary({"train": (0.95, 100), "test": (0.70, 160), "ood": (0.40, 120)},
                                            provenance, (37, 100), [])}
    assert rows["overfit.train_test_gap"].value == pytest.approx(0.25)
    assert rows["overfit.test_ood_gap"].value == pytest.approx(0.30)
    assert rows["overfit.loss_gap"].value == pytest.approx(0.6)
    assert rows["overfit.val_loss_turned_up_at_step"].value == 30
    assert rows["overfit.memorisation_rate"].value == 0.37


def test_prompt_variants_have_no_training_rows():
    rows = summary({"train": (0.5, 10), "test": (0.5, 10)}, None, None, [])
    assert [r.metric for r in rows] == ["overfit.train_test_gap"]


def test_memorisation_is_verbatim_up_to_whitespace():
    assert memorised(["Category: a\nPriority: b ", "Category: a"], ["Category: a\nPriority: b"] * 2) == (1, 2)


def test_exposure_definition():
    assert exposure(1, 2**20) == 20.0  # the secret is the most likely of all: maximal exposure
    assert exposure(2**19, 2**20) == 1.0
    assert math.isclose(exposure(10**6 / 2, 10**6), 1.0)
