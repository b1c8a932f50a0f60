"""``tunebench anonymize``: the anonymiser on the user's own file, to inspect before training."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from tunebench.harness.cli.app import app, console, handles_bad_input
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import writable_folder


@app.command()
@handles_bad_input
def anonymize(infile: Path = typer.Argument(..., metavar="IN", help="A JSONL or CSV file."),
              out: Path = typer.Option(..., "--out", help="Where to write the anonymised rows (.csv or JSONL)."),
              field: Optional[list[str]] = typer.Option(None, "--field", help="A field to anonymise (repeat the "
                                                        "option for more); default: every text field."),
              mode: str = typer.Option("placeholder", help="placeholder (<PERSON>) or surrogate (consistent fake "
                                       "values)."),
              language: str = typer.Option("auto", help="Locale of the surrogates: en, it, or auto (per text)."),
              seed: int = typer.Option(0, help="Seed of the surrogates: the same seed gives the same fake values.")):
    """Replace the PII in a file as training does; print counts per type and a sample of replacements."""
    from tunebench.harness.core.pii import MODES
    from tunebench.harness.core.pii.files import anonymise_rows, choose_fields, read_rows, write_rows

    if mode not in MODES:
        raise BadInput(f"--mode must be one of {', '.join(MODES)}, not {mode!r}", field="--mode")
    if language not in ("auto", "en", "it"):
        raise BadInput(f"--language must be auto, en or it, not {language!r}", field="--language")
    if out.is_dir():
        raise BadInput("--out must name a file (.csv or .jsonl), not a folder", file=out, field="--out")
    if out.resolve() == infile.resolve():
        raise BadInput("--out must not be the input file: the original is kept", file=out, field="--out")
    rows, names, delimiter = read_rows(infile)
    fields = choose_fields(infile, rows, names, list(field or []))
    writable_folder(out.parent, "--out")
    result = anonymise_rows(rows, fields, mode, seed, None if language == "auto" else language)
    write_rows(out, result.rows, names, delimiter)
    console.print(f"anonymised {len(rows)} rows ({', '.join(fields)}), mode {mode} -> {out}")
    table = Table("type", "replaced", title="PII replaced")
    for kind, n in result.counts.most_common():
        table.add_row(kind, str(n))
    table.add_row("all", str(sum(result.counts.values())))
    console.print(table)
    if result.samples:
        sample = Table("type", "original", "replacement", title=f"first {len(result.samples)} replacements")
        for kind, original, replacement in result.samples:
            sample.add_row(kind, original, replacement)
        console.print(sample, highlight=False)
