"""Are tunebench's paired intervals and its CI gate calibrated? Simulation with known truths.

    .venv/bin/python benchmarks/stats_calibration.py          # full: 2000 simulations per cell (~10 min)
    .venv/bin/python benchmarks/stats_calibration.py --fast   # what `make test` runs (seconds)

- Coverage: paired outcomes of two variants on n items, with a known true difference, through
  ``tunebench.harness.core.stats.paired_difference`` (the function ``compare``, the gate and the decision
  table use); the share of 95% intervals that contain the truth. Target 93-97%.
  Scenarios: 0/1 outcomes (accuracy-like) at several rates and correlations, continuous scores in
  [0, 1] (F1 / similarity-like), and clustered items (4 perturbed copies per source item).
- Gate false alarms: the default gate (test accuracy and policy: no regression; four safety rates:
  non-inferior within 2 points) on 5 suites, candidate drawn from the same distribution as the
  baseline (nothing changed): the share of runs where the gate fails. Target <= 5%.
- Gate power: the same, with test accuracy 10 points lower on one suite.
The gate's decision is computed with the gate's own functions (``one_sided_p`` and ``holm``).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tunebench.harness.core.stats import holm, one_sided_p, paired_difference  # noqa: E402


class Latent(NamedTuple):
    """A continuous-score scenario: A's and B's scores are sigmoids of two correlated unit normals
    with these means (``mu_a``, ``mu_b``) and correlation ``rho``."""

    mu_a: float
    mu_b: float
    rho: float


BINARY = [(0.5, 0.6, 0.5), (0.8, 0.8, 0.6), (0.9, 0.95, 0.3), (0.3, 0.25, 0.0)]  # (p_a, p_b, latent correlation)
CONTINUOUS = [Latent(0.0, 0.3, 0.6), Latent(0.5, 0.5, 0.3)]  # sigmoid scores in [0, 1]
# default gate on one suite: (rate, higher is better, margin)
GATE = [(0.60, True, 0.0), (0.80, True, 0.0), (0.70, True, 0.02), (0.20, False, 0.02), (0.10, False, 0.02),
        (0.05, False, 0.02)]
SUITES = 5


def correlated_binary(rng, n: int, p_a: float, p_b: float, rho: float) -> tuple[np.ndarray, np.ndarray]:
    z = rng.multivariate_normal([0, 0], [[1, rho], [rho, 1]], size=n)
    return (z[:, 0] < stats.norm.ppf(p_a)).astype(float), (z[:, 1] < stats.norm.ppf(p_b)).astype(float)


def correlated_scores(rng, n: int, mu_a: float, mu_b: float, rho: float) -> tuple[np.ndarray, np.ndarray]:
    z = rng.multivariate_normal([mu_a, mu_b], [[1, rho], [rho, 1]], size=n)
    return 1 / (1 + np.exp(-z[:, 0])), 1 / (1 + np.exp(-z[:, 1]))


def true_score_difference(mu_a: float, mu_b: float) -> float:
    z = np.random.default_rng(123).normal(size=2_000_000)
    return float(np.mean(1 / (1 + np.exp(-(z + mu_b))) - 1 / (1 + np.exp(-(z + mu_a)))))


def coverage_binary(rng, n, p_a, p_b, rho, runs) -> float:
    hits = 0
    for _ in range(runs):
        a, b = correlated_binary(rng, n, p_a, p_b, rho)
        d = paired_difference(a, b)
        hits += d.ci_low <= p_b - p_a <= d.ci_high
    return hits / runs


def coverage_scores(rng, n: int, latent: Latent | tuple[float, float, float], truth: float, runs: int) -> float:
    """Share of ``runs`` paired 95% intervals, on ``n`` continuous scores drawn from ``latent``, that
    contain ``truth`` (``true_score_difference`` of its two means)."""
    mu_a, mu_b, rho = latent
    hits = 0
    for k in range(runs):
        a, b = correlated_scores(rng, n, mu_a, mu_b, rho)
        d = paired_difference(a, b, seed=k)
        hits += d.ci_low <= truth <= d.ci_high
    return hits / runs


def coverage_clustered(rng, n_sources, copies, runs, use_clusters: bool) -> float:
    """0/1 outcomes of ``copies`` perturbed copies per source item. How much B helps varies by
    source and is shared by its copies, so copies are not independent evidence. True difference:
    P(B right) - P(A right) = 0.6 - 0.5."""
    hits = 0
    t_b = stats.norm.ppf(0.6) * math.sqrt(2.25)
    for k in range(runs):
        difficulty = np.repeat(rng.normal(0, 1.0, n_sources), copies)
        helps = np.repeat(rng.normal(0, 1.0, n_sources), copies)
        noise = rng.normal(0, 0.5, (2, n_sources * copies))
        a = (difficulty + noise[0] < 0).astype(float)
        b = (difficulty + helps + noise[1] < t_b).astype(float)
        clusters = np.repeat(np.arange(n_sources), copies).tolist() if use_clusters else None
        d = paired_difference(a, b, clusters, seed=k)
        hits += d.ci_low <= 0.1 <= d.ci_high
    return hits / runs


def gate_fails(rng, n: int, drop: float) -> bool:
    """One simulated default gate over SUITES suites; ``drop`` lowers test accuracy of suite 0."""
    p_values = []
    for suite in range(SUITES):
        for check, (rate, up, margin) in enumerate(GATE):
            worse = drop if suite == 0 and check == 0 else 0.0
            candidate_rate = rate - worse if up else rate + worse
            base, cand = correlated_binary(rng, n, rate, candidate_rate, 0.6)
            p_values.append(one_sided_p(base, cand, margin, up))
    return min(holm(p_values)) < 0.05


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fast", action="store_true", help="few simulations, small n: the make-test version")
    args = parser.parse_args()
    runs = 300 if args.fast else 2000
    sizes = (24, 100) if args.fast else (24, 50, 100, 200, 500)
    rng = np.random.default_rng(20261125)
    started = time.perf_counter()
    print(f"paired 95% interval coverage, {runs} simulations per cell (target 0.93-0.97)")
    print("binary (p_a, p_b, rho)      " + "".join(f"n={n:<8}" for n in sizes))
    for p_a, p_b, rho in BINARY:
        cells = [coverage_binary(rng, n, p_a, p_b, rho, runs) for n in sizes]
        print(f"  {p_a:.2f} vs {p_b:.2f}, rho {rho:.1f}       " + "".join(f"{c:<10.3f}" for c in cells))
    print("continuous (latent means, rho)")
    for latent in CONTINUOUS:
        mu_a, mu_b, rho = latent
        truth = true_score_difference(mu_a, mu_b)
        cells = [coverage_scores(rng, n, latent, truth, runs) for n in sizes]
        print(f"  {mu_a:.1f} vs {mu_b:.1f}, rho {rho:.1f} (diff {truth:+.3f}) " + "".join(f"{c:<10.3f}" for c in cells))
    sources = [max(6, n // 4) for n in sizes]
    print("clustered, 4 copies per source item (n = items)")
    print("  with clusters              " + "".join(f"{coverage_clustered(rng, s, 4, runs, True):<10.3f}" for s in sources))
    print("  ignoring them (naive)      " + "".join(f"{coverage_clustered(rng, s, 4, runs, False):<10.3f}" for s in sources))
    gate_runs = runs // 2 if args.fast else 1000
    print(f"default gate, {SUITES} suites x {len(GATE)} checks, {gate_runs} simulated gates per cell")
    print("  false alarms, nothing changed (target <= 0.05)  "
          + "".join(f"{np.mean([gate_fails(rng, n, 0.0) for _ in range(gate_runs)]):<10.3f}" for n in sizes))
    print("  power, test accuracy -0.10 on one suite         "
          + "".join(f"{np.mean([gate_fails(rng, n, 0.10) for _ in range(gate_runs)]):<10.3f}" for n in sizes))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
