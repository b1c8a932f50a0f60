"""Commands that run experiments: run, eval, train, demo, report."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Optional

import typer

from tunebench.harness.cli.app import (
    DEFAULT_STORE,
    OUT_HELP,
    RUN_STORE_HELP,
    STORE_HELP,
    _out_dir,
    app,
    console,
    handles_bad_input,
)
from tunebench.harness.core.errors import BadInput, did_you_mean
from tunebench.harness.core.files import writable_folder

PRECISION_HELP = ("Number format: auto (bf16 where this machine computes it natively, else fp32), fp32 or bf16; "
                  "overrides the experiment's 'precision'.")


def _precision(value: Optional[str]) -> dict:
    """The ``--precision`` override as an experiment update (empty when not given)."""
    from tunebench.harness.core.precision import PRECISIONS

    if value is None:
        return {}
    if value not in PRECISIONS:
        raise BadInput(f"unknown precision {value!r}{did_you_mean(value, PRECISIONS)}; valid: {', '.join(PRECISIONS)}",
                       field="--precision")
    return {"precision": value}


def _run(spec_path: Path, out: Optional[Path], train: bool, overwrite: bool, overrides: dict | None = None,
         stages=None, store_location: Optional[str] = None):
    import time

    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.core.stages import Stages
    from tunebench.harness.orchestration.pipeline import run_experiment
    from tunebench.reports.decision import print_decision_table
    from tunebench.reports.stages import print_stages

    started = time.perf_counter()
    stages = stages or Stages()
    experiment = load_spec(spec_path)
    if overrides:
        experiment = experiment.model_copy(update=overrides)
    out_dir = _out_dir(out, experiment)
    store, run_id = run_experiment(experiment, out_dir, train=train, overwrite=overwrite, stages=stages,
                                   store_location=store_location)
    with stages("decision table"):
        print_decision_table(console, store, run_id)
    print_stages(console, stages.as_rows(), time.perf_counter() - started)
    console.print(f"store: {store.path}")
    return store, run_id, out_dir


@app.command()
@handles_bad_input
def run(experiment: Path = typer.Argument(..., help="Experiment YAML."),
        out: Optional[Path] = typer.Option(None, help=OUT_HELP),
        overwrite: bool = typer.Option(False, help="Retrain adapters whose folder exists."),
        precision: Optional[str] = typer.Option(None, help=PRECISION_HELP),
        store: Optional[str] = typer.Option(None, help=RUN_STORE_HELP)):
    """Prepare data, train missing adapters, evaluate every variant, store, print a summary."""
    _run(experiment, out, train=True, overwrite=overwrite, overrides=_precision(precision), store_location=store)


@app.command("eval")
@handles_bad_input
def eval_(experiment: Path = typer.Argument(..., help="Experiment YAML."),
          out: Optional[Path] = typer.Option(None, help=OUT_HELP),
          precision: Optional[str] = typer.Option(None, help=PRECISION_HELP),
          store: Optional[str] = typer.Option(None, help=RUN_STORE_HELP)):
    """Evaluate only: trains nothing; a missing adapter is an error."""
    _run(experiment, out, train=False, overwrite=False, overrides=_precision(precision), store_location=store)


@app.command()
@handles_bad_input
def train(experiment: Path = typer.Argument(..., help="Experiment YAML."),
          out: Optional[Path] = typer.Option(None, help=OUT_HELP),
          only: Optional[str] = typer.Option(None, help="Train only this adapter variant."),
          overwrite: bool = typer.Option(False, help="Replace existing adapter folders."),
          precision: Optional[str] = typer.Option(None, help=PRECISION_HELP),
          store: Optional[str] = typer.Option(None, help=RUN_STORE_HELP)):
    """Train the adapter variants only."""
    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.core.store import Store
    from tunebench.harness.orchestration.pipeline import TrainOptions, load_suites, train_all

    spec = load_spec(experiment)
    spec = spec.model_copy(update=_precision(precision))
    adapters = [v.name for v in spec.variants if v.kind == "adapter"]
    if only and only not in adapters:
        raise BadInput(f"{only!r} is not an adapter variant of {spec.name}{did_you_mean(only, adapters)}; adapter "
                       f"variants: {', '.join(adapters) or 'none'}", field="--only")
    suites = load_suites(spec, needs_train=True)
    out_dir = _out_dir(out, spec)
    main_process = int(os.environ.get("RANK", "0")) == 0  # under accelerate launch, one writer
    results = Store(store or out_dir / "store.sqlite") if main_process else None
    folders = train_all(spec, suites, out_dir, results, TrainOptions(overwrite, only))
    for name, folder in folders.items():
        console.print(f"adapter {name}: {folder}")


def demo_spec_path() -> Path:
    return Path(str(resources.files("tunebench.examples") / "demo.yaml"))


# A smoke run of the whole path (train, every split kind, robustness, overfitting, probe, guard, report) at
# the smallest sizes that still exercise it: one adapter against the stronger prompt strategy.
QUICK = {"eval_limit": 4, "eval_limits": {}, "robustness": ["typos"], "robustness_items": 2, "overfitting_items": 2,
         "probe_limit": 16, "guard_items": 2, "baseline": "few-shot"}
QUICK_TRAINING = {"train_size": 48, "epochs": 1.0, "val_size": 8, "evaluations": 1}
QUICK_VARIANTS = ("few-shot", "lora-baseline")


@app.command()
@handles_bad_input
def demo(quick: bool = typer.Option(False, help="Smaller data and fewer checks: a smoke run of the whole path."),
         no_serve: bool = typer.Option(False, "--no-serve", help="Do not start the report site."),
         out: Optional[Path] = typer.Option(None, help=OUT_HELP),
         precision: Optional[str] = typer.Option(None, help=PRECISION_HELP)):
    """Run the built-in demo on the embedded Gemma 3 270M, then serve the report site."""
    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.core.stages import Stages
    from tunebench.reports.export import export_html

    overrides = _precision(precision)
    if quick:
        spec = load_spec(demo_spec_path())
        overrides = {**overrides, **QUICK, "name": "demo-quick", "training": spec.training.model_copy(update=QUICK_TRAINING),
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


LOCAL = "127.0.0.1"


def serve(store_path: str | Path, port: int = 8501, host: str = LOCAL, read_only: bool = False,
          user_header: str | None = None) -> None:
    """Serve the report site on ``host`` (this machine only by default: the site shows every prompt and
    output, and its Review page writes to the store). Exposed without ``user_header`` (a header an
    authenticating proxy sets), the site takes no reviews: a typed name proves nothing."""
    app_path = Path(__file__).resolve().parents[2] / "reports" / "app.py"
    shown = "localhost" if host == LOCAL else host
    console.print(f"serving the report on http://{shown}:{port} (Ctrl-C stops)", highlight=False)
    if host != LOCAL:
        console.print(f"[yellow]listening on {host}: anyone who can reach this machine on port {port} reads every "
                      "prompt and output in the store and can write reviews[/yellow]", highlight=False)
    env = {**os.environ, "TUNEBENCH_READ_ONLY": "1" if read_only else "0",
           "TUNEBENCH_EXPOSED": "0" if host == LOCAL else "1"}
    if user_header:
        env["TUNEBENCH_USER_HEADER"] = user_header
    elif host != LOCAL and not read_only:
        console.print("[yellow]reviews are off: pass --user-header NAME (set by an authenticating proxy) to take "
                      "them on an exposed site[/yellow]", highlight=False)
    subprocess.run([sys.executable, "-m", "streamlit", "run", str(app_path), "--server.headless", "true",
                    "--server.address", host, "--server.port", str(port), "--browser.gatherUsageStats", "false",
                    "--", "--store", str(store_path)], check=False, env=env)


@app.command()
@handles_bad_input
def report(store: str = typer.Option(DEFAULT_STORE, help=STORE_HELP),
           export: Optional[Path] = typer.Option(None, help="Write a static HTML site here instead."),
           port: int = typer.Option(8501),
           host: str = typer.Option(LOCAL, help="Address to listen on: 127.0.0.1 (this machine only) by default; "
                                                "0.0.0.0 exposes the site and its data to the network."),
           read_only: bool = typer.Option(False, help="No Review form: the site only reads (auditors)."),
           user_header: Optional[str] = typer.Option(None, help="Request header holding the user an authenticating "
                                                     "reverse proxy signed in (e.g. X-Forwarded-User): reviews "
                                                     "are filed under it, never under a typed name.")):
    """Serve the Streamlit report site, or write a static HTML export."""
    from tunebench.harness.core.store import Store
    from tunebench.reports.export import export_html

    Store(store, create=False)  # a missing file, a folder, another program's database: bad input, here
    if export:
        console.print(f"report: {export_html(store, writable_folder(export, '--export'))}")
    else:
        serve(store, port, host, read_only, user_header)




@app.command()
@handles_bad_input
def validate(experiment: Path = typer.Argument(..., help="Experiment YAML."),
             out: Optional[Path] = typer.Option(None, help=OUT_HELP),
             store: Optional[str] = typer.Option(None, help=RUN_STORE_HELP),
             train: bool = typer.Option(True, help="Check as `run` would (adapters may be missing: run trains "
                                                   "them); --no-train checks as `eval` (every adapter must exist).")):
    """Check everything a run would check before it starts (the experiment, every suite and policy, each
    prompt, the base model, adapters or the served backend, the output folder and the store) and write
    nothing. Exit 0: the run would start; 2: what is wrong, with file, line and field."""
    from tunebench.harness.core.precision import resolve_precision
    from tunebench.harness.core.spec import load_spec
    from tunebench.harness.core.store.store import is_url
    from tunebench.harness.orchestration.pipeline import checked_options, load_suites, resolve_options

    spec = load_spec(experiment)
    adapters = [v.name for v in spec.variants if v.kind == "adapter"]
    suites = load_suites(spec, needs_train=train and bool(adapters))
    precision = resolve_precision(spec.precision)
    options = resolve_options(spec)
    out_dir = _out_dir(out, spec)
    if not train or spec.served_backends():
        checked_options(spec, out_dir, options)
    existing = out_dir
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK):
        raise BadInput("the output folder cannot be created here (not writable)", file=out_dir, field="--out")
    location = store or str(out_dir / "store.sqlite")
    _check_store(location)
    console.print(f"ok: {spec.name}: {len(suites)} suites, {len(spec.variants)} variants "
                  f"({len(adapters)} adapters), base model {', '.join(r.ref for r in options.values())}, "
                  f"{precision.name}; output {out_dir}; "
                  f"store {location if not is_url(location) else 'on the server'}", highlight=False)


def _check_store(location: str) -> None:
    """The store a run would write: an existing file must be a store of a readable version; a server
    must be reachable and hold a store or nothing (a run creates it). Nothing is created here."""
    from tunebench.harness.core.store.store import is_url

    if is_url(location):
        from tunebench.harness.core.store.server import inspect_server

        inspect_server(location)
        return
    from tunebench.harness.core.store.migrations import check_file

    check_file(Path(location))
