"""The one error users see for bad input: it names the file, line and field, and what is valid.

The CLI turns it into exit code 2 (see harness/cli.py); everything else is a bug.
"""

from __future__ import annotations

from pathlib import Path


class BadInput(Exception):
    """Input the user can fix: a spec, a suite file, a model reference."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None,
                 field: str | None = None):
        self.message, self.file, self.line, self.field = message, file, line, field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.file) if self.file is not None else ""
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.message}" if where else self.message
