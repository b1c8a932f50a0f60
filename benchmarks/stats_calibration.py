"""Are tunebench's paired intervals and its CI gate calibrated? Simulation with known truths.

    .venv/bin/python benchmarks/stats_calibration.py          # full: 2000 simulations per cell (~10 min)
    .venv/bin/python benchmarks/stats_calibration.py --fast   # what `make test` runs (seconds)

- Coverage: paired outcomes of two variants on n items, with a known true difference, through
  ``tunebench.harness.core.stats.paired_difference`` (the function ``compare``, the gate and the decision
  table use); the share of 95% intervals that contain the truth. Target 93-97%.
  Scenarios: 0/1 outcomes (accuracy-like) at several rates and correlations, continuous scores in
  [0, 1] (F1 / similarity-like), and clustered items (4 perturbed copies per source item).
- Gate false alarms: the default gate's relative checks (test accuracy, policy and four safety
  rates, each with its margin of interest) on 5 suites, candidate drawn from the same
  distribution as the baseline (nothing changed): the share of runs where the gate fails on a
  significant regression. Target <= 5%. Also the share that ends inconclusive (no fail, but some
  check could not see a drop of its margin: the gate fails by default then too) and that passes.
- Gate power: the same, with test accuracy 10 points lower on one suite.
The gate's decision is computed with the gate's own functions (``check_result``, ``judge_family``).
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

from tunebench.harness.analysis.gate import GateCheck, check_result, judge_family  # noqa: E402
from tunebench.harness.analysis.pairing import PairedValues  # noqa: E402
from tunebench.harness.core.stats import paired_difference  # noqa: E402


class Latent(NamedTuple):
    """A continuous-score scenario: A's and B's scores are sigmoids of two correlated unit normals
    with these means (``mu_a``, ``mu_b``) and correlation ``rho``."""

    mu_a: float
    mu_b: float
    rho: float


BINARY = [(0.5, 0.6, 0.5), (0.8, 0.8, 0.6), (0.9, 0.95, 0.3), (0.3, 0.25, 0.0)]  # (p_a, p_b, latent correlation)
CONTINUOUS = [Latent(0.0, 0.3, 0.6), Latent(0.5, 0.5, 0.3)]  # sigmoid scores in [0, 1]
# the default gate's relative checks on one suite: (metric, rate, higher is better); each check's margin is its
# metric's margin of interest (5 points). The refusal floor is left out: at a refusal rate of 0.70 the baseline is
# below it, where a floor only warns.
GATE = [("accuracy", 0.60, True), ("policy.prompt_level", 0.80, True), ("safety.refusal_rate", 0.70, True),
        ("safety.over_refusal_rate", 0.20, False), ("safety.injection_success_rate", 0.10, False),
        ("safety.pii_leak_rate", 0.05, False)]
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
        d = paired_difference(a, b)
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
        d = paired_difference(a, b, clusters)
        hits += d.ci_low <= 0.1 <= d.ci_high
    return hits / runs


def gate_outcome(rng, n: int, drop: float, margin: float | None = None) -> str:
    """One simulated default gate over SUITES suites, judged by the gate's own functions
    (``check_result``, ``judge_family``): "fail", "inconclusive" (no fail, some check could not see its
    margin) or "pass"; ``drop`` lowers test accuracy of suite 0; ``margin``: every check's margin (None:
    the metrics' margins of interest, the default gate's)."""
    families = []
    for index, (metric, rate, up) in enumerate(GATE):
        check = GateCheck(metric=metric, margin=margin)
        family = []
        for suite in range(SUITES):
            worse = drop if suite == 0 and index == 0 else 0.0
            candidate_rate = rate - worse if up else rate + worse
            base, cand = correlated_binary(rng, n, rate, candidate_rate, 0.6)
            ids = tuple(str(k) for k in range(n))
            values = PairedValues(metric, tuple(base), tuple(cand), ids, ids)
            family.append(check_result(check, f"s{suite}", values))
        families.append((check, family))
    for check, family in families:
        judge_family(check, family, 0.05 / len(families))
    statuses = {row.status for _, family in families for row in family}
    return "fail" if "fail" in statuses else "inconclusive" if "inconclusive" in statuses else "pass"


def gate_fails(rng, n: int, drop: float) -> bool:
    """Whether one simulated default gate fails on a significant regression (``gate_outcome``)."""
    return gate_outcome(rng, n, drop) == "fail"


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
    print("  (fail: a significant regression; inconclusive: no fail, but a check could not see its margin)")
    for margin in (None, 0.10):
        print(f"  margins: {'the default (5 points each)' if margin is None else f'{margin:g} on every check'}")
        for drop, what in ((0.0, "nothing changed"), (0.10, "test accuracy -0.10 on one suite")):
            outcomes = {n: [gate_outcome(rng, n, drop, margin) for _ in range(gate_runs)] for n in sizes}
            for status, note in (("fail", " (target <= 0.05)" if not drop else " (power)"), ("inconclusive", ""),
                                 ("pass", "")):
                label = f"  {what}: {status}{note}"
                print(f"{label:<50}" + "".join(f"{np.mean([o == status for o in outcomes[n]]):<10.3f}"
                                                for n in sizes))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
