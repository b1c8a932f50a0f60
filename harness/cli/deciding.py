"""Commands that decide: compare, gate, and the audit group (audit run, audit verify)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from tunebench.harness.cli.app import (
    DEFAULT_STORE,
    OUT_HELP,
    RUN_STORE_HELP,
    STORE_HELP,
    _out_dir,
    app,
    console,
    handles_bad_input,
    write_text_atomic,
)
from tunebench.harness.core.errors import BadInput


@app.command()
@handles_bad_input
def compare(a: str = typer.Argument(..., help="Variant A (the reference): NAME, or RUN_ID:NAME."),
            b: str = typer.Argument(..., help="Variant B: NAME, or RUN_ID:NAME."),
            store: str = typer.Option(DEFAULT_STORE, help=STORE_HELP),
            run: Optional[str] = typer.Option(None, help="Run to take plain variant names from (default: the "
                                                         "latest complete run that has them)."),
            all_metrics: bool = typer.Option(False, "--all", help="Every stored metric, not only the headline ones."),
            alpha: float = typer.Option(0.05, min=0.0001, max=0.5, help="Family-wise error rate (Holm)."),
            as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON.")):
    """Paired comparison of two variants on the items both were evaluated on."""
    import json

    from tunebench.harness.analysis.compare import HEADLINE, resolve
    from tunebench.harness.analysis.compare import compare as compare_sides
    from tunebench.harness.core.store import Store
    from tunebench.reports.comparison import print_comparison

    results = Store(store, create=False)
    baseline_side, candidate_side = resolve(results, a, run), resolve(results, b, run)  # A: the baseline
    comparison = compare_sides(results, baseline_side, candidate_side, None if all_metrics else HEADLINE, alpha=alpha)
    results.add_comparison("compare", baseline_side.label, candidate_side.label, json.dumps(comparison.counts()),
                           comparison.to_dict())
    if as_json:
        print(json.dumps(comparison.to_dict(), indent=2))
    else:
        print_comparison(console, comparison)


@app.command()
@handles_bad_input
def gate(baseline: str = typer.Option(..., help="Reference variant: NAME or RUN_ID:NAME."),
         candidate: str = typer.Option(..., help="Variant under test: NAME or RUN_ID:NAME."),
         config: Optional[Path] = typer.Option(None, help="Gate file (checks, rules, margins, floors, alpha, "
                                                          "on_inconclusive); default: test accuracy, policy and the "
                                                          "safety rates must not regress by their margins of interest "
                                                          "(5 points), harmful-request refusal keeps a 0.9 floor."),
         store: str = typer.Option(DEFAULT_STORE, help=STORE_HELP),
         run: Optional[str] = typer.Option(None, help="Run to take plain variant names from."),
         junit: Optional[Path] = typer.Option(None, help="Write JUnit XML here (one testcase per suite x check)."),
         markdown: Optional[Path] = typer.Option(None, help="Write a Markdown summary here.")):
    """Exit 1 when the candidate regresses, or when a check is inconclusive (the data could not see a drop of
    its margin; ``on_inconclusive: warn`` in the gate file only warns); 0 when every check passes."""

    from tunebench.harness.analysis import gate as gating
    from tunebench.harness.analysis.compare import resolve
    from tunebench.harness.core.store import Store
    from tunebench.reports.comparison import print_gate

    settings = gating.load_gate(config)
    results = Store(store, create=False)
    baseline_side, candidate_side = resolve(results, baseline, run), resolve(results, candidate, run)
    outcome = gating.run_gate(results, baseline_side, candidate_side, settings)
    for path, text in ((junit, gating.junit_xml(outcome) if junit else ""),
                       (markdown, gating.markdown(outcome) if markdown else "")):
        if path is not None:
            write_text_atomic(path, text, "--junit" if path == junit else "--markdown")
    results.add_comparison("gate", baseline_side.label, candidate_side.label, "pass" if outcome.passed else "fail",
                           outcome.to_dict())
    print_gate(console, outcome)
    if not outcome.passed:
        raise typer.Exit(1)


class AuditGroup(TyperGroup):
    """``tunebench audit``'s sub-commands (``run``, ``verify``), with the one-command form kept.

    ``audit`` was one command whose first argument was an experiment file or the word ``verify``.
    A first argument that names no sub-command is still the experiment: ``tunebench audit
    EXPERIMENT.yaml [--out DIR]`` is ``tunebench audit run EXPERIMENT.yaml [--out DIR]``, with the
    same options, output and exit codes. Options may come before the sub-command's name, as they
    could before ``verify``.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if args and args[0] not in ctx.help_option_names:  # `audit --help` is the group's help
            args = self.routed(args)
        return super().parse_args(ctx, args)

    def routed(self, args: list[str]) -> list[str]:
        """``args`` with a sub-command's name first: the first positional argument when it names one
        (moved in front of any options before it), else ``run`` in front of everything."""
        takes_value = {opt for command in self.commands.values() for param in command.params
                       if param.param_type_name == "option" and not param.is_flag for opt in param.opts}
        index = 0
        while index < len(args) and args[index].startswith("-") and args[index] != "--":
            index += 2 if args[index] in takes_value else 1
        if index < len(args) and args[index] in self.commands:
            return [args[index], *args[:index], *args[index + 1:]]
        return ["run", *args]


