"""The ``tunebench`` command line: the only entry point users need.

Exit codes: 0 ok, 1 a gate or check failed, 2 bad input (the message names file, line, field).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from harness.core.errors import BadInput, Problem, did_you_mean
from harness.core.files import writable_folder

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Decide between fine-tuning and prompt engineering on evidence.")
suites_app = typer.Typer(no_args_is_help=True, help="List, validate and export suites.")
app.add_typer(suites_app, name="suites")
console = Console(width=None if sys.stdout.isatty() else 160)  # logs and CI keep whole tables
OUT_HELP = "Output folder (store, adapters, report); default tunebench-out/<experiment name>."


def handles_bad_input(command):
    """Bad input anywhere in a command: every problem on stderr, exit code 2, no traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BadInput as exc:
            print(f"error: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None

    return wrapper


def _out_dir(out: Optional[Path], experiment) -> Path:
    return (out or Path("tunebench-out") / experiment.name).resolve()


def _run(spec_path: Path, out: Optional[Path], train: bool, overwrite: bool, overrides: dict | None = None,
         stages=None):
    import time

    from harness.core.spec import load_spec
    from harness.core.stages import Stages
    from harness.orchestration.pipeline import run_experiment
    from reports.decision import print_decision_table
    from reports.stages import print_stages

    started = time.perf_counter()
    stages = stages or Stages()
    experiment = load_spec(spec_path)
    if overrides:
        experiment = experiment.model_copy(update=overrides)
    out_dir = _out_dir(out, experiment)
    store, run_id = run_experiment(experiment, out_dir, train=train, overwrite=overwrite, stages=stages)
    print_decision_table(console, store, run_id)
    print_stages(console, stages.as_rows(), time.perf_counter() - started)
    console.print(f"store: {store.path}")
    return store, run_id, out_dir


@app.command()
@handles_bad_input
def run(experiment: Path = typer.Argument(..., help="Experiment YAML."),
        out: Optional[Path] = typer.Option(None, help=OUT_HELP),
        overwrite: bool = typer.Option(False, help="Retrain adapters whose folder exists.")):
    """Prepare data, train missing adapters, evaluate every variant, store, print a summary."""
    _run(experiment, out, train=True, overwrite=overwrite)


@app.command("eval")
@handles_bad_input
def eval_(experiment: Path = typer.Argument(..., help="Experiment YAML."),
          out: Optional[Path] = typer.Option(None, help=OUT_HELP)):
    """Evaluate only: trains nothing; a missing adapter is an error."""
    _run(experiment, out, train=False, overwrite=False)


@app.command()
@handles_bad_input
def train(experiment: Path = typer.Argument(..., help="Experiment YAML."),
          out: Optional[Path] = typer.Option(None, help=OUT_HELP),
          only: Optional[str] = typer.Option(None, help="Train only this adapter variant."),
          overwrite: bool = typer.Option(False, help="Replace existing adapter folders.")):
    """Train the adapter variants only."""
    from harness.core.spec import load_spec
    from harness.core.store import Store
    from harness.orchestration.pipeline import load_suites, train_all

    spec = load_spec(experiment)
    adapters = [v.name for v in spec.variants if v.kind == "adapter"]
    if only and only not in adapters:
        raise BadInput(f"{only!r} is not an adapter variant of {spec.name}{did_you_mean(only, adapters)}; adapter "
                       f"variants: {', '.join(adapters) or 'none'}", field="--only")
    suites = load_suites(spec, needs_train=True)
    out_dir = _out_dir(out, spec)
    main_process = int(os.environ.get("RANK", "0")) == 0  # under accelerate launch, one writer
    store = Store(out_dir / "store.sqlite") if main_process else None
    folders = train_all(spec, suites, out_dir, store, overwrite, only)
    for name, folder in folders.items():
        console.print(f"adapter {name}: {folder}")


def demo_spec_path() -> Path:
    return Path(str(resources.files("tunebench_examples") / "demo.yaml"))


QUICK = {"eval_limit": 4, "robustness": ["typos"], "robustness_items": 4, "overfitting_items": 4, "probe_limit": 24,
         "guard_items": 2}
QUICK_TRAINING = {"train_size": 64, "epochs": 1.0, "val_size": 8, "evaluations": 1}
QUICK_VARIANTS = ("zero-shot", "few-shot", "lora-baseline")  # a smoke run: one adapter, the two prompt strategies


@app.command()
@handles_bad_input
def demo(quick: bool = typer.Option(False, help="Smaller data and fewer checks: a smoke run of the whole path."),
         no_serve: bool = typer.Option(False, "--no-serve", help="Do not start the report site."),
         out: Optional[Path] = typer.Option(None, help=OUT_HELP)):
    """Run the built-in demo on the embedded Gemma 3 270M, then serve the report site."""
    from harness.core.spec import load_spec
    from harness.core.stages import Stages
    from reports.export import export_html

    overrides = None
    if quick:
        spec = load_spec(demo_spec_path())
        overrides = {**QUICK, "name": "demo-quick", "training": spec.training.model_copy(update=QUICK_TRAINING),
                     "variants": [v for v in spec.variants if v.name in QUICK_VARIANTS]}
    stages = Stages()
    store, run_id, out_dir = _run(demo_spec_path(), out, train=True, overwrite=False, overrides=overrides,
                                  stages=stages)
    with stages("report (static export)"):
        index = export_html(store.path, out_dir / "report")
    store.finish_run(run_id, stages=stages.as_rows())  # the breakdown, export included, stays with the run
    console.print(f"report: {index}  (static)   site: tunebench report --store {store.path}")
    if not no_serve:
        serve(store.path)


def serve(store_path: Path, port: int = 8501) -> None:
    app_path = Path(__file__).resolve().parent.parent / "reports" / "app.py"
    console.print(f"serving the report on http://localhost:{port} (Ctrl-C stops)")
    subprocess.run([sys.executable, "-m", "streamlit", "run", str(app_path), "--server.headless", "true",
                    "--server.port", str(port), "--", "--store", str(store_path)], check=False)


@app.command()
@handles_bad_input
def report(store: Path = typer.Option(Path("tunebench-out/demo/store.sqlite"), help="Results store."),
           export: Optional[Path] = typer.Option(None, help="Write a static HTML site here instead."),
           port: int = typer.Option(8501)):
    """Serve the Streamlit report site, or write a static HTML export."""
    from harness.core.store import Store
    from reports.export import export_html

    Store(store, create=False)  # a missing file, a folder, another program's database: bad input, here
    if export:
        console.print(f"report: {export_html(store, writable_folder(export, '--export'))}")
    else:
        serve(store, port)


STORE_HELP = "Results store (default: the demo's)."
DEFAULT_STORE = Path("tunebench-out/demo/store.sqlite")


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


def write_text_atomic(path: Path, text: str, option: str) -> None:
    """Write ``path`` through a temporary file, so a reader never sees half of it."""
    if path.is_dir():
        raise BadInput(f"{option} must name a file, not a folder", file=path, field=option)
    writable_folder(path.parent, option)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


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


@app.command()
@handles_bad_input
def scorers(show: Optional[str] = typer.Option(None, help="Also list the check items this scorer gets wrong "
                                                          "(labels, json, similarity, refusal, policy).")):
    """How far each automatic scorer agrees with hand labels on its check set (95% Wilson intervals)."""
    from harness.core.metrics import TRUSTED
    from harness.scorers.reliability import CHECKERS, TITLES, disagreements, measure

    if show is not None and show not in CHECKERS:
        raise BadInput(f"unknown scorer {show!r}{did_you_mean(show, CHECKERS)}; scorers: {', '.join(CHECKERS)}",
                       field="--show")
    table = Table("scorer", "agreement [95% CI]", "n", "status", title="automatic scorers against hand labels")
    for agreement in measure():
        row = agreement.row
        table.add_row(TITLES[agreement.scorer], f"{row.value:.3f} [{row.ci_low:.2f}, {row.ci_high:.2f}]", str(row.n),
                      "trusted" if agreement.trusted else f"FLAGGED (below {TRUSTED:.0%})")
    console.print(table)
    if show:
        for miss in disagreements(show):
            console.print(miss, highlight=False)


@suites_app.command("list")
@handles_bad_input
def suites_list():
    """The built-in suites."""
    from harness.core.suites import builtin_suites_dir, list_builtin, load_suite
    from harness.orchestration.probe import PROBE_TASK

    table = Table("suite", "task", "splits", "description")
    for name in list_builtin():
        s = load_suite(name)
        table.add_row(name, s.config.task_type, ", ".join(f"{k} {len(s.split(k))}" for k in s.config.splits),
                      s.config.description)
    probe_items = sum(1 for _ in (builtin_suites_dir() / "general_probe" / "probe.jsonl").open())
    table.add_row("general_probe", "multiple choice (lm-eval)", f"test {probe_items}",
                  f"General-capability probe for forgetting: lm-eval task {PROBE_TASK}.")
    console.print(table)


@suites_app.command("validate")
@handles_bad_input
def suites_validate(path: str = typer.Argument(..., help="Suite folder or built-in name.")):
    """Check suite.yaml, policy.yaml and every split; exit 2 listing every problem with file, line and field."""
    from harness.core.suites import load_suite

    suite = load_suite(path)
    counts = {split: len(suite.split(split)) for split in suite.config.splits}
    console.print(f"{suite.name}: ok ({', '.join(f'{k} {v}' for k, v in counts.items())})")


@suites_app.command("export-lm-eval")
@handles_bad_input
def suites_export_lm_eval(
        suite_ref: str = typer.Argument(..., metavar="SUITE", help="Suite folder or built-in name."),
        out: Path = typer.Option(..., "--out", help="Folder for the task YAMLs and data."),
        split: Optional[list[str]] = typer.Option(None, help="Split to export (repeatable); default all with targets."),
        prompt: str = typer.Option("zero-shot", help="Prompt strategy: zero-shot, few-shot, policy or plain."),
        k: Optional[int] = typer.Option(None, min=1, help="Few-shot examples (default: the suite's few_shot_k)."),
        limit: Optional[int] = typer.Option(None, min=1, help="At most N items per split (the ones eval_limit picks)."),
        choices: bool = typer.Option(False, "--choices", help="Classification: multiple-choice tasks (one per label "
                                                               "field) instead of generation tasks.")):
    """Write lm-eval task YAMLs for a suite's splits (same prompts, settings and scoring as tunebench)."""
    from typing import get_args

    from harness.core.spec import PromptStrategy
    from harness.core.suites import load_suite
    from harness.orchestration.lm_eval_export import export_lm_eval

    strategies = get_args(PromptStrategy)
    if prompt not in strategies:
        raise BadInput(f"unknown prompt strategy {prompt!r}{did_you_mean(prompt, strategies)}; valid: "
                       f"{', '.join(strategies)}", field="--prompt")
    suite = load_suite(suite_ref)
    for name in split or []:
        suite.split(name)  # an unknown split is bad input naming the suite's splits
    names = export_lm_eval(suite, out, split, prompt, k, limit, choices)
    console.print(f"wrote {len(names)} task(s) to {out}: {', '.join(names)}")
    console.print(f"run: lm_eval --model hf --model_args pretrained=MODEL --include_path {out} "
                  f"--tasks {names[0]} --batch_size 8")


@app.command()
@handles_bad_input
def refusals(infile: Path = typer.Argument(..., metavar="IN.jsonl", help='Rows {"prompt", "response"}.'),
             out: Path = typer.Option(..., "--out", help="Where to write the labelled rows (JSONL).")):
    """Label each response refusal or compliance (with a score); report agreement if rows carry labels."""
    import json

    from harness.core.records import read_jsonl
    from harness.scorers.refusals import agreement, detect

    records, problems = read_jsonl(infile, "input file")
    for lineno, row in records:
        if not isinstance(row.get("response"), str):
            problems.append(Problem('each line needs a "response" string', infile, lineno, "response"))
    if problems:
        raise BadInput(problems=sorted(problems, key=lambda p: p.line or 0))
    if out.is_dir():
        raise BadInput("--out must name a file (JSONL), not a folder", file=out, field="--out")
    writable_folder(out.parent, "--out")
    rows = [row for _, row in records]
    verdicts = detect([r["response"] for r in rows])
    tmp = out.with_suffix(out.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for row, v in zip(rows, verdicts):
            label = "compliance" if v.label == "empty" else v.label
            f.write(json.dumps({**row, "refusal_label": label, "refusal_score": round(v.score, 4),
                                "tier": v.tier, "explanation": v.explanation}, ensure_ascii=False) + "\n")
    tmp.replace(out)
    console.print(f"labelled {len(rows)} rows -> {out}")
    labelled = [r for r in rows if r.get("label") in ("refusal", "partial", "compliance")]
    if labelled:
        result = agreement(labelled)
        console.print(f"agreement with the rows' labels: {result['agreement']:.3f} "
                      f"(Cohen's kappa {result['cohen_kappa']:.3f}, n={result['n']})")
        for name, part in (("side", result["sides"]), ("tier", result["tiers"])):
            console.print(f"  by {name}: " + ", ".join(
                f"{key} {v['agreement']:.3f} (n={v['n']})" for key, v in part.items() if v["n"]), highlight=False)
    tiers = {}
    for v in verdicts:
        tiers[v.tier] = tiers.get(v.tier, 0) + 1
    console.print("verdicts by tier: " + ", ".join(f"{t} {n}" for t, n in sorted(tiers.items())), highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
