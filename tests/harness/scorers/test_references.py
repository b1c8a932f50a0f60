"""A suite's own reference answers score right under its scorers; `suites validate` names those that do not."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from tunebench.harness.cli import app
from tunebench.harness.core.suites import builtin_suites_dir, list_builtin, load_suite
from tunebench.harness.scorers.references import reference_problems


@pytest.mark.parametrize("name", list_builtin())
def test_every_builtin_reference_states_its_facts_and_keeps_its_policy(name):
    # the support suite's answers write button names in quotes ('Forgot password?'): read as mentions,
    # 69 of its references failed their own fact before quoted names counted as stated
    assert reference_problems(load_suite(name)) == []


def test_validate_names_the_file_line_and_field_of_a_reference_its_scorers_fail(tmp_path):
    folder = shutil.copytree(builtin_suites_dir() / "customer_support_it", tmp_path / "support",
                             ignore=shutil.ignore_patterns("generate.py", "__pycache__"))
    test = folder / "test.jsonl"
    lines = test.read_text(encoding="utf-8").splitlines()
    second = json.loads(lines[1])
    second["facts"] = ["99 giorni"]  # a fact written unlike the answer
    third = json.loads(lines[2])
    third["answer"] = third["answer"] + " Le rimborsiamo subito l'intero importo."  # breaks no-refund-promise
    lines[1], lines[2] = json.dumps(second, ensure_ascii=False), json.dumps(third, ensure_ascii=False)
    test.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["suites", "validate", str(folder)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert f"{test}:2 [facts]" in output and "'99 giorni'" in output
    assert f"{test}:3 [answer]" in output and "no-refund-promise" in output
