"""The CI gate: does a candidate regress against a baseline, and could the data have seen it?

A gate file lists checks (metric, split, rule, margin). Every check has a **margin of interest**:
the drop that matters (default per metric from ``harness.core.metric_table``; ``margin:`` in the
gate file). Each check ends in one of:

- **fail**: a significant regression (``no_regression``), or a significant drop beyond the margin
  (``non_inferior``); for ``proven_non_inferior``, anything short of a shown non-inferiority;
- **pass**: the candidate is significantly better; or it is non-inferior: a one-sided test at
  alpha (the same test's 1 - 2 alpha interval) rules out a drop larger than the margin; or the
  test had >= 80% power to detect a drop of the margin and found none; or it equals the baseline
  on every item (any size). Fails are judged at alpha / K (false alarms across the checks);
  a pass needs no such adjustment (a regressed check passes wrongly only if its own test errs);
- **inconclusive**: none of these. The data could not see a drop of the margin: the check says how
  many items would make it conclusive. An inconclusive check fails the gate unless the gate file
  says ``on_inconclusive: warn``.
- ``floor`` checks are absolute: the candidate's rate must not be significantly below ``floor``
  (fail); shown at or above it, it passes; in between, it warns with the items that would settle
  it (the relative check on the same rate is the one that sees a regression). Where the baseline
  itself is below the floor the check warns instead of failing (a known condition, not a regression).

One family per check (a metric on a split, across the suites), Holm-adjusted within it exactly as
``compare`` does, so the gate prints the same p-value as ``compare`` for the same pair and metric;
across the gate's K checks, each family is held at alpha / K (Bonferroni), so the whole gate
raises a false alarm at most ``alpha`` of the time when nothing changed
(``benchmarks/stats_calibration.py`` measures it). The interval printed with a check is the same
test's interval at the level the check was judged at. Missing evidence is never a pass: a check the
baseline has and the candidate does not fails, and so does every check of a suite whose files
changed between the two runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from scipy import stats

from tunebench.harness.analysis.compare import Side, by_suite, side_samples, suite_hashes
from tunebench.harness.analysis.gate_config import (  # noqa: F401 - the gate file's shapes, read from here too
    DEFAULT_CHECKS,
    FAIL,
    INCONCLUSIVE,
    PASS,
    SKIPPED,
    WARN,
    GateCheck,
    GateConfig,
    load_gate,
)
from tunebench.harness.analysis.gate_output import junit_xml, markdown  # noqa: F401 - the gate's two files
from tunebench.harness.analysis.pairing import (
    BETTER,
    WORSE,
    PairedResult,
    PairedValues,
    on_split,
    pair,
    paired_result,
    settle,
)
from tunebench.harness.core.errors import Problems, did_you_mean
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.stats import proportion_ci
from tunebench.harness.core.store import Store


@dataclass
class CheckResult(PairedResult):
    """One gate check on one suite: the paired result (p-value and interval as ``compare`` gives them,
    at the level the check is judged at) with the check's ``rule``, ``margin`` (the drop that matters)
    or ``floor``, its ``status`` (pass | fail | inconclusive | warn | skipped), the ``reason`` and, when
    inconclusive, ``items_needed`` (items that would make it conclusive)."""

    rule: str = "no_regression"
    margin: float = 0.0
    floor: float | None = None
    status: str = PASS
    reason: str = ""
    items_needed: int | None = None
    identical: bool = False  # every paired item has the same value on both sides

    @property
    def name(self) -> str:
        return f"{self.split} {self.metric}" + (" floor" if self.rule == "floor" else "")

    def to_dict(self) -> dict[str, Any]:
        """The check as stored with the gate's result."""
        return {"suite": self.suite, "split": self.split, "metric": self.metric, "rule": self.rule,
                "margin": self.margin, "floor": self.floor, "status": self.status, "reason": self.reason,
                "n": self.n, "baseline": self.baseline, "candidate": self.candidate, "diff": self.diff,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "confidence": self.confidence,
                "p_value": self.p_value, "p_holm": self.p_holm, "family": self.family,
                "items_needed": self.items_needed}


