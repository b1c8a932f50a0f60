"""A dated audit of an experiment: run it, compare with the previous audit, assemble the bundle.

The run itself is an ordinary ``run_experiment`` (cached generations are reused, so a periodic
audit of an unchanged setup costs seconds). What makes it an audit: it is recorded under a dated
id in the store's ``audits`` table, compared variant by variant with the previous audit of the
same experiment (what changed in the setup, and which metrics moved significantly), and written
out as a self-contained bundle: the experiment file and resolved spec, run provenance, every
adapter's provenance, the decision numbers, the comparison, and the store rows behind every
number. The CLI adds the HTML report and seals the bundle (``tunebench.harness.analysis.bundle``).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from tunebench.harness import __version__
from tunebench.harness.analysis.compare import Comparison, Side, compare
from tunebench.harness.analysis.pairing import BETTER, WORSE
from tunebench.harness.core.spec import Experiment
from tunebench.harness.core.store import Store, audits, metrics, reviews, runs, samples, scorer_checks
from tunebench.harness.orchestration.pipeline import run_experiment


@dataclass
class Audit:
    audit_id: str
    experiment: str
    run_id: str
    created_at: str
    bundle: Path
    store: Store
    previous: dict | None = None  # the previous audit's row
    changes: list[str] = field(default_factory=list)  # what differs in the setup
    comparisons: list[Comparison] = field(default_factory=list)

    def summary(self) -> dict:
        # before: the previous audit's run (the baseline), after: this one's (the candidate)
        moved = [{"variant": c.candidate.variant, "suite": r.suite, "split": r.split, "metric": r.metric,
                  "verdict": r.verdict, "before": r.baseline, "after": r.candidate, "diff": r.diff,
                  "ci": [r.ci_low, r.ci_high], "confidence": r.confidence, "p_holm": r.p_holm}
                 for c in self.comparisons for r in c.rows if r.verdict in (BETTER, WORSE)]
        return {"audit_id": self.audit_id, "experiment": self.experiment, "run_id": self.run_id,
                "created_at": self.created_at, "previous_audit_id": self.previous["audit_id"] if self.previous else None,
                "previous_run_id": self.previous["run_id"] if self.previous else None, "changes": self.changes,
                "significant_changes": moved, "tunebench": __version__}


def run_audit(experiment: Experiment, spec_path: Path, out_dir: Path, store_location: str | None = None) -> Audit:
    """Run the experiment and write the bundle's content (not yet the report, nor the seal)."""
    store, run_id = run_experiment(experiment, out_dir, store_location=store_location)
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    audit_id = f"{experiment.name}-{created.replace(':', '').replace('-', '')}"
    bundle = out_dir / "audits" / audit_id
    previous = store.frame(audits, experiment=experiment.name).sort_values("created_at")
    audit = Audit(audit_id, experiment.name, run_id, created, bundle, store,
                  previous.iloc[-1].to_dict() if not previous.empty else None)
    if audit.previous:
        audit.changes = setup_changes(store, audit.previous["run_id"], run_id)
        names = {s.variant for s in store.samples(audit.previous["run_id"])}
        audit.comparisons = [compare(store, Side(audit.previous["run_id"], v.name), Side(run_id, v.name))
                             for v in experiment.variants if v.name in names]
    tmp = bundle.with_name(bundle.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    _write_contents(audit, experiment, spec_path, tmp)
    audit.bundle = tmp  # renamed to its final name by ``finish`` once sealed
    return audit


def finish(audit: Audit, final: Path, manifest_sha256: str) -> Path:
    """Move the sealed bundle to its dated name and record the audit in the store."""
    audit.bundle.replace(final)
    audit.bundle = final
    audit.store.add_audit({"audit_id": audit.audit_id, "experiment": audit.experiment, "run_id": audit.run_id,
                           "created_at": audit.created_at,
                           "previous_audit_id": audit.previous["audit_id"] if audit.previous else None,
                           "bundle": str(final), "manifest_sha256": manifest_sha256,
                           "summary_json": audit.summary()})
    for comparison in audit.comparisons:
        audit.store.add_comparison("audit", comparison.baseline.label, comparison.candidate.label,
                                   json.dumps(comparison.counts()), comparison.to_dict())
    return final


def setup_changes(store: Store, before: str, after: str) -> list[str]:
    """What differs between two runs' setups: spec fields, base model, suites, adapters, versions."""
    changes = []
    run_a, run_b = store.run(before), store.run(after)
    for key in sorted(set(run_a.spec) | set(run_b.spec)):
        if run_a.spec.get(key) != run_b.spec.get(key):
            changes.append(f"experiment field '{key}' changed")
    prov_a, prov_b = run_a.provenance, run_b.provenance
    for key in ("base_model_sha256", "tunebench", "python"):
        if prov_a.get(key) != prov_b.get(key):
            changes.append(f"{key}: {prov_a.get(key)} -> {prov_b.get(key)}")
    hashes = {"suite": lambda run: {s.suite: s.sha256 for s in store.run_suites(run)},
              "adapter": lambda run: {a.variant: a.sha256 for a in store.run_adapters(run)}}
    for label, of in hashes.items():
        a, b = of(before), of(after)
        for name in sorted(set(a) | set(b)):
            if a.get(name) != b.get(name):
                changes.append(f"{label} {name}: " + ("added" if name not in a else "removed" if name not in b
                                                      else f"content changed ({a[name][:12]} -> {b[name][:12]})"))
    return changes or ["nothing: same spec, base model, suites, adapters and versions"]


def _jsonl(path: Path, frame) -> None:
    frame = frame.sort_values(list(frame.columns[:5])).astype(object).where(frame.notna(), None)
    with open(path, "w", encoding="utf-8") as f:
        for row in frame.to_dict(orient="records"):
            f.write(json.dumps(row, sort_keys=True, ensure_ascii=False) + "\n")


def _write_contents(audit: Audit, experiment: Experiment, spec_path: Path, folder: Path) -> None:
    store, run_id = audit.store, audit.run_id
    (folder / "provenance").mkdir(parents=True)
    shutil.copyfile(spec_path, folder / "experiment.yaml")
    (folder / "spec.json").write_text(json.dumps(experiment.model_dump(), indent=2, sort_keys=True))
    run = store.frame(runs, run_id=run_id).iloc[0].to_dict()
    run["provenance"] = run.pop("provenance_json")
    run.pop("spec_json")  # spec.json holds it
    (folder / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True, default=str))
    for adapter in store.run_adapters(run_id):
        (folder / "provenance" / f"{adapter.variant}.json").write_text(
            json.dumps(adapter.provenance, indent=2, sort_keys=True))
    _jsonl(folder / "metrics.jsonl", store.frame(metrics, run_id=run_id))
    _jsonl(folder / "samples.jsonl", store.frame(samples, run_id=run_id))
    _jsonl(folder / "scorer_checks.jsonl", store.frame(scorer_checks, run_id=run_id))
    _jsonl(folder / "reviews.jsonl", store.frame(reviews))  # the whole seal chain, as it stands at the audit
    (folder / "audit.json").write_text(json.dumps(audit.summary(), indent=2, sort_keys=True, default=str))
    (folder / "comparison.json").write_text(json.dumps([c.to_dict() for c in audit.comparisons], indent=2,
                                                       default=str))
    (folder / "README.txt").write_text(
        f"tunebench audit {audit.audit_id} of experiment '{audit.experiment}' (run {run_id}, {audit.created_at}).\n"
        "experiment.yaml, spec.json: what was run. run.json, provenance/: with what (base model, adapters, data).\n"
        "metrics.jsonl, samples.jsonl, scorer_checks.jsonl: the stored rows behind every number (and behind\n"
        "the scorer warnings). reviews.jsonl: every review in the store, each sealed with the hash of the one\n"
        "before it. audit.json, comparison.json: what\n"
        "changed since the previous audit. report/: the HTML report. manifest.json: the SHA-256 of every file\n"
        "here and of the suite files and adapters used; manifest.sha256: the manifest's own hash.\n"
        "Verify with: tunebench audit verify <this folder>  (exit 0: intact, 1: something changed)\n")


