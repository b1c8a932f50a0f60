"""``tunebench store copy SRC DST``: move a results store between a file and a database server."""

from __future__ import annotations

import typer
from rich.table import Table

from tunebench.harness.cli.app import app, console, handles_bad_input

store_app = typer.Typer(help="Results stores: copy one to a file or a database server.", no_args_is_help=True)
app.add_typer(store_app, name="store")


@store_app.command("copy")
@handles_bad_input
def store_copy(source: str = typer.Argument(..., metavar="SRC", help="A store file or a SQLAlchemy URL."),
               target: str = typer.Argument(..., metavar="DST", help="A new store file, or a URL of an empty "
                                            "database (postgresql+psycopg://USER@HOST/DB).")):
    """Copy every run, sample, metric, cache entry, review and audit of SRC into DST, then check the counts."""
    from tunebench.harness.core.store.copy import copy_store

    counts = copy_store(source, target)
    table = Table("table", "rows", title="copied, counts checked")
    for name, n in counts.items():
        table.add_row(name, str(n))
    console.print(table)
    console.print(f"{sum(counts.values())} rows: {source} -> {target}", highlight=False)
