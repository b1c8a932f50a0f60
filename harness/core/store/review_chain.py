"""Reviews are append-only evidence: each is sealed with the hash of the one before it.

A review's ``sha256`` covers its own fields and the previous review's ``sha256``, so editing a review,
deleting one or inserting one in the middle breaks every hash after it. A correction is a new review.
``chain_problems`` recomputes the chain of a set of reviews (the store's, or an audit bundle's copy).
"""

from __future__ import annotations

import hashlib
import json

SEALED = ("review_id", "run_id", "variant", "suite", "split", "perturbation", "item_id", "reviewer", "verdict",
          "comment", "created_at", "scorer_verdict")  # what a review's hash covers, with the previous hash
GENESIS = ""


def review_hash(previous: str, review: dict) -> str:
    body = {k: ("" if review.get(k) is None else str(review.get(k))) for k in SEALED}
    return hashlib.sha256(json.dumps([previous, body], sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def chain_order(reviews: list[dict]) -> list[dict]:
    """Reviews in the order they were added (the order their hashes chain)."""
    return sorted(reviews, key=lambda r: (str(r.get("created_at") or ""), int(r.get("seq") or 0),
                                         str(r.get("review_id"))))


def sealed_in_order(reviews: list[dict]) -> list[tuple[str, str, str]]:
    """(review_id, previous_sha256, sha256) sealing existing reviews in the order they were added: what
    the schema-6 upgrade writes, for a file and for a server alike."""
    out, previous = [], GENESIS
    for review in chain_order(reviews):
        digest = review_hash(previous, review)
        out.append((review["review_id"], previous, digest))
        previous = digest
    return out


def chain_problems(reviews: list[dict]) -> list[str]:
    """What breaks the chain: an edited review (its hash no longer matches), a missing one (a review
    whose predecessor is gone) or two reviews claiming one predecessor. Empty when intact."""
    problems, by_previous = [], {}
    hashes = {r.get("sha256") for r in reviews}
    for review in reviews:
        previous = review.get("previous_sha256") or GENESIS
        if review.get("sha256") != review_hash(previous, review):
            problems.append(f"review {review.get('review_id')} was changed after it was sealed")
        if previous != GENESIS and previous not in hashes:
            problems.append(f"the review before {review.get('review_id')} is missing (deleted or never copied)")
        by_previous.setdefault(previous, []).append(review.get("review_id"))
    problems += [f"reviews {', '.join(map(str, ids))} all claim to follow {prev[:12] or 'the start'}"
                 for prev, ids in by_previous.items() if len(ids) > 1]
    return problems
