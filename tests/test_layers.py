"""The floors of the README's architecture section ("How it fits together"), enforced: every
import in the packages points down.

Read from the source with ``ast`` (imports inside functions count too), so a lazy import cannot
hide an arrow that points up.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# floor -> the floors its modules may import (besides their own)
MAY_IMPORT = {
    "core": set(),
    "trainers": {"core"},
    "scorers": {"core"},
    "analysis": {"core"},
    "orchestration": {"core", "trainers", "scorers", "analysis"},
    "reports": {"core", "analysis"},
    "cli": {"core", "trainers", "scorers", "analysis", "orchestration", "reports"},
    "suites": set(),  # data and their generators: standalone
}


PACKAGES = ("harness", "trainers", "reports", "suites")  # installed as tunebench.<package>
SUBPACKAGES = {"core", "scorers", "analysis", "orchestration", "cli"}


def floor(module: str) -> str | None:
    """The floor of a tunebench module name, None for anything else (stdlib, third party);
    "unnamespaced" for one of tunebench's packages imported without the ``tunebench.`` prefix."""
    parts = module.split(".")
    if parts[0] in PACKAGES:
        return "unnamespaced"
    if parts[0] != "tunebench" or len(parts) == 1:
        return None
    parts = parts[1:]
    if parts[0] == "harness":
        if len(parts) == 1:
            return "core"  # the package itself: only __version__
        return {"core": "core", "scorers": "scorers", "analysis": "analysis", "orchestration": "orchestration",
                "cli": "cli"}.get(parts[1], "unplaced")
    return {"trainers": "trainers", "reports": "reports", "suites": "suites"}.get(parts[0], "unplaced")


def imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in ``source``, at any depth."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module in ("tunebench", "tunebench.harness"):  # `from tunebench.harness import scorers`
                found += [(node.lineno, f"{node.module}.{a.name}" if a.name in SUBPACKAGES | set(PACKAGES)
                           else node.module) for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def module_name(path: Path) -> str:
    return "tunebench." + ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def violations(module: str, source: str, where: str) -> list[str]:
    """Every import of ``module`` (source text given) that its floor may not make."""
    own = floor(module)
    if own == "unplaced":
        return [f"{module}: not on any floor; place it in harness/core, scorers, analysis or orchestration"]
    if own is None:
        return [f"{module}: not a tunebench module"]
    bad = []
    for lineno, name in imports(source):
        target = floor(name)
        if target is None or target == own:
            continue
        if target == "unnamespaced":
            bad.append(f"{where}:{lineno}: imports {name} without the tunebench namespace (installed as "
                       f"tunebench.{name})")
        elif target == "unplaced" or target not in MAY_IMPORT[own]:
            bad.append(f"{where}:{lineno}: {own} imports {name} ({target})")
    return bad


PACKAGE_FILES = sorted(p for folder in ("harness", "trainers", "reports", "suites")
                       for p in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", PACKAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path):
    assert violations(module_name(path), path.read_text(), str(path.relative_to(ROOT))) == []


def test_only_the_cli_imports_the_report():
    importers = {str(p.relative_to(ROOT)) for p in PACKAGE_FILES
                 if floor(module_name(p)) != "reports" and any(floor(n) == "reports" for _, n in imports(p.read_text()))}
    assert importers and all(name.startswith("harness/cli/") for name in importers), importers


def test_the_check_catches_arrows_pointing_up():
    """The rule itself can fail: imports that point up or sideways are reported, lazy ones too."""
    source = "from tunebench.trainers.lora import train_adapter\n\ndef f():\n    from tunebench.reports import app\n"
    assert violations("tunebench.harness.core.spec", source, "spec.py") == [
        "spec.py:1: core imports tunebench.trainers.lora (trainers)",
        "spec.py:4: core imports tunebench.reports (reports)"]
    assert violations("tunebench.reports.app", "from tunebench.harness.orchestration import runner\n", "app.py") == [
        "app.py:1: reports imports tunebench.harness.orchestration (orchestration)"]
    assert violations("tunebench.harness.scorers.x", "from tunebench.harness import scorers, core\n", "x.py") == []
    assert violations("tunebench.harness.newthing", "", "x.py")[0].startswith("tunebench.harness.newthing: not on")


def test_the_check_catches_imports_without_the_namespace():
    """``harness``, ``reports``, ... are other projects' names on PyPI: only ``tunebench.*`` is ours."""
    assert violations("tunebench.harness.core.spec", "from harness.core import stats\n", "spec.py") == [
        "spec.py:1: imports harness.core without the tunebench namespace (installed as tunebench.harness.core)"]