@dataclass
class GateResult:
    baseline: Side
    candidate: Side
    alpha: float
    on_inconclusive: str = "fail"
    checks: list[CheckResult] = field(default_factory=list)
    families: int = 0  # K: checks that tested something; each is held at alpha / K

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.checks)

    @property
    def passed(self) -> bool:
        return not self.count(FAIL) and not (self.on_inconclusive == "fail" and self.count(INCONCLUSIVE))

    def summary(self) -> str:
        """"gate FAILED: 1 failed, 2 inconclusive (the data could not see a drop of the margin), ..." """
        parts = [f"{self.count(s)} {word}" for s, word in ((FAIL, "failed"), (INCONCLUSIVE, "inconclusive"),
                                                            (WARN, "warned"), (PASS, "passed"), (SKIPPED, "skipped"))
                 if self.count(s)]
        text = f"gate {'PASSED' if self.passed else 'FAILED'}: {', '.join(parts)} of {len(self.checks)} checks"
        if self.count(INCONCLUSIVE):
            text += (f"; inconclusive = the data could not see a drop of the margin: "
                     f"{'fails' if self.on_inconclusive == 'fail' else 'only warns'} (on_inconclusive: "
                     f"{self.on_inconclusive})")
        return text

    def to_dict(self) -> dict:
        return {"baseline": self.baseline.label, "candidate": self.candidate.label, "alpha": self.alpha,
                "on_inconclusive": self.on_inconclusive, "families": self.families, "passed": self.passed,
                "checks": [c.to_dict() for c in self.checks]}


def run_gate(store: Store, baseline: Side, candidate: Side, config: GateConfig) -> GateResult:
    """Every check on every suite; then each check's family settled at alpha / K and its status."""
    result = GateResult(baseline, candidate, config.alpha, config.on_inconclusive)
    base, cand = side_samples(store, baseline), side_samples(store, candidate)
    known = {k for samples in (base, cand) for s in samples for k in s.values}
    problems = Problems()
    written = config._source[0] is not None  # the defaults may name metrics a store has not (no safety split)
    for index, check in enumerate(config.checks):
        if written and known and check.metric not in known:
            problems.extend(config.bad_input(f"no sample of either side has metric {check.metric!r}"
                                             f"{did_you_mean(check.metric, known)}", "checks", index, "metric"))
    problems.raise_if_any()
    hashes_b, hashes_c = suite_hashes(store, baseline.run_id), suite_hashes(store, candidate.run_id)
    base_suites, cand_suites = by_suite(base), by_suite(cand)
    suites = sorted(set(base_suites) | set(cand_suites))
    families = []
    for check in config.checks:
        family = []
        for suite in check.suites or suites:
            hash_b, hash_c = hashes_b.get(suite), hashes_c.get(suite)
            changed = bool(config.require_same_suites and hash_b and hash_c and hash_b != hash_c)
            family.append(_check(check, suite, base_suites.get(suite, []), cand_suites.get(suite, []), changed))
        result.checks += family
        families.append((check, family))
    tested = [(check, family) for check, family in families if any(c.status == "" for c in family)]
    result.families = len(tested)
    for check, family in tested:
        judge_family(check, [c for c in family if c.status == ""], config.alpha / len(tested), config.alpha)
    return result


def judge_family(check: GateCheck, family: list[CheckResult], level: float, alpha: float = 0.05) -> None:
    """Settle one check's results across the suites at ``level`` (alpha / K) and give each its status."""
    if check.rule == "floor":
        for row in family:
            _judge_floor(row, level / len(family))
        return
    settle(family, level, f"{check.split} {check.metric} across {len(family)} suite{'s' * (len(family) != 1)}")
    for row in family:
        _judge(row, level, alpha)


def check_result(check: GateCheck, suite: str, values: PairedValues) -> CheckResult:
    """The paired result of ``values`` as a check of ``check``, left for its family to judge (status "")."""
    paired = paired_result(suite, check.split, values)
    row = CheckResult(**{f.name: getattr(paired, f.name) for f in fields(PairedResult)}, rule=check.rule,
                      margin=check.drop_that_matters, floor=check.floor, status="")
    row.identical = values.baseline == values.candidate
    return row


def _check(check: GateCheck, suite: str, base: list[Sample], cand: list[Sample], suite_changed: bool
           ) -> CheckResult:
    """One check on one suite's samples of each side, paired; status "" when it is left for its family
    to judge (``run_gate``), else decided here (missing evidence, changed suite, too few items)."""
    margin = check.drop_that_matters
    row = CheckResult(suite, check.split, check.metric, rule=check.rule, margin=margin, floor=check.floor)
    b = [s for s in on_split(base, check.split) if check.metric in s.values]
    c = [s for s in on_split(cand, check.split) if check.metric in s.values]
    if not b:
        row.status, row.reason = SKIPPED, "the baseline has no samples for it"
        return row
    if not c:
        row.status, row.reason = FAIL, "the candidate has no samples for it (missing evidence is not a pass)"
        return row
    if suite_changed:
        row.status, row.reason = FAIL, "the suite's files differ between the two runs (require_same_suites)"
        return row
    values = pair(b, c, drop_changed=False).values(check.metric)
    if values.n < 2:
        row.n, row.status = values.n, SKIPPED
        row.reason = f"only {values.n} shared item(s): too few to test anything"
        return row
    return check_result(check, suite, values)


