"""The one error users see for bad input: it names the file, line and field, and what is valid.

A ``BadInput`` holds every ``Problem`` found in the input (a split file with three bad lines lists
all three); the CLI prints them and exits with code 2 (see ``handles_bad_input`` in
harness/cli/app.py). Anything else that escapes is a bug.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, and where."""

    message: str
    file: str | Path | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = str(self.file) if self.file is not None else ""
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]" if where else f"[{self.field}]"
        return f"{where}: {self.message}" if where else self.message


class BadInput(Exception):
    """Input the user can fix: a spec, a suite file, a store, an adapter folder, an argument.

    ``file``, ``line``, ``field`` and ``message`` are those of the first problem; ``problems``
    lists them all.
    """

    def __init__(self, message: str = "", *, file: str | Path | None = None, line: int | None = None,
                 field: str | None = None, problems: Iterable[Problem] | None = None):
        self.problems = list(problems) if problems is not None else [Problem(message, file, line, field)]
        first = self.problems[0]
        self.message, self.file, self.line, self.field = first.message, first.file, first.line, first.field
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        files = {str(p.file) for p in self.problems}
        head = f"{self.problems[0].file}: " if len(files) == 1 and self.problems[0].file is not None else ""
        return f"{head}{len(self.problems)} problems:\n" + "\n".join(f"  {p}" for p in self.problems)


class Problems:
    """Collects the problems of one input so that all of them are reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, message: str, *, file: str | Path | None = None, line: int | None = None,
            field: str | None = None) -> None:
        self.items.append(Problem(message, file, line, field))

    def extend(self, error: BadInput) -> None:
        self.items += error.problems

    def raise_if_any(self) -> None:
        if self.items:
            raise BadInput(problems=self.items)


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when ``word`` is close to one of ``choices``, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
