"""The anonymiser's check set and its measurement (the figures ``tunebench scorers`` prints)."""

from collections import Counter

from tunebench.harness.core.pii.measure import FALSE_POSITIVE_CEILING, check_set, floor, score


def test_the_check_set_is_labelled_consistently_and_covers_the_domains():
    rows = check_set()
    assert len(rows) >= 400 and len({r["id"] for r in rows}) == len(rows)
    assert Counter(r["lang"] for r in rows).keys() == {"en", "it"}
    assert {r["domain"] for r in rows} == {"support", "it_tickets", "contracts", "triage", "security"}
    for row in rows:
        for span in row["spans"]:
            assert row["text"][span["start"]:span["end"]] == span["value"], row["id"]


def test_a_span_counts_as_removed_at_80_percent_of_its_characters(monkeypatch):
    from tunebench.harness.core.pii import measure
    from tunebench.harness.core.pii.engine import Found

    row = {"text": "write to Giulia Esposito now", "lang": "en",
           "spans": [{"type": "PERSON", "start": 9, "end": 24}]}   # 15 characters
    for start, end, removed, fp in [(9, 24, 1.0, 0), (12, 24, 1.0, 0), (13, 24, 0.0, 0), (6, 24, 1.0, 3)]:
        monkeypatch.setattr(measure, "find", lambda text, extra=None, s=start, e=end: [Found("PERSON", s, e, "")])
        result = score([row])
        assert (result.recall("PERSON")[0], result.fp_chars) == (removed, fp), (start, end)


def test_the_anonymiser_meets_its_targets_on_the_check_set():
    result = score(check_set())
    for kind in [k for k in result.total if "/" not in k and k != "ALL"] + ["PERSON/en", "PERSON/it", "ADDRESS/en",
                                                                             "ADDRESS/it"]:
        assert result.recall(kind)[0] >= floor(kind), (kind, result.recall(kind), result.misses)
    assert result.fp_rate()[0] <= FALSE_POSITIVE_CEILING
