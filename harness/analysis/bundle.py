"""Audit bundles: a folder that proves what was run, and its verification.

``seal`` writes ``manifest.json`` (the SHA-256 of every file in the bundle, and of what the run
used outside it: base model, adapters, suite files) and ``manifest.sha256`` (the hash of the
manifest itself, also recorded in the store). ``verify`` recomputes them: a changed, missing or
added byte anywhere in the bundle is a mismatch; with ``deep`` the suite files, adapter weights
and base model are re-hashed too where they are reachable from this machine.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import sha256_file

MANIFEST = "manifest.json"
SEAL = "manifest.sha256"


def seal(bundle: Path, context: dict) -> str:
    """Write the manifest of every file now in ``bundle`` plus ``context``; return the manifest's SHA-256."""
    files = {str(p.relative_to(bundle)): sha256_file(p) for p in sorted(bundle.rglob("*"))
             if p.is_file() and p.name not in (MANIFEST, SEAL)}
    manifest = {**context, "files": files}
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    (bundle / MANIFEST).write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    (bundle / SEAL).write_text(digest + "\n")
    return digest


@dataclass
class Verification:
    checked: int = 0
    mismatches: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def verify(bundle: Path, deep: bool = False) -> Verification:
    """Recompute every hash of a sealed bundle; ``BadInput`` when ``bundle`` is not a bundle at all."""
    if not (bundle / MANIFEST).is_file():
        raise BadInput(f"not an audit bundle: no {MANIFEST} (bundles are written by `tunebench audit`)", file=bundle)
    result = Verification()
    data = (bundle / MANIFEST).read_bytes()
    sealed = (bundle / SEAL).read_text().strip() if (bundle / SEAL).is_file() else None
    result.checked += 1
    if sealed != hashlib.sha256(data).hexdigest():
        result.mismatches.append(f"{MANIFEST}: its hash does not match {SEAL} ({'missing' if sealed is None else sealed[:12]})")
    try:
        manifest = json.loads(data)
        files = manifest["files"]
    except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
        result.mismatches.append(f"{MANIFEST} is damaged: {exc}")
        return result
    for name, expected in files.items():
        path = bundle / name
        result.checked += 1
        if not path.is_file():
            result.mismatches.append(f"{name}: missing")
        elif sha256_file(path) != expected:
            result.mismatches.append(f"{name}: content changed (sha256 {expected[:12]}... expected)")
    for path in sorted(bundle.rglob("*")):
        name = str(path.relative_to(bundle))
        if path.is_file() and name not in files and name not in (MANIFEST, SEAL):
            result.mismatches.append(f"{name}: not in the manifest (added after sealing)")
    _verify_reviews(bundle, manifest, deep, result)
    if deep:
        _verify_outside(manifest, result)
    return result


def _verify_reviews(bundle: Path, manifest: dict, deep: bool, result: Verification) -> None:
    """The bundled reviews' seal chain; with ``deep``, that the store still holds each of them unchanged
    (a review edited or deleted in the store after the audit is a mismatch)."""
    from tunebench.harness.core.store.review_chain import chain_problems

    path = bundle / "reviews.jsonl"
    if not path.is_file():
        return
    bundled = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    result.checked += 1
    result.mismatches += [f"reviews.jsonl: {p}" for p in chain_problems(bundled)]
    store_location = manifest.get("store")
    if not deep or not bundled:
        return
    if not store_location:
        result.unavailable.append("reviews in the store: the manifest names no store")
        return
    from tunebench.harness.core.store import Store, reviews

    try:
        now = {r["review_id"]: r for r in Store(store_location, create=False).frame(reviews).astype(object)
               .to_dict(orient="records")}
    except BadInput:
        result.unavailable.append(f"reviews in the store: {store_location} cannot be opened here")
        return
    result.checked += 1
    for review in bundled:
        current = now.get(review["review_id"])
        if current is None:
            result.mismatches.append(f"review {review['review_id']}: deleted from the store since the audit")
        elif current.get("sha256") != review.get("sha256") or any(str(current.get(k)) != str(review.get(k))
                                                                   for k in ("verdict", "comment", "reviewer")):
            result.mismatches.append(f"review {review['review_id']}: changed in the store since the audit")


def _verify_outside(manifest: dict, result: Verification) -> None:
    """Suite files and adapter weights the run used, where this machine still has them."""
    for name, suite in manifest.get("suites", {}).items():
        for fname, expected in suite.get("files", {}).items():
            path = Path(suite["folder"]) / fname
            if not path.is_file():
                result.unavailable.append(f"suite {name}: {path}")
                continue
            result.checked += 1
            if sha256_file(path) != expected:
                result.mismatches.append(f"suite {name}: {path} changed since the audit")
    for variant, adapter in manifest.get("adapters", {}).items():
        path = Path(adapter["folder"]) / "adapter_model.safetensors"
        if not adapter.get("weights_sha256"):
            result.unavailable.append(f"adapter {variant}: no weights hash recorded (trained before tunebench "
                                      "recorded one)")
            continue
        if not path.is_file():
            result.unavailable.append(f"adapter {variant}: {path}")
            continue
        result.checked += 1
        if sha256_file(path) != adapter["weights_sha256"]:
            result.mismatches.append(f"adapter {variant}: {path} changed since the audit")
