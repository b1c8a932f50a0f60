"""Commands that decide: compare, gate, audit (and audit verify)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from harness.cli.app import (
    DEFAULT_STORE,
    OUT_HELP,
    STORE_HELP,
    _out_dir,
    app,
    console,
    handles_bad_input,
    write_text_atomic,
)
from harness.core.errors import BadInput


@app.command()
@handles_bad_input
def compare(a: str = typer.Argument(..., help="Variant A (the reference): NAME, or RUN_ID:NAME."),
            b: str = typer.Argument(..., help="Variant B: NAME, or RUN_ID:NAME."),
            store: Path = typer.Option(DEFAULT_STORE, help=STORE_HELP),
            run: Optional[str] = typer.Option(None, help="Run to take plain variant names from (default: the "
                                                         "latest complete run that has them)."),
            all_metrics: bool = typer.Option(False, "--all", help="Every stored metric, not only the headline ones."),
            alpha: float = typer.Option(0.05, min=0.0001, max=0.5, help="Family-wise error rate (Holm)."),
            as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON.")):
    """Paired comparison of two variants on the items both were evaluated on."""
    import json

    from harness.analysis.compare import HEADLINE, resolve
    from harness.analysis.compare import compare as compare_sides
    from harness.core.store import Store
    from reports.comparison import print_comparison

    results = Store(store, create=False)
    side_a, side_b = resolve(results, a, run), resolve(results, b, run)
    comparison = compare_sides(results, side_a, side_b, None if all_metrics else HEADLINE, alpha=alpha)
    results.add_comparison("compare", side_a.label, side_b.label, json.dumps(comparison.counts()),
                           comparison.to_dict())
    if as_json:
        print(json.dumps(comparison.to_dict(), indent=2))
    else:
        print_comparison(console, comparison)


@app.command()
@handles_bad_input
def gate(baseline: str = typer.Option(..., help="Reference variant: NAME or RUN_ID:NAME."),
         candidate: str = typer.Option(..., help="Variant under test: NAME or RUN_ID:NAME."),
         config: Optional[Path] = typer.Option(None, help="Gate file (checks, rules, margins, alpha); default: test "
                                                          "accuracy and policy must not regress, safety within 2 points."),
         store: Path = typer.Option(DEFAULT_STORE, help=STORE_HELP),
         run: Optional[str] = typer.Option(None, help="Run to take plain variant names from."),
         junit: Optional[Path] = typer.Option(None, help="Write JUnit XML here (one testcase per suite x check)."),
         markdown: Optional[Path] = typer.Option(None, help="Write a Markdown summary here.")):
    """Exit 1 when the candidate regresses against the baseline (paired, Holm-corrected); 0 when it does not."""

    from harness.analysis import gate as gating
    from harness.analysis.compare import resolve
    from harness.core.store import Store
    from reports.comparison import print_gate

    settings = gating.load_gate(config)
    results = Store(store, create=False)
    side_b, side_c = resolve(results, baseline, run), resolve(results, candidate, run)
    outcome = gating.run_gate(results, side_b, side_c, settings)
    for path, text in ((junit, gating.junit_xml(outcome) if junit else ""),
                       (markdown, gating.markdown(outcome) if markdown else "")):
        if path is not None:
            write_text_atomic(path, text, "--junit" if path == junit else "--markdown")
    results.add_comparison("gate", side_b.label, side_c.label, "pass" if outcome.passed else "fail",
                           outcome.to_dict())
    print_gate(console, outcome)
    if not outcome.passed:
        raise typer.Exit(1)


@app.command()
@handles_bad_input
def audit(target: str = typer.Argument(..., metavar="EXPERIMENT.yaml | verify",
                                       help="The experiment to audit, or 'verify' followed by a bundle folder."),
          bundle: Optional[Path] = typer.Argument(None, metavar="[BUNDLE]", help="With 'verify': the bundle folder."),
          out: Optional[Path] = typer.Option(None, help=OUT_HELP),
          deep: bool = typer.Option(False, help="verify: also re-hash the suite files and adapter weights the "
                                                "audit used, where this machine has them.")):
    """A dated run of EXPERIMENT.yaml, compared with its previous audit, in a hash-sealed bundle
    (`tunebench audit EXPERIMENT.yaml`); or check a bundle (`tunebench audit verify BUNDLE`: exit 1 on any mismatch)."""
    from harness.analysis.bundle import seal, verify

    if target == "verify":
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
    if bundle is not None:
        raise BadInput(f"unexpected argument {str(bundle)!r}: tunebench audit EXPERIMENT.yaml [--out DIR]",
                       field="BUNDLE")
    from harness.core.spec import load_spec
    from harness.orchestration.audit import finish, manifest_context, run_audit
    from reports.decision import decision_markdown, print_decision_table
    from reports.export import export_html

    spec_path = Path(target)
    experiment = load_spec(spec_path)
    done = run_audit(experiment, spec_path, _out_dir(out, experiment))
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


