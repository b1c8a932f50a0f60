"""Which number format the model computes in: bf16 where the hardware computes it natively, else fp32.

A CPU with AVX-512 BF16 or AMX runs bf16 matrix products several times faster than fp32 (measured
in BENCHMARKS.md); an AVX2-only CPU emulates bf16 and gains nothing, so ``auto`` detects the
hardware, it never assumes it. Evaluation loads the base model's weights in the chosen format;
training keeps fp32 weights and runs under bf16 autocast (the LoRA weights stay fp32, as PEFT keeps
them): on a CPU, backward through bf16 weights is several times slower than autocast. The choice is part
of every cache key and adapter key (an fp32 result is never reused as a bf16 one; fp32 keys are the
ones earlier versions wrote), stored in each run's provenance and printed with the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

PrecisionName = Literal["auto", "fp32", "bf16"]
PRECISIONS: tuple[str, ...] = ("auto", "fp32", "bf16")


@dataclass(frozen=True)
class Precision:
    """The format used (``name``: fp32 or bf16) and why it was chosen (``reason``)."""

    name: Literal["fp32", "bf16"]
    reason: str

    @property
    def dtype(self):
        import torch

        return torch.bfloat16 if self.name == "bf16" else torch.float32

    def model_identity(self, sha256: str) -> str:
        """The model part of a cache key: the content hash, marked when the weights compute in bf16."""
        return sha256 if self.name == "fp32" else f"{sha256}+bf16"

    def as_dict(self) -> dict[str, str]:
        return {"precision": self.name, "precision_reason": self.reason}


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    line = next((ln for ln in text.splitlines() if ln.startswith("flags")), "")
    return set(line.partition(":")[2].split())


def native_bf16() -> str | None:
    """Why this machine computes bf16 natively (CUDA with bf16, a CPU with AVX-512 BF16 or AMX), or None."""
    import torch

    if torch.cuda.is_available():
        return f"CUDA device {torch.cuda.get_device_name(0)} with bf16" if torch.cuda.is_bf16_supported() else None
    checks = {"avx512_bf16": getattr(torch.cpu, "_is_avx512_bf16_supported", None),
              "amx_bf16": getattr(torch.cpu, "_is_amx_tile_supported", None)}
    flags = _cpu_flags()
    found = [name for name, check in checks.items() if (check() if check is not None else name in flags)]
    return f"CPU with {' and '.join(found)}" if found else None


@lru_cache(maxsize=4)
def resolve_precision(requested: str) -> Precision:
    """``auto``: bf16 where native, fp32 elsewhere; ``fp32`` / ``bf16``: as asked (bf16 works anywhere,
    it is only fast where native)."""
    native = native_bf16()
    if requested == "fp32":
        return Precision("fp32", "asked for (precision: fp32)")
    if requested == "bf16":
        return Precision("bf16", "asked for (precision: bf16)" + ("" if native else
                                                                   "; this machine has no native bf16: slower"))
    if native:
        return Precision("bf16", f"auto: {native}")
    return Precision("fp32", "auto: no native bf16 on this machine (no CUDA bf16, no AVX-512 BF16 or AMX)")
