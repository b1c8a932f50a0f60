"""The CLI's shared pieces: the typer apps, the console, bad input as exit code 2, output paths."""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import writable_folder
from tunebench.harness.core.memory import keep_freed_memory

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


STORE_HELP = ("Results store: a file (default: the demo's) or a SQLAlchemy URL "
              "(postgresql+psycopg://USER@HOST/DB).")
DEFAULT_STORE = "tunebench-out/demo/store.sqlite"
RUN_STORE_HELP = ("Where results go: a store file or a SQLAlchemy URL (postgresql+psycopg://USER@HOST/DB) shared "
                  "by a team (default: store.sqlite in the output folder).")




def write_text_atomic(path: Path, text: str, option: str) -> None:
    """Write ``path`` through a temporary file, so a reader never sees half of it."""
    if path.is_dir():
        raise BadInput(f"{option} must name a file, not a folder", file=path, field=option)
    writable_folder(path.parent, option)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    keep_freed_memory()  # no page faults for memory just freed (BENCHMARKS.md "Allocator")
    app()
