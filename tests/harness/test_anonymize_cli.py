"""``tunebench anonymize`` on a user's CSV and JSONL files."""

import csv
import json

from typer.testing import CliRunner

from tunebench.harness.cli import app

runner = CliRunner()


def test_anonymize_a_csv_file_keeps_its_columns_and_prints_counts(tmp_path):
    src = tmp_path / "tickets.csv"
    src.write_text('id;text;label\n1;"Hi, I\'m Giulia Esposito, call me on +39 333 123 4567";billing\n'
                   "2;Server 10.0.0.1 down, contact john@acme.com;it\n3;;empty\n", encoding="utf-8")
    out = tmp_path / "clean.csv"
    result = runner.invoke(app, ["anonymize", str(src), "--out", str(out), "--field", "text"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8"), delimiter=";"))
    assert [r["label"] for r in rows] == ["billing", "it", "empty"] and list(rows[0]) == ["id", "text", "label"]
    assert rows[0]["text"] == "Hi, I'm <PERSON>, call me on <PHONE>"
    assert rows[1]["text"] == "Server <IP> down, contact <EMAIL>"
    for kind in ("PERSON", "PHONE", "IP", "EMAIL"):
        assert f"{kind} " in result.output
    assert "Giulia Esposito" in result.output, "the sample shows what was replaced"


def test_anonymize_a_jsonl_file_with_surrogates(tmp_path):
    src = tmp_path / "chats.jsonl"
    rows = [{"id": 1, "q": "Buongiorno, sono Marco Rossi, abito in Via Roma 12, 20121 Milano.", "n": 3},
            {"id": 2, "q": "Il sig. Rossi chiede il rimborso sull'IBAN IT60X0542811101000000123456."}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "clean.jsonl"
    result = runner.invoke(app, ["anonymize", str(src), "--out", str(out), "--mode", "surrogate", "--seed", "7"])
    assert result.exit_code == 0, result.output
    clean = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert clean[0]["n"] == 3 and "Rossi" not in clean[0]["q"] + clean[1]["q"] and "<" not in clean[0]["q"]
    assert "Via Roma" not in clean[0]["q"] and "IT60X0542811101000000123456" not in clean[1]["q"]
    surname = clean[1]["q"].split("sig. ")[1].split()[0]
    assert surname in clean[0]["q"], "the same person gets the same fake surname in both rows"


def test_anonymize_refuses_to_overwrite_its_input(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text('{"t": "mail x@y.io"}\n')
    result = runner.invoke(app, ["anonymize", str(src), "--out", str(src)])
    assert result.exit_code == 2 and "must not be the input file" in result.output
    assert src.read_text() == '{"t": "mail x@y.io"}\n'
