"""The CI gate: does a candidate regress against a baseline, on the items both were evaluated on?

A gate file lists checks (metric, split, rule, margin); the defaults are what a QA team would
start from: test accuracy and policy adherence must not regress significantly, and each safety
rate must stay within 2 points of the baseline. Rules:

- ``no_regression``: fail when the data show the candidate worse (one-sided paired test);
- ``non_inferior``: fail when the data show it worse by more than ``margin``;
- ``proven_non_inferior``: fail unless the 95% interval shows it is at most ``margin`` worse
  (for auditors: small samples fail this one, and the report says how many items would pass it).

The p-values of one gate are Holm-corrected together, so a gate with many checks does not raise
false alarms more often than ``alpha`` when nothing changed (``benchmarks/stats_calibration.py``
measures it). Missing evidence is never a pass: a check the baseline has and the candidate does
not fails, and so does every check of a suite whose files changed between the two runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from tunebench.harness.analysis.compare import Side, by_suite, side_samples, suite_hashes
from tunebench.harness.analysis.pairing import PERTURBED, PairedResult, on_split, pair, paired_result
from tunebench.harness.core.errors import BadInput, Problems, did_you_mean
from tunebench.harness.core.metric_table import DEFAULT_GATE
from tunebench.harness.core.policy import SPLIT_NAMES
from tunebench.harness.core.sample import Sample
from tunebench.harness.core.stats import holm, one_sided_p
from tunebench.harness.core.store import Store
from tunebench.harness.core.yamlio import line_of, load_yaml, validate

Rule = Literal["no_regression", "non_inferior", "proven_non_inferior"]


class GateCheck(BaseModel):
    """One gated metric."""

    model_config = ConfigDict(extra="forbid")
    metric: str = Field(description="A stored per-sample metric: accuracy, policy.prompt_level, "
                                    "safety.refusal_rate, field_f1, policy.rule.<id>, ...")
    split: str = Field("test", description="Split the metric is read on (perturbed = every perturbed copy).")
    rule: Rule = "no_regression"
    margin: float = Field(0.0, ge=0.0, le=1.0, description="Tolerated drop, in the metric's units (0.02 = 2 points).")
    suites: list[str] | None = Field(None, description="Suites to gate (default: every suite both sides have).")


# The metric table's default checks (harness.core.metric_table), in its order.
DEFAULT_CHECKS = [GateCheck(metric=metric, split=default.split, rule=default.rule, margin=default.margin)
                  for metric, default in DEFAULT_GATE]


class GateConfig(BaseModel):
    """The content of a gate file (``--config gate.yaml``)."""

    model_config = ConfigDict(extra="forbid")
    alpha: float = Field(0.05, gt=0.0, lt=0.5, description="Family-wise false-alarm rate of the whole gate.")
    checks: list[GateCheck] = Field(default_factory=lambda: list(DEFAULT_CHECKS), min_length=1)
    require_same_suites: bool = Field(True, description="Fail a suite whose files differ between the two runs.")
    _source: tuple[Path | None, Any] = PrivateAttr((None, None))

    def bad_input(self, message: str, *loc: str | int) -> BadInput:
        path, node = self._source
        return BadInput(message, file=path, line=line_of(node, loc) if node is not None else None,
                        field=".".join(map(str, loc)))


def load_gate(path: Path | None) -> GateConfig:
    if path is None:
        return GateConfig()
    data, node = load_yaml(path)
    config = validate(GateConfig, data, node, path)
    config._source = (path, node)
    problems = Problems()
    for index, check in enumerate(config.checks):
        if check.split not in (*SPLIT_NAMES, PERTURBED):
            problems.extend(config.bad_input(f"unknown split {check.split!r}"
                                             f"{did_you_mean(check.split, (*SPLIT_NAMES, PERTURBED))}", "checks",
                                             index, "split"))
        if check.rule == "no_regression" and check.margin:
            problems.extend(config.bad_input("a margin needs rule non_inferior or proven_non_inferior", "checks",
                                             index, "margin"))
    problems.raise_if_any()
    return config


@dataclass
class CheckResult(PairedResult):
    """One gate check on one suite: the paired result (``p_value``: the one-sided p of "the candidate
    is worse by more than ``margin``", None for ``proven_non_inferior``, which reads the interval) with
    the check's ``rule`` and ``margin``, its ``status`` (pass | fail | skipped) and the ``reason``."""

    rule: str = "no_regression"
    margin: float = 0.0
    status: str = "pass"
    reason: str = ""

    @property
    def name(self) -> str:
        return f"{self.split} {self.metric}"

    def to_dict(self) -> dict[str, Any]:
        """The check as stored with the gate's result."""
        return {"suite": self.suite, "split": self.split, "metric": self.metric, "rule": self.rule,
                "margin": self.margin, "status": self.status, "reason": self.reason, "n": self.n,
                "baseline": self.baseline, "candidate": self.candidate, "diff": self.diff, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "p_value": self.p_value, "p_holm": self.p_holm}


@dataclass
class GateResult:
    baseline: Side
    candidate: Side
    alpha: float
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(c.status == "fail" for c in self.checks)

    def to_dict(self) -> dict:
        return {"baseline": self.baseline.label, "candidate": self.candidate.label, "alpha": self.alpha,
                "passed": self.passed, "checks": [c.to_dict() for c in self.checks]}


def run_gate(store: Store, baseline: Side, candidate: Side, config: GateConfig) -> GateResult:
    """Every check on every suite; then Holm over the tested ones and the pass/fail of each."""
    result = GateResult(baseline, candidate, config.alpha)
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
    for check in config.checks:
        for suite in check.suites or suites:
            hash_b, hash_c = hashes_b.get(suite), hashes_c.get(suite)
            changed = bool(config.require_same_suites and hash_b and hash_c and hash_b != hash_c)
            result.checks.append(_check(check, suite, base_suites.get(suite, []), cand_suites.get(suite, []),
                                        changed))
    tested = [c for c in result.checks if c.p_value is not None]
    for check, adjusted in zip(tested, holm([c.p_value for c in tested])):
        check.p_holm = adjusted
        if adjusted < config.alpha:
            check.status = "fail"
            shown = "worse" if check.rule == "no_regression" else f"worse by more than {check.margin:g}"
            check.reason = f"the candidate is {shown} (p = {adjusted:.4f} after Holm, alpha {config.alpha})"
    return result


def _check(check: GateCheck, suite: str, base: list[Sample], cand: list[Sample], suite_changed: bool
           ) -> CheckResult:
    """One check on one suite's samples of each side; ``suite_changed``: its files differ and the gate
    requires the same suites. The p-value is left for ``run_gate`` to Holm-correct."""
    row = CheckResult(suite, check.split, check.metric, rule=check.rule, margin=check.margin)
    b = [s for s in on_split(base, check.split) if check.metric in s.values]
    c = [s for s in on_split(cand, check.split) if check.metric in s.values]
    if not b:
        row.status, row.reason = "skipped", "the baseline has no samples for it"
        return row
    if not c:
        row.status, row.reason = "fail", "the candidate has no samples for it (missing evidence is not a pass)"
        return row
    if suite_changed:
        row.status, row.reason = "fail", "the suite's files differ between the two runs (require_same_suites)"
        return row
    values = pair(b, c, drop_changed=False).values(check.metric)
    row.n = values.n
    if row.n < 2:
        row.status, row.reason = "skipped", f"only {row.n} shared item(s): too few to test anything"
        return row
    row = CheckResult(**asdict(paired_result(suite, check.split, values)), rule=check.rule, margin=check.margin)
    row.p_value = None  # the paired result's two-sided p; a gate check holds its one-sided one, or none
    if check.rule == "proven_non_inferior":
        worst = row.ci_low if row.higher_is_better else -row.ci_high  # the interval's worst case, better-wards
        if worst < -check.margin:
            row.status = "fail"
            row.reason = (f"non-inferiority not shown: the 95% interval allows a drop of {-worst:.3f} "
                          f"(> margin {check.margin:g}) on {row.n} items")
        else:
            row.reason = f"the 95% interval excludes a drop beyond {check.margin:g}"
        return row
    row.p_value = one_sided_p(list(values.baseline), list(values.candidate), check.margin, row.higher_is_better,
                              list(values.clusters))
    row.reason = "no significant regression" + (f" beyond {check.margin:g}" if check.margin else "")
    return row


def junit_xml(result: GateResult) -> str:
    """JUnit XML: one testcase per suite x check, failures with their reason (CI systems render it)."""
    failures = sum(c.status == "fail" for c in result.checks)
    skipped = sum(c.status == "skipped" for c in result.checks)
    root = ElementTree.Element("testsuites", name="tunebench gate", tests=str(len(result.checks)),
                               failures=str(failures))
    suite = ElementTree.SubElement(root, "testsuite", name=f"{result.candidate.label} vs {result.baseline.label}",
                                   tests=str(len(result.checks)), failures=str(failures), skipped=str(skipped))
    for check in result.checks:
        case = ElementTree.SubElement(suite, "testcase", classname=f"tunebench.{check.suite}", name=check.name)
        if check.status == "fail":
            ElementTree.SubElement(case, "failure", message=check.reason).text = _detail(check)
        elif check.status == "skipped":
            ElementTree.SubElement(case, "skipped", message=check.reason)
        ElementTree.SubElement(case, "system-out").text = _detail(check)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _detail(check: CheckResult) -> str:
    if check.diff is None:
        return check.reason
    p = f", p (Holm) {check.p_holm:.4f}" if check.p_holm is not None else ""
    return (f"{check.rule} (margin {check.margin:g}): baseline {check.baseline:.3f}, candidate {check.candidate:.3f}, "
            f"difference {check.diff:+.3f} [{check.ci_low:+.3f}, {check.ci_high:+.3f}] on {check.n} items{p}; "
            f"{check.reason}")


def markdown(result: GateResult) -> str:
    """A Markdown summary for a CI job page or a pull-request comment."""
    icon = {"pass": "✅", "fail": "❌", "skipped": "⏭️"}
    lines = [f"## tunebench gate: {'passed ✅' if result.passed else 'FAILED ❌'}", "",
             f"Candidate `{result.candidate.label}` against baseline `{result.baseline.label}`, paired on shared "
             f"items, Holm-corrected (alpha {result.alpha}).", "",
             "| | suite | split | metric | rule | baseline | candidate | difference [95% CI] | p (Holm) | n | why |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in result.checks:
        diff = "–" if c.diff is None else f"{c.diff:+.3f} [{c.ci_low:+.2f}, {c.ci_high:+.2f}]"
        number = (lambda v: "–" if v is None else f"{v:.3f}")
        p = "–" if c.p_holm is None else f"{c.p_holm:.4f}"
        reason = c.reason.replace("|", "\\|")
        lines.append(f"| {icon[c.status]} | {c.suite} | {c.split} | `{c.metric}` | {c.rule}"
                     f"{f' ({c.margin:g})' if c.margin else ''} | {number(c.baseline)} | {number(c.candidate)} | "
                     f"{diff} | {p} | {c.n} | {reason} |")
    return "\n".join(lines) + "\n"
