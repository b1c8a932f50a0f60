"""``suites validate`` on broken copies of every built-in suite: each kind of breakage is reported
with the file, the line and the field, and exit code 2."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from tunebench.harness.cli import app
from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.suites import builtin_suites_dir, list_builtin, load_suite

SUITES = list_builtin()
LINES_KEPT = 12


@pytest.fixture
def copy_of(tmp_path):
    def make(name: str):
        src, dst = builtin_suites_dir() / name, tmp_path / name
        dst.mkdir()
        for path in src.iterdir():
            if path.suffix == ".jsonl":
                dst.joinpath(path.name).write_text("\n".join(path.read_text().splitlines()[:LINES_KEPT]) + "\n")
            elif path.suffix == ".yaml":
                shutil.copy(path, dst / path.name)
        return dst
    return make


def _item(folder, split: str, lineno: int) -> dict:
    return json.loads((folder / f"{split}.jsonl").read_text().splitlines()[lineno - 1])


def _put(folder, split: str, lineno: int, item) -> None:
    path = folder / f"{split}.jsonl"
    lines = path.read_text().splitlines()
    lines[lineno - 1] = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n")


def _wrong_target(suite, item: dict) -> tuple[dict, str]:
    """The item with a target the suite must reject, and the field named in the error."""
    cfg = suite.config
    if cfg.task_type == "classification":
        field = next(iter(cfg.labels))
        return {**item, field: "not-a-label"}, field
    if cfg.task_type == "extraction":
        return {**item, cfg.target_field: {"unexpected": 1}}, cfg.target_field
    return {**item, cfg.target_field: "  "}, cfg.target_field


def _expect(folder, file: str, line: int | None, field: str | None, words: str) -> None:
    with pytest.raises(BadInput) as info:
        suite = load_suite(folder)
        for split in suite.config.splits:
            suite.split(split)
    assert info.value.file == folder / file and info.value.line == line and info.value.field == field
    assert words in str(info.value)
    result = CliRunner().invoke(app, ["suites", "validate", str(folder)])
    assert result.exit_code == 2 and f"{file}{f':{line}' if line else ''}" in result.output


@pytest.mark.parametrize("name", SUITES)
def test_wrong_target(copy_of, name):
    folder = copy_of(name)
    item, field = _wrong_target(load_suite(folder), _item(folder, "test", 5))
    _put(folder, "test", 5, item)
    _expect(folder, "test.jsonl", 5, field, "")


@pytest.mark.parametrize("name", SUITES)
def test_missing_and_empty_input(copy_of, name):
    folder = copy_of(name)
    field = load_suite(folder).config.input_field
    _put(folder, "ood", 2, {**_item(folder, "ood", 2), field: ""})
    _expect(folder, "ood.jsonl", 2, field, "empty input")


@pytest.mark.parametrize("name", SUITES)
def test_duplicate_id(copy_of, name):
    folder = copy_of(name)
    _put(folder, "train", 7, {**_item(folder, "train", 7), "id": _item(folder, "train", 3)["id"]})
    _expect(folder, "train.jsonl", 7, "id", "duplicate id")


@pytest.mark.parametrize("name", SUITES)
def test_bad_json_line(copy_of, name):
    folder = copy_of(name)
    _put(folder, "test", 4, '{"id": "x", ')
    _expect(folder, "test.jsonl", 4, None, "not valid JSON")


@pytest.mark.parametrize("name", SUITES)
def test_safety_kind_and_injection_marker(copy_of, name):
    folder = copy_of(name)
    _put(folder, "safety", 3, {**_item(folder, "safety", 3), "safety": "dangerous"})
    _expect(folder, "safety.jsonl", 3, "safety", "harmful, benign, injection")
    _put(folder, "safety", 3, {k: v for k, v in {**_item(folder, "safety", 3), "safety": "injection"}.items()
                               if k != "injection_marker"})
    _expect(folder, "safety.jsonl", 3, "injection_marker", "marker")


@pytest.mark.parametrize("name", SUITES)
def test_unknown_suite_field_is_located(copy_of, name):
    folder = copy_of(name)
    text = (folder / "suite.yaml").read_text()
    (folder / "suite.yaml").write_text(text + "labelz: {a: [b]}\n")
    line = len(text.splitlines()) + 1
    _expect(folder, "suite.yaml", line, "labelz", "unknown field (did you mean 'labels'?); valid fields here: name, description")


@pytest.mark.parametrize("name", SUITES)
def test_bad_policy_regex_and_rule_type(copy_of, name):
    folder = copy_of(name)
    text = (folder / "policy.yaml").read_text()
    (folder / "policy.yaml").write_text(text + "  - {id: broken, type: forbidden, regex: '([a-z'}\n")
    line = len(text.splitlines()) + 1
    _expect(folder, "policy.yaml", line, "rules.{}.forbidden.regex".format(text.count("  - id:")
                                                                        + text.count("  - {id:")), "regular expression")
    (folder / "policy.yaml").write_text(text + "  - {id: broken, type: vibes}\n")
    with pytest.raises(BadInput) as info:
        load_suite(folder)
    assert info.value.line == line and "required, forbidden, terminology" in str(info.value).replace("'", "")


@pytest.mark.parametrize("name", SUITES)
def test_missing_split_file(copy_of, name):
    folder = copy_of(name)
    (folder / "ood.jsonl").unlink()
    _expect(folder, "ood.jsonl", None, None, "split file not found")
