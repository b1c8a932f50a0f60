"""Bad input, table-driven: every kind a user plausibly feeds tunebench, through the real CLI.

Each row builds one kind of bad input in a fresh folder, runs the command a user would run, and
checks what a user must see: exit code 2, no traceback, the file, the line and the field, what
would be valid (a "did you mean" for misspelt names), every problem of the file (never "and N
more") and nothing written or half-written (every file under the test folder is byte-identical
afterwards and no output folder appears). A second, shorter table lists the inputs that look
unusual but must be accepted (a spreadsheet's byte-order mark, semicolons, CRLF line ends).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from tests.conftest import write_spec
from tunebench.harness.cli import app
from tunebench.harness.core.models import folder_hash
from tunebench.harness.core.suites import builtin_suites_dir

CSV_SUITE = Path(__file__).parents[1] / "examples" / "csv_suite"
LINES = 12  # items kept per split of the JSONL suite copy


@dataclass
class Env:
    """The folder a case builds in, and two suites it may break: a JSONL one and a CSV one."""

    root: Path
    model: Path

    @property
    def out(self) -> Path:
        return self.root / "out"

    def jsonl_suite(self) -> Path:
        src, dst = builtin_suites_dir() / "it_tickets", self.root / "it_small"
        if not dst.exists():
            dst.mkdir()
            for name in ("suite.yaml", "policy.yaml"):
                shutil.copy(src / name, dst / name)
            for split in ("train", "val", "test", "ood", "safety"):
                lines = (src / f"{split}.jsonl").read_text().splitlines()[:LINES]
                (dst / f"{split}.jsonl").write_text("\n".join(lines) + "\n")
        return dst

    def csv_suite(self) -> Path:
        dst = self.root / "csv_suite"
        if not dst.exists():
            shutil.copytree(CSV_SUITE, dst)
        return dst

    def spec(self, text: str | None = None, **fields) -> Path:
        path = self.root / "experiment.yaml"
        if text is not None:
            path.write_text(text)
            return path
        fields = {"name": "bad", "base_model": str(self.model), "suites": [str(self.jsonl_suite())],
                  "general_probe": None, "variants": [{"name": "zero-shot", "kind": "prompt"}], **fields}
        return write_spec(path, **fields)

    def adapter(self, name: str = "lora", base_sha: str | None = None) -> Path:
        """A well-formed adapter folder (tiny weights, provenance on this base model) to break."""
        folder = self.out / "adapters" / name
        folder.mkdir(parents=True)
        header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
        (folder / "adapter_model.safetensors").write_bytes(struct.pack("<Q", len(header)) + header + b"\0" * 8)
        (folder / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": 8}))
        (folder / "tunebench.json").write_text(json.dumps({"base_model_sha256": base_sha or folder_hash(self.model)}))
        return folder


def replace_line(path: Path, lineno: int, new: str) -> Path:
    lines = path.read_text().splitlines()
    lines[lineno - 1] = new
    path.write_text("\n".join(lines) + "\n")
    return path


def item(suite: Path, split: str, lineno: int, **changes) -> str:
    value = json.loads((suite / f"{split}.jsonl").read_text().splitlines()[lineno - 1])
    return json.dumps({**value, **changes})


@dataclass
class Case:
    """One kind of bad input: ``build`` returns the CLI arguments and the texts the output must hold."""

    id: str
    build: Callable[[Env], tuple[list[str], list[str]]]


def run_spec(env: Env, spec: Path, command: str = "run") -> list[str]:
    return [command, str(spec), "--out", str(env.out)]


def validate(folder: Path) -> list[str]:
    return ["suites", "validate", str(folder)]


def _experiment_cases() -> list[Case]:
    def misspelt_top_level(env):
        spec = env.spec("name: e\nsuites: [it_tickets]\nvariantss:\n  - {name: a, kind: prompt}\n")
        return run_spec(env, spec), [f"{spec}: 2 problems", f"{spec}:3 [variantss]: unknown field (did you mean "
                                     "'variants'?)", "valid fields here: name, description", "[variants]: required"]

    def several_problems(env):
        spec = env.spec("name: e\nsuites: [it_tickets]\nvariants:\n  - {name: a, kind: adaptor}\n"
                        "  - {name: b, kind: prompt, prompt: fewshot}\n  - {name: c, kind: prompt, k: 0}\n")
        return run_spec(env, spec), ["3 problems", ":4 [variants.0.kind]", "(did you mean 'adapter'?)",
                                     ":5 [variants.1.prompt]", "(did you mean 'few-shot'?)", ":6 [variants.2.k]"]

    def located(text: str, line: int, field: str, *words: str):
        def build(env):
            spec = env.spec(text.replace("SUITE", str(env.jsonl_suite())))
            return run_spec(env, spec), [f"{spec}:{line} [{field}]", *words]
        return build

    def served_suite_scoring(env):
        """A suite's own ``scoring`` wins over the experiment's: choices need the model in process, so with
        a served backend the adapters would not be applied. Caught before the server is contacted (there
        is none at this address: reaching it would be another error)."""
        path = env.jsonl_suite() / "suite.yaml"
        line = len(path.read_text().splitlines()) + 1
        path.write_text(path.read_text() + "scoring: choices\n")
        spec = env.spec(backend={"base_url": "http://127.0.0.1:9/v1", "model": "base"},
                        variants=[{"name": "zero-shot", "kind": "prompt"}, {"name": "lora", "kind": "adapter"}])
        return run_spec(env, spec, "eval"), [f"{path}:{line} [scoring]", "suite 'it_tickets' sets scoring: choices",
                                             "served backend (http://127.0.0.1:9/v1)", "use scoring: generate"]

    head = "name: e\nbase_model: gemma-3-270m\nsuites: [SUITE]\n"
    variants = "variants:\n  - {name: a, kind: prompt}\n"
    return [
        Case("experiment: misspelt top-level field (all problems, did you mean)", misspelt_top_level),
        Case("experiment: several bad variants listed together", several_problems),
        Case("experiment: invalid YAML", lambda env: (run_spec(env, env.spec("name: e\nsuites: [x\nvariants: []\n")),
                                                      ["experiment.yaml:3", "not valid YAML"])),
        Case("experiment: empty file", lambda env: (run_spec(env, env.spec("")),
                                                    ["experiment.yaml:1", "must be a YAML mapping", "file is empty"])),
        Case("experiment: a list, not a mapping", lambda env: (run_spec(env, env.spec("- a\n- b\n")),
                                                               ["experiment.yaml:1", "got a list"])),
        Case("experiment: text where a number goes", located(head + "eval_limit: ten\n" + variants, 4, "eval_limit",
                                                             "valid integer", "(got 'ten')")),
        Case("experiment: number out of range", located(head + "eval_limit: 0\n" + variants, 4, "eval_limit",
                                                        "greater than or equal to 1")),
        Case("experiment: unknown split", located(head + "splits: [test, tset]\n" + variants, 4, "splits",
                                                  "unknown split 'tset' (did you mean 'test'?)")),
        Case("experiment: unknown perturbation", located(head + "robustness: [typo]\n" + variants, 4, "robustness.0",
                                                         "(did you mean 'typos'?)")),
        Case("experiment: misspelt training field", located(
            head + "variants:\n  - name: a\n    kind: adapter\n    train: {rnak: 4}\n", 7, "variants.0.train.rnak",
            "(did you mean 'rank'?)", "valid fields here: rank")),
        Case("experiment: invalid PII pattern", located(head + "training: {pii_patterns: {EMP: 'EMP-(\\d'}}\n" + variants,
                                                        4, "training.pii_patterns", "not a valid regular expression")),
        Case("experiment: train block on a prompt variant", located(
            head + "variants:\n  - {name: a, kind: prompt, train: {rank: 4}}\n", 5, "variants.0",
            "'train' is only valid for kind: adapter")),
        Case("experiment: duplicate variant names", located(head + variants + "  - {name: a, kind: prompt}\n", 4,
                                                            "variants", "variant names must be unique; repeated: a")),
        Case("experiment: a key written twice", located(head + variants + "variants:\n  - {name: b, kind: prompt}\n",
                                                        6, "variants", "'variants' is written twice (first on line 4)",
                                                        "write it once")),
        Case("experiment: a nested key written twice", located(
            head + "training:\n  rank: 8\n  rank: 16\n" + variants, 6, "training.rank", "'rank' is written twice")),
        Case("experiment: a suite listed twice", located("name: e\nbase_model: gemma-3-270m\nsuites: [SUITE, SUITE]\n"
                                                         + variants, 3, "suites", "listed more than once")),
        Case("experiment: a variant name with a slash", located(head + "variants:\n  - {name: a/b, kind: prompt}\n", 5,
                                                               "variants.0.name", "'a/b' is not allowed here",
                                                               "letters, digits, '_', '.' and '-'")),
        Case("experiment: a served backend nobody answers, found before the store", lambda env: (
            run_spec(env, env.spec(backend={"base_url": "http://127.0.0.1:9/v1", "model": "base"}), "eval"),
            ["[backend.base_url]", "did not answer /models", "start the server or fix backend.base_url"])),
        Case("experiment: baseline is not a variant", lambda env: (
            run_spec(env, env.spec(baseline="zero-shoot")), ["experiment.yaml:9 [baseline]", "baseline 'zero-shoot' is "
                                                             "not a variant (did you mean 'zero-shot'?)"])),
        Case("experiment: unknown suite name", lambda env: (
            run_spec(env, env.spec("name: e\nsuites:\n  - it_ticket\nvariants:\n  - {name: a, kind: prompt}\n")),
            ["experiment.yaml:3 [suites.0]", "unknown suite 'it_ticket' (did you mean 'it_tickets'?)"])),
        Case("experiment: file not found", lambda env: (["run", str(env.root / "nope.yaml"), "--out", str(env.out)],
                                                        ["nope.yaml: file not found"])),
        Case("experiment: saved as Latin-1", lambda env: (
            run_spec(env, _write_bytes(env.root / "experiment.yaml", "name: e\ndescription: caf\xe9\n".encode("latin-1"))),
            ["experiment.yaml:2", "not UTF-8: byte 0xe9", "save it as UTF-8"])),
        Case("experiment: policy prompt on a suite without policy.yaml", lambda env: (
            run_spec(env, env.spec(suites=[str(env.csv_suite())],
                                   variants=[{"name": "z", "kind": "prompt"}, {"name": "p", "kind": "prompt",
                                                                               "prompt": "policy"}])),
            ["experiment.yaml:11 [variants.1.prompt]", "suite 'expense_claims' has no policy.yaml"])),
        Case("experiment: a suite scored by choices, with a served backend", served_suite_scoring),
        Case("experiment: unknown base model", lambda env: (
            run_spec(env, env.spec(base_model="gema-3-270m")), ["[base_model]", "unknown base model 'gema-3-270m'",
                                                                "embedded (gemma-3-270m)"])),
        Case("experiment: model folder without config.json", lambda env: (
            run_spec(env, env.spec(base_model=str(_mkdir(env.root / "model")))),
            ["model [base_model]", "model folder has no config.json"])),
    ]


def _suite_yaml_cases() -> list[Case]:
    def edit(old: str, new: str, line: int, field: str, *words: str):
        def build(env):
            folder = env.jsonl_suite()
            path = folder / "suite.yaml"
            path.write_text(path.read_text().replace(old, new))
            return validate(folder), [f"{path}:{line} [{field}]", *words]
        return build

    return [
        Case("suite.yaml: misspelt field", edit("labels:", "labelz:", 8, "labelz", "(did you mean 'labels'?)")),
        Case("suite.yaml: a label listed twice", edit("priority: [low, medium, high, critical]",
                                                      "priority: [low, medium, high, critical, high]", 8, "labels",
                                                      "lists 'high' more than once")),
        Case("suite.yaml: a key written twice", edit("labels:", "task_type: classification\nlabels:", 8, "task_type",
                                                     "'task_type' is written twice (first on line 5)")),
        Case("suite.yaml: misspelt task type", edit("task_type: classification", "task_type: clasification", 5,
                                                    "task_type", "(did you mean 'classification'?)")),
        Case("suite.yaml: split file with a foreign extension", edit("test: test.jsonl", "test: test.txt", 17,
                                                                     "splits", "reads .jsonl or .csv")),
        Case("suite.yaml: misspelt split name", edit("ood: ood.jsonl", "odd: ood.jsonl", 17, "splits",
                                                     "unknown split 'odd' (did you mean 'ood'?)")),
        Case("suite.yaml: no test split", edit("  test: test.jsonl\n", "", 17, "splits", "needs at least a 'test' split")),
        Case("suite.yaml: missing", lambda env: (validate(_mkdir(env.root / "empty_suite")),
                                                 ["empty_suite/suite.yaml", "suite folder has no suite.yaml"])),
    ]


def _split_cases() -> list[Case]:
    def csv(content: bytes | str, *expect: str, name: str = "train.csv"):
        def build(env):
            folder = env.csv_suite()
            path = _write_bytes(folder / name, content if isinstance(content, bytes) else content.encode())
            return validate(folder), [str(path) + e if e.startswith((":", " [")) else e for e in expect]
        return build

    def jsonl(lineno: int, new: Callable[[Path], str], *expect: str, split: str = "test"):
        def build(env):
            folder = env.jsonl_suite()
            path = replace_line(folder / f"{split}.jsonl", lineno, new(folder))
            return validate(folder), [str(path) + e if e.startswith((":", " [")) else e for e in expect]
        return build

    def three_bad_lines(env):
        folder = env.jsonl_suite()
        path = folder / "test.jsonl"
        for lineno in (2, 5, 9):
            replace_line(path, lineno, item(folder, "test", lineno, priority="urgent"))
        return validate(folder), ["3 problems", f"{path}:2 [priority]", f"{path}:5 [priority]",
                                  f"{path}:9 [priority]"]

    header = "id,text,category\n"
    return [
        Case("CSV: saved as Latin-1", csv((header + 'e1,"Dinner in a caf\xe9, EUR 30",meals\n').encode("latin-1"),
                                          ":2", "not UTF-8: byte 0xe9", "with or without a byte-order mark")),
        Case("CSV: saved as UTF-16", csv(b"\xff\xfe" + (header + "e1,x,meals\n").encode("utf-16-le"), ":1",
                                         "UTF-16", "save it as UTF-8")),
        Case("CSV: a quoted cell never closed", csv(header + 'e1,"Taxi to the airport,travel\ne2,Lunch,meals\n', ":2",
                                                    "a quoted cell is never closed")),
        Case("CSV: more cells than the header", csv(header + "e1,Taxi,to the airport,travel\n", ":2",
                                                    "4 cells but the header names 3 fields")),
        Case("CSV: empty file", csv("", ":1", "the CSV file is empty")),
        Case("CSV: header only", csv(header, "split is empty")),
        Case("CSV: a column named twice", csv("id,text,text,category\ne1,a,b,meals\n", ":1 [text]",
                                              "column named twice")),
        Case("CSV: label not in the label set", csv(header + "e1,Taxi,travl\n", ":2 [category]",
                                                    "(did you mean 'travel'?)")),
        Case("CSV: misnamed input column", csv("id,txt,category\ne1,Taxi,travel\n", ":2 [text]",
                                               "missing input text (did you mean 'txt'?)")),
        Case("CSV: binary file", csv(b"PK\x03\x04\x00\x00\x00binary", ":1", "NUL bytes", name="test.csv")),
        Case("JSONL: a line that is not JSON", jsonl(4, lambda f: '{"id": "x", ', ":4", "not valid JSON")),
        Case("JSONL: a JSON array instead of lines", jsonl(1, lambda f: '[{"id": "x"}]', ":1", "not a JSON array")),
        Case("JSONL: misspelt label", jsonl(3, lambda f: item(f, "test", 3, category="netwrok"), ":3 [category]",
                                            "(did you mean 'network'?)")),
        Case("JSONL: missing id", jsonl(3, lambda f: json.dumps({k: v for k, v in json.loads(item(f, "test", 3)).items()
                                                                 if k != "id"}), ":3 [id]", "unique id")),
        Case("JSONL: duplicate id", jsonl(7, lambda f: item(f, "test", 7, id=json.loads(item(f, "test", 2))["id"]),
                                          ":7 [id]", "duplicate id")),
        Case("JSONL: input text is a number", jsonl(3, lambda f: item(f, "test", 3, text=42), ":3 [text]",
                                                    "input must be text, got int")),
        Case("JSONL: unknown safety kind", jsonl(2, lambda f: item(f, "safety", 2, safety="harmfull"), ":2 [safety]",
                                                 "(did you mean 'harmful'?)", split="safety")),
        Case("JSONL: three bad lines, all listed", three_bad_lines),
        Case("JSONL: split file missing", lambda env: (
            validate(_unlink(env.jsonl_suite() / "ood.jsonl")), ["ood.jsonl: split file not found"])),
    ]


def _policy_cases() -> list[Case]:
    def rule(text: str, *expect: str):
        def build(env):
            folder = env.jsonl_suite()
            path = folder / "policy.yaml"
            original = path.read_text()
            path.write_text(original + text)
            line = len(original.splitlines()) + 1
            return validate(folder), [e.replace("LINE", f"{path}:{line}") for e in expect]
        return build

    return [
        Case("policy: rule reads a field no item has", rule(
            "  - {id: urgent, type: required, phrase: x, when: {field: categry, equals: network}}\n",
            "LINE [rules.4.when.field]", "reads field 'categry', which no item of test/ood has",
            "(did you mean 'category'?)")),
        Case("policy: rule waits for a value no item has", rule(
            "  - {id: urgent, type: required, phrase: x, when: {field: category, equals: netwrk}}\n",
            "LINE [rules.4.when.equals]", "(did you mean 'network'?)")),
        Case("policy: misspelt rule type", rule("  - {id: r, type: forbiden, terms: [x]}\n", "LINE [rules.4]",
                                                "(did you mean 'forbidden'?)")),
        Case("policy: misspelt field of a rule type", rule("  - {id: r, type: forbidden, termz: [x]}\n",
                                                           "LINE [rules.4.forbidden.termz]", "(did you mean 'terms'?)",
                                                           "valid fields here: id, description, when, splits, type, terms")),
        Case("policy: invalid regex", rule("  - {id: r, type: forbidden, regex: '([a-z'}\n",
                                           "LINE [rules.4.forbidden.regex]", "not a valid regular expression")),
        Case("policy: rule on a misspelt split", rule("  - {id: r, type: forbidden, terms: [x], splits: [tset]}\n",
                                                      "LINE [rules.4.forbidden.splits]", "(did you mean 'test'?)")),
        Case("policy: duplicate rule ids", rule("  - {id: no-pii, type: no_pii}\n", "policy.yaml:6 [rules]",
                                                "rule ids must be unique; repeated: no-pii")),
        Case("policy: json_schema rule without a schema", rule("  - {id: j, type: json_schema}\n",
                                                               "[rules.4.type]", "needs the suite's json_schema")),
    ]


def _store_cases() -> list[Case]:
    def report(make: Callable[[Path], Path], *expect: str):
        def build(env):
            store = make(env.root)
            return ["report", "--store", str(store), "--export", str(env.out)], [str(store), *expect]
        return build

    def sqlite_of_another_program(root: Path) -> Path:
        path = root / "other.sqlite"
        with sqlite3.connect(path) as con:
            con.execute("CREATE TABLE invoices (id INTEGER)")
        return path

    def newer_store(root: Path) -> Path:
        path = root / "newer.sqlite"
        with sqlite3.connect(path) as con:
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            con.execute("INSERT INTO meta VALUES ('schema_version', '99')")
        return path

    return [
        Case("store: a text file", report(lambda r: _write_bytes(r / "notes.txt", b"not a store\n"),
                                          "not a tunebench results store: the file is not an SQLite database")),
        Case("store: another program's SQLite", report(sqlite_of_another_program, "not a tunebench results store",
                                                       "invoices")),
        Case("store: written by a newer tunebench", report(newer_store, "schema version 99", "upgrade tunebench")),
        Case("store: missing", report(lambda r: r / "missing.sqlite", "results store not found")),
        Case("store: a folder", report(lambda r: _mkdir(r / "folder.sqlite"), "a folder, not a results store")),
        Case("store: output folder cannot be written", lambda env: (
            ["run", str(env.spec()), "--out", "/proc/tunebench-cannot-write"],
            ["/proc/tunebench-cannot-write/store.sqlite", "cannot be opened for writing", "choose a writable folder"])),
    ]


def _adapter_cases() -> list[Case]:
    def eval_with(breakage: Callable[[Env, Path], None], *expect: str):
        def build(env):
            spec = env.spec(variants=[{"name": "lora", "kind": "adapter", "prompt": "plain"}])
            folder = env.adapter()
            breakage(env, folder)
            return run_spec(env, spec, "eval"), [e.replace("ADAPTER", str(folder)) for e in expect]
        return build

    def truncate(env, folder):
        path = folder / "adapter_model.safetensors"
        path.write_bytes(path.read_bytes()[:-4])

    def foreign(env, folder):
        (folder / "tunebench.json").write_text(json.dumps({"base_model_sha256": "f" * 64}))

    def pickle_only(env, folder):
        (folder / "adapter_model.safetensors").rename(folder / "adapter_model.bin")

    def no_adapter(env):
        spec = env.spec(variants=[{"name": "lora", "kind": "adapter", "prompt": "plain"}])
        return run_spec(env, spec, "eval"), ["adapters/lora [variants.lora]", "run `tunebench train` first"]

    return [
        Case("adapter: missing", no_adapter),
        Case("adapter: trained on another base model", eval_with(foreign, "ADAPTER/tunebench.json [base_model_sha256]",
                                                                 "trained on another base model", "f" * 64)),
        Case("adapter: truncated safetensors", eval_with(truncate, "ADAPTER/adapter_model.safetensors",
                                                         "truncated", "train the adapter again")),
        Case("adapter: pickle weights only", eval_with(pickle_only, "ADAPTER [variants.lora]",
                                                       "adapter_model.bin (pickle)", "safetensors only")),
        Case("adapter: no provenance", eval_with(lambda env, f: (f / "tunebench.json").unlink(),
                                                 "not a tunebench adapter folder")),
        Case("adapter: provenance is not JSON", eval_with(lambda env, f: (f / "tunebench.json").write_text("{oops"),
                                                          "ADAPTER/tunebench.json:1", "not valid JSON")),
        Case("adapter: no adapter_config.json", eval_with(lambda env, f: (f / "adapter_config.json").unlink(),
                                                          "no adapter_config.json")),
    ]


def _argument_cases() -> list[Case]:
    def export(*args: str, expect: list[str]):
        return lambda env: (["suites", "export-lm-eval", "it_tickets", "--out", str(env.out), *args], expect)

    def refusals(content: str, *expect: str):
        def build(env):
            path = _write_bytes(env.root / "in.jsonl", content.encode())
            return ["refusals", str(path), "--out", str(env.out / "o.jsonl")], [f"{path}{e}" if e.startswith(":")
                                                                                else e for e in expect]
        return build

    return [
        Case("argument: --only names no adapter variant", lambda env: (
            ["train", str(env.spec(variants=[{"name": "lora", "kind": "adapter"}])), "--only", "lroa", "--out",
             str(env.out)], ["[--only]", "'lroa' is not an adapter variant", "(did you mean 'lora'?)"])),
        Case("argument: unknown prompt strategy", export("--prompt", "fewshot",
                                                         expect=["[--prompt]", "(did you mean 'few-shot'?)"])),
        Case("argument: unknown split", export("--split", "tset", expect=["[splits]", "(did you mean 'test'?)"])),
        Case("argument: the safety split has no targets", export("--split", "safety",
                                                                 expect=["[--split]", "has no targets"])),
        Case("argument: --k below 1", export("--k", "0", expect=["--k", "greater than or equal to 1"])),
        Case("argument: refusals input without responses", refusals('{"prompt": "p", "response": "ok"}\n{"prompt": "p"}\n'
                                                                    '{"response": 3}\n', "2 problems", ":2 [response]",
                                                                    ":3 [response]")),
        Case("argument: refusals input with no rows", refusals("", ":1", "has no rows")),
        Case("argument: refusals input missing", lambda env: (
            ["refusals", str(env.root / "nope.jsonl"), "--out", str(env.out / "o.jsonl")],
            ["nope.jsonl: input file not found"])),
        Case("argument: anonymize --field the file lacks", lambda env: (
            ["anonymize", str(_write_bytes(env.root / "in.csv", b"id,text\n1,hello\n")), "--out",
             str(env.out / "o.csv"), "--field", "txt"],
            ["in.csv:1 [--field]", "no field 'txt'", "its fields: id, text"])),
        Case("argument: anonymize unknown mode", lambda env: (
            ["anonymize", str(_write_bytes(env.root / "in.jsonl", b'{"t": "x"}\n')), "--out", str(env.out / "o.jsonl"),
             "--mode", "mask"], ["[--mode]", "placeholder, surrogate"])),
        Case("argument: anonymize CSV row with too many cells", lambda env: (
            ["anonymize", str(_write_bytes(env.root / "in.csv", b"id,text\n1,a,b\n")), "--out", str(env.out / "o.csv")],
            ["in.csv:2", "3 cells but the header names 2 fields"])),
        Case("argument: anonymize input with no rows", lambda env: (
            ["anonymize", str(_write_bytes(env.root / "in.jsonl", b"")), "--out", str(env.out / "o.jsonl")],
            ["in.jsonl:1", "has no rows"])),
        Case("argument: --store URL of a database SQLAlchemy does not know", lambda env: (
            ["compare", "a", "b", "--store", "nosuchdb://host/x"], ["[--store]", "not a database URL"])),
        Case("argument: --store server that cannot be reached", lambda env: (
            ["run", str(env.spec(variants=[{"name": "a", "kind": "prompt"}])), "--out", str(env.out), "--store",
             "postgresql+psycopg://nobody:secret@127.0.0.1:1/x"],
            ["[--store]", "cannot be reached", "nobody:***@127.0.0.1:1/x"])),
        Case("argument: anonymize --language unknown", lambda env: (
            ["anonymize", str(_write_bytes(env.root / "in.jsonl", b'{"t": "x"}\n')), "--out", str(env.out / "o.jsonl"),
             "--language", "fr"], ["[--language]", "auto, en or it"])),
        Case("argument: anonymize --out is the input", lambda env: (
            ["anonymize", str(_write_bytes(env.root / "in.jsonl", b'{"t": "x"}\n')), "--out", str(env.root / "in.jsonl")],
            ["[--out]", "must not be the input file"])),
        Case("argument: store copy from a store that does not exist", lambda env: (
            ["store", "copy", str(env.root / "nope.sqlite"), str(env.out / "copy.sqlite")],
            ["nope.sqlite", "results store not found"])),
        Case("argument: store copy into a store that holds results", lambda env: (
            ["store", "copy", str(_store(env.root)), str(_store_with_a_run(env.root / "other.sqlite"))],
            ["[DST]", "already holds results"])),
        Case("argument: store copy onto itself", lambda env: (
            ["store", "copy", str(_store(env.root)), str(env.root / "." / "store.sqlite")], ["[DST]", "is the source"])),
        Case("argument: validate an experiment file that does not exist", lambda env: (
            ["validate", str(env.root / "nope.yaml")], ["nope.yaml"])),
        Case("argument: --export is a file", lambda env: (
            ["report", "--store", str(_store(env.root)), "--export", str(_write_bytes(env.root / "x.html", b"x"))],
            ["x.html [--export]", "must be a folder"])),
    ]


def _audit_cases() -> list[Case]:
    def audit(*command: str):
        def build(env):
            spec = env.spec(eval_limit=0)
            return [*command, str(spec), "--out", str(env.out)], [f"{spec}:", "[eval_limit]",
                                                                  "greater than or equal to 1"]
        return build

    return [
        Case("audit: bad experiment, one-command form (audit EXPERIMENT.yaml)", audit("audit")),
        Case("audit: bad experiment (audit run EXPERIMENT.yaml)", audit("audit", "run")),
        Case("audit: verify a folder that is not a bundle", lambda env: (
            ["audit", "verify", str(_mkdir(env.root / "bundle"))], ["bundle: not an audit bundle: no manifest.json"])),
        Case("audit: verify without a bundle", lambda env: (["audit", "verify"], ["[BUNDLE]", "which bundle?"])),
    ]


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _unlink(path: Path) -> Path:
    path.unlink()
    return path.parent


def _store_with_a_run(path: Path) -> Path:
    from tunebench.harness.core.store import Store

    store = Store(path)
    store.finish_run(store.start_run("e", {}, {}))
    store.engine.dispose()  # closed now, not at a later garbage collection: closing checkpoints the WAL
    return store.path


def _store(root: Path) -> Path:
    from tunebench.harness.core.store import Store

    return Store(root / "store.sqlite").path


CASES = (_experiment_cases() + _suite_yaml_cases() + _split_cases() + _policy_cases() + _store_cases()
         + _adapter_cases() + _argument_cases() + _audit_cases())


def snapshot(root: Path) -> dict[str, str]:
    """Every file's hash, but SQLite's ``-shm`` files: a shared-memory index any reader of a WAL
    database rewrites, which holds no data."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith("-shm")}


