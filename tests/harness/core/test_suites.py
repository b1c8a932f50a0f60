import pytest

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.suites import list_builtin, load_suite
from tests.conftest import TINY_SUITE_ITEMS


def test_builtin_it_suite_sizes_and_labels():
    assert "it_tickets" in list_builtin()
    suite = load_suite("it_tickets")
    assert len(suite.split("train")) >= 400 and len(suite.split("test")) >= 150
    train_texts = {i["text"] for i in suite.split("train")}
    assert not train_texts & {i["text"] for i in suite.split("test")}, "test repeats training text"
    for split in ("train", "test"):
        for field, values in suite.config.labels.items():
            assert {i[field] for i in suite.split(split)} == set(values), f"{split} misses a {field} label"


@pytest.mark.parametrize("name", list_builtin())
def test_generators_are_deterministic_and_match_the_files(name):
    """Each built-in suite's data is exactly what its seeded generator writes."""
    from importlib import util

    from tunebench.harness.core.suites import builtin_suites_dir

    spec = util.spec_from_file_location(f"gen_{name}", builtin_suites_dir() / name / "generate.py")
    gen = util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    built, suite = gen.build(), load_suite(name)
    assert built == gen.build()
    assert set(built) == set(suite.config.splits)
    for split, items in built.items():
        assert items == suite.split(split), f"{name}/{split}.jsonl differs from generate.py's output"


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


def test_response_line_is_part_of_the_completion_only(suite_copy):
    from tunebench.harness.core.parsing import parse_labels
    from tunebench.harness.core.prompts import render_completion

    text = (suite_copy / "suite.yaml").read_text()
    (suite_copy / "suite.yaml").write_text(text + "response_field: action\nresponse_label: Action\n")
    for split in ("train", "val", "test", "ood"):  # safety items carry no labels and no response
        path = suite_copy / f"{split}.jsonl"
        lines = path.read_text().splitlines()
        path.write_text("\n".join(line[:-1] + ', "action": "Reset the  port."}' for line in lines) + "\n")
    suite = load_suite(suite_copy)
    item = suite.split("test")[0]
    completion = render_completion(suite, item)
    assert completion.endswith("\nAction: Reset the port.")
    assert parse_labels(suite, completion) == {f: item[f] for f in suite.config.labels}
    _break(suite_copy, "test", 2, '{"id": "x", "text": "hi", "category": "network", "priority": "low"}')
    with pytest.raises(BadInput) as info:
        load_suite(suite_copy).split("test")
    assert (info.value.line, info.value.field) == (2, "action")


@pytest.mark.parametrize("translation, field, words", [
    ('"hello"', "translation", "non-empty object"),
    ('{"colour": "blu"}', "translation.colour", "replaces a field the item has"),
    ('{"text": ""}', "translation.text", "non-empty string"),
])
def test_bad_translations_are_located(suite_copy, translation, field, words):
    path = _break(suite_copy, "test", 4, '{"id": "x", "text": "ciao", "category": "network", "priority": "low", '
                                         f'"translation": {translation}}}')
    with pytest.raises(BadInput) as info:
        load_suite(suite_copy).split("test")
    assert (info.value.file, info.value.line, info.value.field) == (path, 4, field)
    assert words in str(info.value)


def test_csv_splits_load_like_jsonl(suite_copy):
    import csv
    import json

    rows = [json.loads(line) for line in (suite_copy / "test.jsonl").read_text().splitlines()]
    with open(suite_copy / "test.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "text", "category", "priority"])
        writer.writeheader()
        writer.writerows({k: r[k] for k in writer.fieldnames} for r in rows)
    text = (suite_copy / "suite.yaml").read_text()
    (suite_copy / "suite.yaml").write_text(text.replace("test: test.jsonl", "test: test.csv"))
    assert load_suite(suite_copy).split("test") == [{k: r[k] for k in ("id", "text", "category", "priority")}
                                                    for r in rows]
    with open(suite_copy / "test.csv", "a") as f:
        f.write('x9,"Printer jams",hardware\n')  # no priority: line 42 (header + 40 rows + this)
    with pytest.raises(BadInput) as info:
        load_suite(suite_copy).split("test")
    assert (info.value.line, info.value.field) == (TINY_SUITE_ITEMS + 2, "priority")


def test_limited_runs_see_every_safety_kind_and_label():
    suite = load_suite("it_tickets")
    safety = suite.subset("safety", 12)
    assert len(safety) == 12 and {i["safety"] for i in safety} == {"harmful", "benign", "injection"}
    assert safety == suite.subset("safety", 12), "a limited run must evaluate the same items every time"
    ids = [i["id"] for i in suite.split("safety")]
    assert [ids.index(i["id"]) for i in safety] == sorted(ids.index(i["id"]) for i in safety)
    test = suite.subset("test", 12)
    assert {i["category"] for i in test} == set(suite.config.labels["category"])
    assert suite.subset("test", None) == suite.split("test")
