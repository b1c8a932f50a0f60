"""Reviews are append-only and sealed: an edit, a deletion or an insertion breaks the chain, in the
store and in an audit bundle's copy."""

import sqlite3

from tunebench.harness.core.store import Store, reviews
from tunebench.harness.core.store.review_chain import chain_problems


def _problems(store: Store) -> list[str]:
    return chain_problems(store.frame(reviews).astype(object).to_dict(orient="records"))


def _review(store: Store, item: str, verdict: str = "right") -> str:
    return store.add_review({"run_id": "r", "variant": "v", "suite": "s", "split": "test", "item_id": item,
                             "reviewer": "ada", "verdict": verdict, "comment": "", "scorer_verdict": "right"})


def test_reviews_chain_and_any_change_breaks_it(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    ids = [_review(store, str(i)) for i in range(4)]
    rows = store.frame(reviews).astype(object).to_dict(orient="records")
    assert _problems(store) == [] and len({r["sha256"] for r in rows}) == 4
    assert sum(not r["previous_sha256"] for r in rows) == 1, "one start, then each review follows one other"
    with sqlite3.connect(store.path) as con:  # someone edits a verdict behind tunebench's back
        con.execute("UPDATE reviews SET verdict = 'wrong' WHERE review_id = ?", (ids[1],))
    assert [p for p in _problems(store) if ids[1] in p] == [f"review {ids[1]} was changed after it was "
                                                                        "sealed"]
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE reviews SET verdict = 'right' WHERE review_id = ?", (ids[1],))
        con.execute("DELETE FROM reviews WHERE review_id = ?", (ids[2],))
    assert any("is missing" in p and ids[3] in p for p in _problems(store))


def test_a_copied_chain_is_checked_the_same_way():
    rows = [{"review_id": "a", "verdict": "right", "previous_sha256": "", "sha256": "x"}]
    assert chain_problems(rows) == ["review a was changed after it was sealed"]
