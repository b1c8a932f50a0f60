"""The fast version of benchmarks/stats_calibration.py: fixed seeds, a few hundred simulations.

The full run (2000 simulations per cell, n from 24 to 500) is in BENCHMARKS.md; this keeps the
properties it measures from regressing: intervals that cover the truth about 95% of the time,
clusters that matter, and a gate that rarely cries wolf but does see a large regression.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "stats_calibration.py"
spec = importlib.util.spec_from_file_location("stats_calibration", SCRIPT)
calibration = importlib.util.module_from_spec(spec)
spec.loader.exec_module(calibration)

RUNS = 400


@pytest.mark.parametrize("n", [24, 100])
def test_paired_intervals_cover_about_95_percent(n):
    rng = np.random.default_rng(n)
    binary = calibration.coverage_binary(rng, n, 0.5, 0.6, 0.5, RUNS)
    truth = calibration.true_score_difference(0.0, 0.3)
    scores = calibration.coverage_scores(rng, n, calibration.Latent(0.0, 0.3, 0.6), truth, RUNS)
    assert 0.93 <= binary <= 0.97 and 0.93 <= scores <= 0.97, (binary, scores)


def test_clustered_items_need_clustered_intervals():
    rng = np.random.default_rng(7)
    clustered = calibration.coverage_clustered(rng, 25, 4, RUNS, use_clusters=True)
    naive = calibration.coverage_clustered(rng, 25, 4, RUNS, use_clusters=False)
    assert clustered >= 0.93 and naive < 0.88, (clustered, naive)


def test_gate_false_alarms_and_power():
    rng = np.random.default_rng(11)
    false_alarms = np.mean([calibration.gate_fails(rng, 100, 0.0) for _ in range(200)])
    power = np.mean([calibration.gate_fails(rng, 500, 0.10) for _ in range(100)])
    assert false_alarms <= 0.05 and power >= 0.5, (false_alarms, power)
