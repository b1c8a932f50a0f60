import pytest

from harness.errors import BadInput
from harness.suites import list_builtin, load_suite


def test_builtin_it_suite_sizes_and_labels():
    assert "it_tickets" in list_builtin()
    suite = load_suite("it_tickets")
    assert len(suite.split("train")) >= 400 and len(suite.split("test")) >= 150
    train_texts = {i["text"] for i in suite.split("train")}
    assert not train_texts & {i["text"] for i in suite.split("test")}, "test repeats training text"
    for split in ("train", "test"):
        for field, values in suite.config.labels.items():
            assert {i[field] for i in suite.split(split)} == set(values), f"{split} misses a {field} label"


def test_generator_is_deterministic(tmp_path):
    from importlib import util

    from harness.suites import builtin_suites_dir

    spec = util.spec_from_file_location("gen", builtin_suites_dir() / "it_tickets" / "generate.py")
    gen = util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.generate("test", 20, 13) == gen.generate("test", 20, 13)
    assert gen.generate("test", 20, 13) == load_suite("it_tickets").split("test")[:20]


def _break(folder, split, lineno, new_line):
    path = folder / f"{split}.jsonl"
    lines = path.read_text().splitlines()
    lines[lineno - 1] = new_line
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("new_line, field, words", [
    ('{"id": "x", "text": "hi", "category": "plumbing", "priority": "low"}', "category", "not in the label set"),
    ('{"id": "x", "text": "", "category": "network", "priority": "low"}', "text", "empty input"),
    ('{"text": "hi", "category": "network", "priority": "low"}', "id", "missing"),
    ('{"id": "x", "text": "hi", "category": "network"}', "priority", "missing label"),
    ('{"id": "x", "text": "hi", ', None, "not valid JSON"),
    ('["a list"]', None, "JSON object"),
])
def test_broken_split_lines_are_located(suite_copy, new_line, field, words):
    path = _break(suite_copy, "test", 3, new_line)
    with pytest.raises(BadInput) as info:
        load_suite(suite_copy).split("test")
    assert (info.value.file, info.value.line, info.value.field) == (path, 3, field)
    assert words in str(info.value)


def test_suite_config_errors(suite_copy):
    (suite_copy / "suite.yaml").write_text((suite_copy / "suite.yaml").read_text()
                                          .replace("task_type: classification", "task_type: poetry"))
    with pytest.raises(BadInput) as info:
        load_suite(suite_copy)
    assert info.value.field == "task_type" and info.value.line == 5


def test_missing_pieces(suite_copy, tmp_path):
    (suite_copy / "val.jsonl").unlink()
    with pytest.raises(BadInput, match="split file not found"):
        load_suite(suite_copy).split("val")
    empty = tmp_path / "empty_suite"
    empty.mkdir()
    with pytest.raises(BadInput, match="no suite.yaml"):
        load_suite(empty)
    with pytest.raises(BadInput, match="built-in: .*it_tickets"):
        load_suite("no_such_suite")
