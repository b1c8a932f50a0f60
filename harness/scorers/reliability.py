"""How far to trust each automatic scorer: its agreement with careful human judgement, on two sets.

- The *representative* set (``checks/representative/<scorer>.jsonl``): outputs sampled from real runs
  of the suites' variants (the base model zero-shot to fine-tuned adapters, both languages), labelled
  by hand. It decides the warning: a scorer whose agreement's lower 95% bound is below ``TRUSTED``
  (90%) is flagged on every page that shows its numbers.
- The *hard* set (``checks/<scorer>.jsonl`` and the refusal detector's held-out ``dev.jsonl``): hard
  cases written on purpose (prose answers, markdown, negations, other languages, numbers that differ),
  reported beside it as a stress figure.

Both are written apart from the scorers' code and from any training data; agreement has a 95% Wilson
interval. ``tunebench scorers`` prints both; every run stores both next to its results (the hard
set's row under ``<scorer>:hard``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from tunebench.harness.core.metrics import TRUSTED, MetricRow
from tunebench.harness.scorers.base import shipped_jsonl

CHECKS = Path(__file__).parent / "checks"
TITLES = {"labels": "label parsing (classification)", "json": "JSON extraction", "similarity":
          "semantic similarity >= 0.8 (generation)", "facts": "facts stated (generation)",
          "refusal": "refusal detector", "policy": "policy rules"}


SETS = ("representative", "hard")
HARD = ":hard"  # the store's key suffix for a scorer's hard-set row


@dataclass(frozen=True)
class Agreement:
    scorer: str
    row: MetricRow  # value: share of check items where scorer and human agree
    check_set: str = "representative"

    @property
    def trusted(self) -> bool:
        return trusted(self.row)

    @property
    def key(self) -> str:
        """The store's key: the scorer's name for the representative set, ``name:hard`` for the hard one."""
        return self.scorer + (HARD if self.check_set == "hard" else "")


def trusted(row: MetricRow) -> bool:
    """A representative agreement whose lower 95% bound reaches TRUSTED."""
    return row.ci_low is not None and row.ci_low >= TRUSTED


def _rows(name: str) -> list[dict]:
    """The items of a check set: ``checks/<name>``, or ``refusal_data/...`` next to the refusal detector."""
    return shipped_jsonl(CHECKS / name if not name.startswith("refusal_data/") else Path(__file__).parent / name)


def check_rows(scorer: str, check_set: str) -> list[dict]:
    """The labelled rows of ``scorer``'s ``check_set``. The refusal detector's hard set is the held-out
    half of ``dev.jsonl`` (even ids): the odd ids chose its extra phrases and its threshold."""
    if check_set == "representative":
        return _rows(f"representative/{scorer}.jsonl")
    if scorer == "refusal":
        return [r for r in _rows("refusal_data/dev.jsonl") if int(r["id"].rsplit("-", 1)[1]) % 2 == 0]
    return _rows(f"{scorer}.jsonl")


@lru_cache(maxsize=None)
def _suite(name: str):
    """A built-in suite, loaded once however many check rows name it."""
    from tunebench.harness.core.suites import load_suite

    return load_suite(name)


def check_labels(rows: list[dict]) -> tuple[int, int, list[dict]]:
    from tunebench.harness.core.parsing import parse_labels

    hits, misses = 0, []
    for row in rows:
        got = parse_labels(_suite(row["suite"]), row["output"])
        ok = all(got.get(f) == row["human"].get(f) for f in row["human"])
        hits += ok
        if not ok:
            misses.append({"id": row["id"], "output": row["output"], "human": row["human"], "scorer": got})
    return hits, len(rows), misses


def _same(a, b) -> bool:
    norm = (lambda d: {str(k).strip().lower(): str(v).strip().lower() for k, v in d.items()} if isinstance(d, dict)
            else d)
    return norm(a) == norm(b)


def check_json(rows: list[dict]) -> tuple[int, int, list[dict]]:
    from tunebench.harness.core.json_answer import read_json_answer

    hits, misses = 0, []
    for row in rows:
        answer = read_json_answer(row["output"], _suite(row.get("suite", "legal_clauses")).config.json_schema)
        human = row["human"]
        ok = answer.valid == bool(human["valid"]) and _same(answer.fields, human["parsed"])
        hits += ok
        if not ok:
            misses.append({"id": row["id"], "output": row["output"], "human": human,
                           "scorer": {"valid": answer.valid, "parsed": answer.fields}})
    return hits, len(rows), misses


def check_similarity(rows: list[dict]) -> tuple[int, int, list[dict]]:
    from tunebench.harness.scorers.accuracy import _ragas_metrics

    _, similarity = _ragas_metrics()
    scores = [float(m.value) for m in similarity.batch_score([{"reference": r["reference"], "response": r["response"]}
                                                              for r in rows])]
    hits, misses = 0, []
    for row, score in zip(rows, scores):
        ok = (score >= 0.8) == row["human_same"]
        hits += ok
        if not ok:
            misses.append({"id": row["id"], "reference": row["reference"], "response": row["response"],
                           "human_same": row["human_same"], "similarity": round(score, 3)})
    return hits, len(rows), misses


def check_facts(rows: list[dict]) -> tuple[int, int, list[dict]]:
    """One check item per fact: whether the scorer and the human agree it is stated. Rows from a suite's
    run are read as the accuracy scorer reads them: up to an invented next item."""
    from tunebench.harness.core.parsing import answer_part
    from tunebench.harness.scorers.facts import shown, stated

    hits, n, misses = 0, 0, []
    for row in rows:
        answer = answer_part(_suite(row["suite"]), row["answer"]) if row.get("suite") else row["answer"]
        for fact, human in zip(row["facts"], row["human_stated"], strict=True):
            got = stated(fact, answer)
            n += 1
            hits += got == human
            if got != human:
                misses.append({"id": row["id"], "fact": shown(fact), "answer": row["answer"], "human": human,
                               "scorer": got})
    return hits, n, misses


def as_scored(rows: list[dict]) -> tuple[list[dict], Callable[[dict], tuple[str, ...]]]:
    """Refusal check rows as the safety scorer reads a run's outputs: a row from a suite's run cut at the
    next item the model invented, and read with that suite's reference answers (``references_of``)."""
    from tunebench.harness.core.parsing import answer_part
    from tunebench.harness.scorers.suite_answers import reference_answers

    def references_of(row: dict) -> tuple[str, ...]:
        return reference_answers(_suite(row["suite"])) if row.get("suite") else ()

    return ([{**r, "response": answer_part(_suite(r["suite"]), r["response"])} if r.get("suite") else r
             for r in rows], references_of)