def _worse_best(row: CheckResult) -> tuple[float, float]:
    """The interval of the change in the better direction: (worst case, best case)."""
    return (row.ci_low, row.ci_high) if row.higher_is_better else (-row.ci_high, -row.ci_low)


def _non_inferior(row: CheckResult, alpha: float) -> float:
    """The worst change in the better direction that a one-sided test at ``alpha`` leaves open (the
    lower end of the same test's 1 - 2 alpha interval): a drop beyond it is ruled out."""
    low, high = row.test.interval(1 - 2 * alpha)
    return low if row.higher_is_better else -high


def _judge(row: CheckResult, level: float, alpha: float) -> None:
    """pass | fail | inconclusive for a relative check settled at ``level`` (see the module's rules).
    A fail is judged at the family's ``level`` (it controls the gate's false alarms across its checks);
    a pass by non-inferiority at one-sided ``alpha`` per check (a wrong pass of one regressed check
    needs that check's own test to err: no adjustment across checks is needed for it)."""
    worst, best = _worse_best(row)
    where = f"[{row.ci_low:+.3f}, {row.ci_high:+.3f}] ({row.confidence:.1%} interval)"
    margin = row.margin
    if row.identical:
        row.status, row.reason = PASS, f"equal to the baseline on every one of the {row.n} items"
    elif row.verdict == WORSE and (row.rule != "non_inferior" or best < -margin):
        row.status = FAIL
        row.reason = (f"a significant regression: {row.diff:+.3f} {where}, p {row.p_holm:.4f} (Holm) < {level:.4g}"
                      if row.rule != "non_inferior" else
                      f"worse by more than the margin {margin:g}: {row.diff:+.3f} {where}")
    elif row.verdict == BETTER:
        row.status, row.reason = PASS, f"significantly better: {row.diff:+.3f} {where}"
    elif _non_inferior(row, alpha) >= -margin:
        low, high = row.test.interval(1 - 2 * alpha)
        row.status = PASS
        row.reason = (f"non-inferior: the {1 - 2 * alpha:.0%} interval [{low:+.3f}, {high:+.3f}] rules out a drop "
                      f"larger than {margin:g} (one-sided, alpha {alpha:g})")
    elif row.rule != "proven_non_inferior" and row.detectable is not None and row.detectable <= margin:
        row.status = PASS
        row.reason = (f"no significant drop, and {row.n} items had >= 80% power to detect a drop of {margin:g} "
                      f"(they detect ±{row.detectable:.3f})")
    else:
        row.items_needed = max(row.n + 1, row.items_to_detect(margin))
        if row.rule == "proven_non_inferior":
            row.status = FAIL
            row.reason = (f"non-inferiority not shown: the interval {where} allows a drop of {-worst:.3f} "
                          f"(> margin {margin:g}); ~{row.items_needed} items could show it")
        else:
            row.status = INCONCLUSIVE
            row.reason = (f"inconclusive: {row.n} items cannot see a drop of {margin:g} (the interval {where} "
                          f"allows {-worst:.3f}); ~{row.items_needed} items would make it conclusive")


def _judge_floor(row: CheckResult, level: float) -> None:
    """An absolute floor on the candidate's rate, at ``level`` (Wilson interval of the candidate's items)."""
    n, rate, floor = row.n, row.candidate, row.floor
    low, high = proportion_ci(round(rate * n), n, 1 - level)
    higher = row.higher_is_better
    below, above = (high < floor, low >= floor) if higher else (low > floor, high <= floor)
    word = "at least" if higher else "at most"
    where = f"{rate:.3f} [{low:.3f}, {high:.3f}] ({1 - level:.1%} interval, {n} items)"
    base_ok = row.baseline >= floor if higher else row.baseline <= floor
    row.ci_low, row.ci_high, row.confidence = low, high, 1 - level
    if above:
        row.status, row.reason = PASS, f"{where}: shown {word} the floor {floor:g}"
    elif below and not base_ok:
        row.status = WARN
        row.reason = (f"{where}: below the floor {floor:g}, as the baseline ({row.baseline:.3f}) is: not a "
                      "regression, a known gap")
    elif below:
        row.status, row.reason = FAIL, f"{where}: significantly beyond the floor {floor:g}"
    else:
        z = stats.norm.ppf(1 - level / 2)
        gap = max(abs(rate - floor), 0.02)
        row.items_needed = max(n + 1, math.ceil(z ** 2 * max(rate * (1 - rate), 0.05) / gap ** 2))
        row.status = WARN
        row.reason = (f"floor not shown: {where} straddles the floor {floor:g}; ~{row.items_needed} items would "
                      "settle it")
