"""The ``tunebench`` command line: the only entry point users need.

Exit codes: 0 ok, 1 a gate or check failed, 2 bad input (the message names file, line, field).
Commands live by what they do: ``running`` (run, eval, train, demo, report), ``deciding``
(compare, gate, and the ``audit`` group: ``audit run``, ``audit verify``) and ``tools`` (suites,
refusals, scorers), ``privacy`` (anonymize).
"""

from tunebench.harness.cli import deciding, privacy, running, stores, tools  # noqa: F401 - registers commands
from tunebench.harness.cli.app import app, console, main
from tunebench.harness.cli.running import demo_spec_path

__all__ = ["app", "console", "demo_spec_path", "main"]
