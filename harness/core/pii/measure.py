"""How well the anonymiser removes PII, on labelled texts: recall per type and false positives.

The rule: a gold span counts as removed when at least 80% of its characters are inside spans the
anonymiser replaces (whatever type it calls them: a name removed as an address is still removed).
False positives are the characters it replaces outside every gold span, as a share of all the
characters outside gold spans. Recall intervals are Wilson's over spans; the false-positive interval
is Wilson's over characters, which treats neighbouring characters as independent and so is too
narrow: read it as a lower bound on the uncertainty.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tunebench.harness.core.pii.engine import find
from tunebench.harness.core.stats import proportion_ci

REMOVED = 0.8  # share of a gold span's characters that must be replaced


@dataclass
class PiiScore:
    """Recall per type (and per type and language), false positives, speed, and the misses."""

    removed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    fp_chars: int = 0
    other_chars: int = 0
    texts: int = 0
    seconds: float = 0.0
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    def recall(self, kind: str) -> tuple[float, float, float]:
        """(recall, low, high) for ``kind`` ('PERSON', 'PERSON/it', ...; 'ALL' for every span)."""
        k, n = self.removed[kind], self.total[kind]
        low, high = proportion_ci(k, n)
        return (k / n if n else float("nan")), low, high

    def fp_rate(self) -> tuple[float, float, float]:
        low, high = proportion_ci(self.fp_chars, self.other_chars)
        return self.fp_chars / max(self.other_chars, 1), low, high

    @property
    def texts_per_second(self) -> float:
        return self.texts / self.seconds if self.seconds else float("nan")


def score(rows: list[dict], extra: dict[str, str] | None = None) -> PiiScore:
    """Measures ``find`` on ``rows`` (``{"text", "lang", "spans": [{"type", "start", "end"}]}``)."""
    out = PiiScore()
    for row in rows:
        text = row["text"]
        started = time.perf_counter()
        found = find(text, extra)
        out.seconds += time.perf_counter() - started
        out.texts += 1
        hit = [False] * len(text)
        for f in found:
            hit[f.start:f.end] = [True] * (f.end - f.start)
        gold = [False] * len(text)
        for span in row["spans"]:
            s, e = span["start"], span["end"]
            gold[s:e] = [True] * (e - s)
            removed = sum(hit[s:e]) >= REMOVED * (e - s)
            for key in (span["type"], f"{span['type']}/{row.get('lang', '?')}", "ALL"):
                out.total[key] += 1
                out.removed[key] += removed
            if not removed:
                out.misses.append({"id": row.get("id"), "type": span["type"], "value": text[s:e]})
        fp = [i for i in range(len(text)) if hit[i] and not gold[i]]
        out.fp_chars += len(fp)
        out.other_chars += len(text) - sum(gold)
        if fp:
            out.false_positives.append({"id": row.get("id"), "text": [f.value for f in found
                                                                    if not any(gold[f.start:f.end])]})
    return out


def check_set() -> list[dict]:
    """The shipped labelled check set (``harness/scorers/checks/pii.jsonl``, next to the scorers' ones).

    A bad line there is a broken install, not user input: raised (``BadInput`` naming the line)."""
    from tunebench.harness.core.errors import BadInput
    from tunebench.harness.core.records import read_jsonl

    records, problems = read_jsonl(Path(__file__).resolve().parents[2] / "scorers" / "checks" / "pii.jsonl",
                                   "tunebench data file")
    if problems:
        raise BadInput(problems=problems)
    return [record for _, record in records]


# What the anonymiser must reach on its check set: names and addresses are the hard part.
RECALL_FLOOR = {"PERSON": 0.90, "ADDRESS": 0.90}
STRUCTURED_FLOOR = 0.95
FALSE_POSITIVE_CEILING = 0.005


def floor(kind: str) -> float:
    return RECALL_FLOOR.get(kind.split("/")[0], STRUCTURED_FLOOR)


def table_rows(result: PiiScore) -> list[tuple[str, str, str, str]]:
    """(type, recall [95% CI], spans, status) per type and, for names and addresses, per language;
    then the false-positive row."""
    rows = []
    kinds = sorted(k for k in result.total if "/" not in k and k != "ALL")
    for kind in kinds + [f"{k}/{lang}" for k in RECALL_FLOOR for lang in ("en", "it")] + ["ALL"]:
        if not result.total.get(kind):
            continue
        value, low, high = result.recall(kind)
        status = "" if kind == "ALL" else ("meets" if value >= floor(kind) else "BELOW") + f" {floor(kind):.2f}"
        rows.append((kind, f"{value:.3f} [{low:.2f}, {high:.2f}]", str(result.total[kind]), status))
    fp, low, high = result.fp_rate()
    rows.append(("false positives (share of non-PII characters)", f"{fp:.4f} [{low:.4f}, {high:.4f}]",
                 str(result.other_chars), ("meets" if fp <= FALSE_POSITIVE_CEILING else "ABOVE")
                 + f" {FALSE_POSITIVE_CEILING:.3f}"))
    return rows