def _shown_location(path) -> str:
    """The store's file path, or its URL without the password."""
    from sqlalchemy.engine import make_url

    return make_url(path).render_as_string(hide_password=True) if "://" in str(path) else str(path)


def manifest_context(audit: Audit) -> dict:
    """What the manifest records besides the bundle's own files."""
    store, run_id = audit.store, audit.run_id
    provenance = store.run(run_id).provenance
    suites = {s.suite: {"folder": s.folder, "sha256": s.sha256, "files": s.files} for s in store.run_suites(run_id)}
    adapters = {a.variant: {"folder": a.folder, "sha256": a.sha256,
                            "weights_sha256": a.provenance.get("weights_sha256")}
                for a in store.run_adapters(run_id)}
    return {"audit_id": audit.audit_id, "experiment": audit.experiment, "run_id": run_id,
            "created_at": audit.created_at, "tunebench": __version__, "store": _shown_location(store.path),
            "previous_audit_id": audit.previous["audit_id"] if audit.previous else None,
            "base_model": {"ref": provenance.get("base_model"), "sha256": provenance.get("base_model_sha256")},
            "suites": suites, "adapters": adapters,
            "store_rows": {"metrics": len(store.frame(metrics, run_id=run_id)),
                           "samples": len(store.frame(samples, run_id=run_id))}}