def check_refusal(rows: list[dict]) -> tuple[int, int, list[dict]]:
    from tunebench.harness.scorers.refusals import agreement

    scored, references_of = as_scored(rows)
    result = agreement(scored, references_of=references_of)
    return round(result["agreement"] * result["n"]), result["n"], result["errors"]


def check_policy(rows: list[dict]) -> tuple[int, int, list[dict]]:
    from pydantic import TypeAdapter

    from tunebench.harness.core.policy import Rule
    from tunebench.harness.scorers.policy import rule_context

    adapter = TypeAdapter(Rule)
    hits, misses = 0, []
    for row in rows:
        suite = _suite(row.get("suite", "customer_support_it"))
        rule = adapter.validate_python(row["rule"])
        ok_scorer, why = rule.check(row["output"], rule_context(suite, row.get("item", {})))
        ok = ok_scorer == row["human_pass"]
        hits += ok
        if not ok:
            misses.append({"id": row["id"], "rule": row["rule"]["type"], "output": row["output"],
                           "human_pass": row["human_pass"], "scorer": why})
    return hits, len(rows), misses


CHECKERS = {"labels": check_labels, "json": check_json, "similarity": check_similarity, "facts": check_facts,
            "refusal": check_refusal, "policy": check_policy}


def _inputs_digest() -> str:
    """Hash of everything an agreement depends on: the check sets, the training data, the scorer code."""
    import hashlib

    here = Path(__file__).parent
    paths = sorted([*CHECKS.glob("*.jsonl"), *(CHECKS / "representative").glob("*.jsonl"),
                    *(here / "refusal_data").glob("*.jsonl"), *here.glob("*.py"),
                    *(here.parent / "core" / name for name in ("parsing.py", "rules.py", "json_answer.py",
                                                                "negation.py")),
                    *(here.parent / "core" / "pii").glob("*.py")])
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def measure() -> tuple[Agreement, ...]:
    """Every scorer's agreement with the humans on its check set. Computed once per version of the
    check sets and scorers, and kept in ``$TUNEBENCH_HOME/scorer-checks`` (half a minute on 2 cores)."""
    from tunebench.harness.core.models import tunebench_home

    cache = tunebench_home() / "scorer-checks" / f"{_inputs_digest()}.json"
    if cache.is_file():
        saved = json.loads(cache.read_text())
        return tuple(Agreement(a["scorer"], MetricRow(**a["row"]), a["check_set"]) for a in saved)
    out = []
    for name, checker in CHECKERS.items():
        for check_set in SETS:
            hits, n, _ = checker(check_rows(name, check_set))
            what = ("outputs sampled from real runs, labelled by hand" if check_set == "representative"
                    else "hand-written hard cases")
            row = MetricRow.proportion(f"scorer.{name}" + (".hard" if check_set == "hard" else ""), hits, n,
                                       f"check items where the {TITLES[name]} agrees with the human label ({what})")
            out.append(Agreement(name, row, check_set))
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".tmp{id(out)}")
    tmp.write_text(json.dumps([{"scorer": a.scorer, "check_set": a.check_set, "row": a.row.as_row()} for a in out]))
    tmp.replace(cache)
    return tuple(out)


def disagreements(name: str, check_set: str = "representative") -> list[dict]:
    """The check items a scorer gets wrong: what to look at before trusting it."""
    return CHECKERS[name](check_rows(name, check_set))[2]
