"""The README's command lines: every `tunebench ...` line in its code blocks names a real command and
real options, and the ones that need no model run as written."""

import re
import shlex
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tunebench.harness.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_command_lines() -> list[str]:
    lines, inside = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
            continue
        match = re.match(r"\s*(?:\$ )?(?:\.venv/bin/)?(tunebench .*)", line) if inside else None
        if match:
            lines.append(re.split(r"\s{2,}", match.group(1).strip())[0])  # the description after two spaces
    return lines


def _command(words: list[str]):
    """The command a README line names, and the words that name it."""
    command, path = typer.main.get_command(app), []
    for word in words:
        if word in getattr(command, "commands", {}):
            command, path = command.commands[word], [*path, word]
        else:
            break
    return command, path


LINES = readme_command_lines()


def test_the_readme_has_command_lines():
    assert len(LINES) >= 15


@pytest.mark.parametrize("line", LINES)
def test_each_readme_command_and_option_exists(line):
    words = line.replace("[", " ").replace("]", " ").replace("|", " ").split()[1:]
    command, path = _command(words)
    assert path, f"no tunebench command in {line!r}"
    assert not hasattr(command, "commands") or words[len(path)] in ("list", "validate"), line
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for option in (w.split("=")[0] for w in words if w.startswith("--")):
        assert option in known, f"{line!r}: {' '.join(path)} has no option {option}"


def test_readme_commands_that_need_no_model_run_as_written(tmp_path, monkeypatch):
    """`suites list`, `suites validate`, `suites export-lm-eval`, `anonymize` and `store copy`, as the
    README writes them (placeholders filled), from a fresh folder."""
    from tunebench.harness.core.store import Store

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.csv").write_text("id,text\n1,Call Giulia Esposito on +39 333 123 4567\n")
    Store(tmp_path / "tunebench-out" / "demo" / "store.sqlite").start_run("e", {}, {})
    filled = {"tunebench suites list": "tunebench suites list",
              "tunebench suites export-lm-eval SUITE --out DIR": "tunebench suites export-lm-eval it_tickets --out tasks/",
              "tunebench anonymize IN --out OUT": "tunebench anonymize in.csv --out out.csv",
              "tunebench store copy SRC DST": "tunebench store copy tunebench-out/demo/store.sqlite copy.sqlite"}
    runner = CliRunner()
    for readme_line in LINES:
        for prefix, command in filled.items():
            if readme_line.startswith(prefix):
                result = runner.invoke(app, shlex.split(command)[1:])
                assert result.exit_code == 0, (command, result.output)
    assert runner.invoke(app, ["suites", "validate", "it_tickets"]).exit_code == 0
    assert (tmp_path / "tasks" / "tunebench_scoring.py").is_file() and (tmp_path / "out.csv").is_file()
    assert (tmp_path / "copy.sqlite").is_file()
