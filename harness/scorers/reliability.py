"""How far to trust each automatic scorer: its agreement with careful human judgement.

Each scorer is run on a small hand-labelled check set shipped with tunebench
(``harness/scorers/checks/`` and the refusal detector's ``refusal_data/dev.jsonl``), written apart
from the scorers' code and from any training data, and its agreement is reported with a 95%
Wilson interval. A scorer below ``TRUSTED`` (90%) is flagged wherever one of its numbers is
shown. ``tunebench scorers`` prints the table; every run stores it next to its results.

The check sets are about the scorers, not about a model: they hold outputs of the kinds models
write (clean, decorated, misspelt, in prose, in the other language) and what a human reads in them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tunebench.harness.core.metrics import TRUSTED, MetricRow
from tunebench.harness.scorers.base import shipped_jsonl

CHECKS = Path(__file__).parent / "checks"
TITLES = {"labels": "label parsing (classification)", "json": "JSON extraction", "similarity":
          "semantic similarity >= 0.8 (generation)", "refusal": "refusal detector", "policy": "policy rules"}


@dataclass(frozen=True)
class Agreement:
    scorer: str
    row: MetricRow  # value: share of check items where scorer and human agree

    @property
    def trusted(self) -> bool:
        return self.row.value is not None and self.row.value >= TRUSTED


def _rows(name: str) -> list[dict]:
    """The items of a check set: ``checks/<name>``, or ``refusal_data/...`` next to the refusal detector."""
    return shipped_jsonl(CHECKS / name if not name.startswith("refusal_data/") else Path(__file__).parent / name)


def _suite(name: str):
    from tunebench.harness.core.suites import load_suite

    return load_suite(name)


def check_labels() -> tuple[int, int, list[dict]]:
    from tunebench.harness.core.parsing import parse_labels

    rows, hits, misses = _rows("labels.jsonl"), 0, []
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


def check_json() -> tuple[int, int, list[dict]]:
    from tunebench.harness.core.parsing import parse_json_object

    rows, hits, misses = _rows("json.jsonl"), 0, []
    for row in rows:
        parsed, _ = parse_json_object(row["output"])
        human = row["human"]
        ok = (parsed is not None) == bool(human["valid"]) and (parsed is None or _same(parsed, human["parsed"]))
        hits += ok
        if not ok:
            misses.append({"id": row["id"], "output": row["output"], "human": human, "scorer": parsed})
    return hits, len(rows), misses


def check_similarity() -> tuple[int, int, list[dict]]:
    from tunebench.harness.scorers.accuracy import _ragas_metrics

    rows = _rows("similarity.jsonl")
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


def check_refusal() -> tuple[int, int, list[dict]]:
    """On the held-out half of ``dev.jsonl`` (even ids): the odd ids were used to choose the detector's
    extra phrases and its confidence threshold, so they would flatter it."""
    from tunebench.harness.scorers.refusals import agreement

    result = agreement([r for r in _rows("refusal_data/dev.jsonl") if int(r["id"].rsplit("-", 1)[1]) % 2 == 0])
    return round(result["agreement"] * result["n"]), result["n"], result["errors"]


def check_policy() -> tuple[int, int, list[dict]]:
    from pydantic import TypeAdapter

    from tunebench.harness.core.policy import Rule
    from tunebench.harness.scorers.policy import rule_context

    adapter = TypeAdapter(Rule)
    rows, hits, misses = _rows("policy.jsonl"), 0, []
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


CHECKERS = {"labels": check_labels, "json": check_json, "similarity": check_similarity, "refusal": check_refusal,
            "policy": check_policy}


def _inputs_digest() -> str:
    """Hash of everything an agreement depends on: the check sets, the training data, the scorer code."""
    import hashlib

    here = Path(__file__).parent
    paths = sorted([*CHECKS.glob("*.jsonl"), *(here / "refusal_data").glob("*.jsonl"), *here.glob("*.py"),
                    *(here.parent / "core" / name for name in ("parsing.py", "rules.py")),
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
        return tuple(Agreement(a["scorer"], MetricRow(**a["row"])) for a in json.loads(cache.read_text()))
    out = []
    for name, checker in CHECKERS.items():
        hits, n, _ = checker()
        row = MetricRow.proportion(f"scorer.{name}", hits, n, f"check items where the {TITLES[name]} agrees with the "
                                   f"human label (hand-labelled check set of hard cases)")
        out.append(Agreement(name, row))
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".tmp{id(out)}")
    tmp.write_text(json.dumps([{"scorer": a.scorer, "row": a.row.as_row()} for a in out]))
    tmp.replace(cache)
    return tuple(out)


def disagreements(name: str) -> list[dict]:
    """The check items a scorer gets wrong: what to look at before trusting it."""
    return CHECKERS[name]()[2]