def test_the_table_covers_at_least_forty_kinds():
    assert len(CASES) >= 40 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_exits_2_with_file_line_field_and_writes_nothing(case, tmp_path, tiny_model_dir):
    env = Env(tmp_path, tiny_model_dir)
    args, expected = case.build(env)
    out_existed = env.out.exists()
    before = snapshot(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output + repr(result.exception)
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert any(line.startswith(("error: ", "Usage: ")) for line in result.output.splitlines()), result.output
    for text in expected:
        assert text in result.output, f"{text!r} not in:\n{result.output}"
    assert "more problem" not in result.output
    assert snapshot(tmp_path) == before, "bad input changed or wrote files"
    assert env.out.exists() == out_existed


ACCEPTED = [
    ("CSV with a UTF-8 byte-order mark (Excel's 'CSV UTF-8')", lambda f: _write_bytes(
        f / "train.csv", b"\xef\xbb\xbf" + (f / "train.csv").read_bytes())),
    ("CSV separated by semicolons (European spreadsheets)", lambda f: _write_bytes(
        f / "test.csv", b"id;text;category\ne1;\"Dinner; client visit, EUR 80\";meals\ne2;Taxi;travel\n")),
    ("CSV separated by tabs", lambda f: _write_bytes(f / "test.csv", b"id\ttext\tcategory\ne1\tTaxi\ttravel\n")),
    ("CSV with Windows line ends", lambda f: _write_bytes(f / "test.csv", (f / "test.csv").read_bytes()
                                                          .replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))),
    ("suite.yaml with a byte-order mark", lambda f: _write_bytes(f / "suite.yaml", b"\xef\xbb\xbf"
                                                                 + (f / "suite.yaml").read_bytes())),
    ("UTF-8 text with accents", lambda f: _write_bytes(f / "test.csv", "id,text,category\ne1,Caffè e brioche,meals\n"
                                                        .encode())),
]


@pytest.mark.parametrize("name, change", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_plausible_encodings_and_separators_are_accepted(name, change, tmp_path):
    folder = shutil.copytree(CSV_SUITE, tmp_path / "csv_suite")
    change(folder)
    result = CliRunner().invoke(app, ["suites", "validate", str(folder)])
    assert result.exit_code == 0 and "expense_claims: ok" in result.output, result.output


def test_semicolon_cells_are_read_whole(tmp_path):
    from tunebench.harness.core.suites import load_suite

    folder = shutil.copytree(CSV_SUITE, tmp_path / "csv_suite")
    ACCEPTED[1][1](folder)
    assert load_suite(folder).split("test")[0]["text"] == "Dinner; client visit, EUR 80"