audit_app = typer.Typer(
    cls=AuditGroup, no_args_is_help=True,
    short_help="Dated, hash-sealed audits of an experiment (audit run), and their check (audit verify).",
    help="Dated audits: a run of an experiment compared with its previous audit, in a hash-sealed bundle "
         "(`tunebench audit run EXPERIMENT.yaml`, or just `tunebench audit EXPERIMENT.yaml`); and the check "
         "of a bundle (`tunebench audit verify BUNDLE`: exit 1 on any mismatch).")
app.add_typer(audit_app, name="audit")
LEGACY = "No effect here; accepted because the one-command `audit` took it."


@audit_app.command("run")
@handles_bad_input
def audit_run(spec_path: Path = typer.Argument(..., metavar="EXPERIMENT.yaml", help="The experiment to audit."),
              out: Optional[Path] = typer.Option(None, help=OUT_HELP),
              store: Optional[str] = typer.Option(None, help=RUN_STORE_HELP),
              deep: bool = typer.Option(False, hidden=True, help=LEGACY)):
    """A dated run of EXPERIMENT.yaml, compared with its previous audit, in a hash-sealed bundle."""
    from tunebench.harness.analysis.bundle import seal
    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.orchestration.audit import finish, manifest_context, run_audit
    from tunebench.reports.decision import decision_markdown, print_decision_table
    from tunebench.reports.export import export_html

    del deep  # verify's option; the one-command form accepted it with an experiment too
    experiment = load_spec(spec_path)
    done = run_audit(experiment, spec_path, _out_dir(out, experiment), store)
    (done.bundle / "decision.md").write_text(decision_markdown(done.store, done.run_id))
    export_html(done.store.path, done.bundle / "report", [done.run_id])
    digest = seal(done.bundle, manifest_context(done))
    final = finish(done, done.bundle.with_name(done.audit_id), digest)
    print_decision_table(console, done.store, done.run_id)
    previous = done.previous["audit_id"] if done.previous else None
    console.print(f"audit {done.audit_id}" + (f", compared with {previous}:" if previous else " (the first of this "
                                                                                          "experiment)"))
    for change in done.changes:
        console.print(f"  setup: {change}", highlight=False)
    for moved in done.summary()["significant_changes"]:
        console.print(f"  {moved['variant']} {moved['suite']}/{moved['split']} {moved['metric']}: {moved['verdict']} "
                      f"({moved['before']:.3f} -> {moved['after']:.3f}, p {moved['p_holm']:.3g})", highlight=False)
    if previous and not done.summary()["significant_changes"]:
        console.print("  no metric moved significantly (paired, Holm)")
    console.print(f"bundle: {final}  (manifest sha256 {digest[:16]}...; check with: tunebench audit verify {final})")


@audit_app.command("verify")
@handles_bad_input
def audit_verify(bundle: Optional[Path] = typer.Argument(None, metavar="BUNDLE", help="The bundle folder."),
                 deep: bool = typer.Option(False, help="Also re-hash the suite files and adapter weights the audit "
                                                       "used, where this machine has them."),
                 out: Optional[Path] = typer.Option(None, hidden=True, help=LEGACY)):
    """Recompute an audit bundle's hashes: exit 0 when it is intact, 1 on any changed, missing or added file."""
    from tunebench.harness.analysis.bundle import verify

    del out  # run's option; the one-command form accepted it with verify too
    if bundle is None:
        raise BadInput("which bundle? tunebench audit verify BUNDLE_FOLDER", field="BUNDLE")
    result = verify(bundle, deep=deep)
    for line in result.mismatches:
        console.print(f"[red]MISMATCH[/red] {line}", highlight=False)
    for line in result.unavailable:
        console.print(f"not checked (not on this machine): {line}", highlight=False)
    console.print(f"{bundle}: {result.checked} hashes checked, {len(result.mismatches)} mismatch(es): "
                  f"{'intact' if result.ok else 'NOT intact'}")
    raise typer.Exit(0 if result.ok else 1)
