"""The adapter contract between training and evaluation.

An adapter folder is a standard PEFT folder (``adapter_config.json``,
``adapter_model.safetensors``: weights as safetensors only, never pickles) plus ``tunebench.json``,
its provenance: the base model it was trained on, the data and config, and the data-preparation
report. Trainers write it; evaluation checks it once, before a run starts, so a foreign, partial
or corrupt adapter is bad input and not a crash halfway through the run.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import sha256_file
from tunebench.harness.core.models import ResolvedModel, folder_hash

PROVENANCE = "tunebench.json"
WEIGHTS = "adapter_model.safetensors"
CONFIG = "adapter_config.json"


@dataclass(frozen=True)
class Adapter:
    """A checked adapter folder: its provenance and the content hash that keys its generations."""

    name: str
    folder: Path
    provenance: dict
    sha256: str

    @property
    def pii_hashes(self) -> set[str]:
        """SHA-256 of every PII value seen in the training data (the no-PII rule's memory)."""
        return set(self.provenance.get("data_preparation", {}).get("pii_value_sha256", []))

    @property
    def canaries(self) -> list[dict]:
        return self.provenance.get("data_preparation", {}).get("canaries", [])


def _read_json(path: Path, what: str) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{what} cannot be read: {exc}", file=path) from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{what} is not valid JSON: {exc.msg}", file=path, line=exc.lineno) from None
    if not isinstance(value, dict):
        raise BadInput(f"{what} must hold a JSON object", file=path, line=1)
    return value


def read_provenance(folder: Path) -> dict | None:
    """The folder's ``tunebench.json``, or ``None`` when it has none."""
    path = folder / PROVENANCE
    return _read_json(path, "adapter provenance") if path.is_file() else None


def write_provenance(folder: Path, provenance: dict) -> None:
    (folder / PROVENANCE).write_text(json.dumps(provenance, indent=2))


def check_safetensors(path: Path) -> None:
    """``BadInput`` unless ``path`` is a complete safetensors file (header parses, data all there)."""
    size = path.stat().st_size
    try:
        with open(path, "rb") as f:
            (header_len,) = struct.unpack("<Q", f.read(8))
            if header_len > min(size - 8, 100 << 20):
                raise ValueError("header length beyond the end of the file")
            header = json.loads(f.read(header_len))
        end = max((t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"), default=0)
    except (struct.error, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BadInput(f"not a valid safetensors file ({exc}); train the adapter again", file=path) from None
    if 8 + header_len + end != size:
        raise BadInput(f"safetensors file is truncated or padded: {size} bytes, its header describes "
                       f"{8 + header_len + end}; train the adapter again", file=path)


def check_adapter(name: str, folder: Path, base: ResolvedModel) -> Adapter:
    """The checked adapter of variant ``name``; ``BadInput`` naming what is wrong with the folder."""
    field = f"variants.{name}"
    if not folder.is_dir():
        raise BadInput(f"adapter of variant '{name}' is missing; run `tunebench train` first", file=folder,
                       field=field)
    if not (folder / WEIGHTS).is_file():
        pickled = [p.name for p in folder.glob("*.bin")] + [p.name for p in folder.glob("*.pt")]
        why = (f"only {', '.join(pickled)} (pickle): tunebench loads adapters as safetensors only" if pickled
               else f"no {WEIGHTS}")
        raise BadInput(f"not a usable adapter folder: {why}; run `tunebench train` first", file=folder, field=field)
    if not (folder / CONFIG).is_file():
        raise BadInput(f"not a PEFT adapter folder: no {CONFIG}", file=folder, field=field)
    _read_json(folder / CONFIG, "adapter config")
    provenance = read_provenance(folder)
    if provenance is None:
        raise BadInput(f"not a tunebench adapter folder (no {PROVENANCE}); train it with `tunebench train`",
                       file=folder, field=field)
    trained_on = provenance.get("base_model_sha256")
    if trained_on != base.sha256:
        raise BadInput(f"adapter was trained on another base model: adapter base sha256 {trained_on}, "
                       f"experiment base '{base.ref}' sha256 {base.sha256}", file=folder / PROVENANCE,
                       field="base_model_sha256")
    check_safetensors(folder / WEIGHTS)
    recorded = provenance.get("weights_sha256")
    if recorded and sha256_file(folder / WEIGHTS) != recorded:
        raise BadInput(f"weights do not match the hash recorded at training ({recorded[:12]}...): the file was "
                       "changed or damaged; train the adapter again", file=folder / WEIGHTS)
    return Adapter(name, folder, provenance, folder_hash(folder))
