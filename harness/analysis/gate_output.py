"""The gate's two files for CI: JUnit XML (CI systems render it) and a Markdown summary (job pages,
pull-request comments). Each says what the console says: every check's status, its numbers and why;
an inconclusive check gets its own line, with the items that would make it conclusive.

JUnit has no "inconclusive": under ``on_inconclusive: fail`` such a testcase is a ``<failure
type="inconclusive">``; under ``warn`` it passes with the reason in ``<system-err>`` and a
``tunebench.status`` property of ``inconclusive`` (a ``warn`` check of a floor reads the same way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from tunebench.harness.analysis.gate import CheckResult, GateResult

ICONS = {"pass": "✅", "fail": "❌", "inconclusive": "❔", "warn": "⚠️", "skipped": "⏭️"}


def _fails(result: GateResult, check: CheckResult) -> bool:
    return check.status == "fail" or (check.status == "inconclusive" and result.on_inconclusive == "fail")


def junit_xml(result: GateResult) -> str:
    """JUnit XML: one testcase per suite x check, failures (and failing inconclusive checks) with their reason."""
    failures = sum(_fails(result, c) for c in result.checks)
    skipped = result.count("skipped")
    root = ElementTree.Element("testsuites", name="tunebench gate", tests=str(len(result.checks)),
                               failures=str(failures))
    suite = ElementTree.SubElement(root, "testsuite", name=f"{result.candidate.label} vs {result.baseline.label}",
                                   tests=str(len(result.checks)), failures=str(failures), skipped=str(skipped))
    for check in result.checks:
        case = ElementTree.SubElement(suite, "testcase", classname=f"tunebench.{check.suite}", name=check.name)
        properties = ElementTree.SubElement(case, "properties")
        ElementTree.SubElement(properties, "property", name="tunebench.status", value=check.status)
        if _fails(result, check):
            ElementTree.SubElement(case, "failure", type=check.status, message=check.reason).text = _detail(check)
        elif check.status == "skipped":
            ElementTree.SubElement(case, "skipped", message=check.reason)
        elif check.status in ("inconclusive", "warn"):
            ElementTree.SubElement(case, "system-err").text = f"{check.status.upper()}: {check.reason}"
        ElementTree.SubElement(case, "system-out").text = _detail(check)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _detail(check: CheckResult) -> str:
    if check.diff is None:
        return check.reason
    p = f", p (Holm) {check.p_holm:.4f}" if check.p_holm is not None else ""
    rule = f"floor {check.floor:g}" if check.rule == "floor" else f"{check.rule} (margin {check.margin:g})"
    return (f"{rule}: baseline {check.baseline:.3f}, candidate {check.candidate:.3f}, difference "
            f"{check.interval_text(3)} on {check.n} items{p}; {check.reason}")


def markdown(result: GateResult) -> str:
    """A Markdown summary for a CI job page or a pull-request comment."""
    lines = [f"## tunebench gate: {'passed ✅' if result.passed else 'FAILED ❌'}", "",
             f"Candidate `{result.candidate.label}` against baseline `{result.baseline.label}`, paired on shared "
             f"items; alpha {result.alpha} over {result.families} checks ({result.alpha / max(result.families, 1):.4g} "
             "each), Holm across suites within a check. Every check has a margin (the drop that matters): it "
             "passes when the data rule out such a drop or could have seen it and did not, fails on a significant "
             f"regression, and is inconclusive otherwise (on_inconclusive: {result.on_inconclusive}).", "",
             f"**{result.summary()}**", ""]
    blind = [c for c in result.checks if c.status == "inconclusive"]
    if blind:
        lines += ["### Inconclusive: the data could not see a drop of the margin", ""]
        lines += [f"- {c.suite} {c.name}: {c.reason}".replace("|", "\\|") for c in blind]
        lines.append("")
    lines += ["| | suite | split | metric | rule | baseline | candidate | difference [interval] | p (Holm) | n | why |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in result.checks:
        number = (lambda v: "–" if v is None else f"{v:.3f}")
        p = "–" if c.p_holm is None else f"{c.p_holm:.4f}"
        rule = f"floor {c.floor:g}" if c.rule == "floor" else f"{c.rule} (margin {c.margin:g})"
        diff = c.interval_text(3).replace("|", "\\|") if c.rule != "floor" else "–"
        lines.append(f"| {ICONS[c.status]} | {c.suite} | {c.split} | `{c.metric}` | {rule} | {number(c.baseline)} | "
                     f"{number(c.candidate)} | {diff} | {p} | {c.n} | {c.reason.replace('|', chr(92) + '|')} |")
    return "\n".join(lines) + "\n"
