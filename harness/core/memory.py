"""The C heap under torch's CPU tensors: keep freed memory for reuse while computing, and give it
back to the operating system between phases.

torch's CPU allocator has no cache of its own: every tensor is a ``malloc`` and every free a
``free``. With glibc's defaults an allocation over the mmap threshold (128 KB, rising to 32 MB) is a
fresh ``mmap`` that the kernel zero-fills page by page on first touch and unmaps on free, and free
memory at the heap's top is given back as soon as it passes the trim threshold, so a training step
pays page faults for memory it just released (``benchmarks/allocator.py`` measures it).
``keep_freed_memory`` fixes the mmap threshold at 32 MiB (glibc's own ceiling for it; larger tensors,
the vocabulary-sized head chunks, still come from mmap and go back at once: kept in the heap they
fragment it, +0.72 GiB over the demo's training, BENCHMARKS.md "Allocator") and keeps the heap's free
memory for the next tensor; ``release_freed_memory`` (``malloc_trim``) gives the free pages back
when a phase ends (training: every batch has its own width, and its fragments would otherwise sit
under evaluation's peak). Elsewhere (no glibc: musl, macOS) both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os

M_TRIM_THRESHOLD = -1  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_FROM = 32 * 2**20  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: where its dynamic threshold stops
NEVER_TRIM = 2**31 - 1  # the largest int: free memory at the heap's top is only given back by malloc_trim


def _glibc_function(name: str):
    """``name`` from the C library when it is glibc's, else None."""
    library = ctypes.util.find_library("c")
    if not library:
        return None
    try:
        return getattr(ctypes.CDLL(library), name)
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None


def keep_freed_memory() -> bool:
    """Serve every allocation under 32 MiB from the heap (no per-tensor mmap) and keep freed memory for
    the next tensor: whether glibc took both settings. Process-wide; the CLI sets it once at start-up.
    ``TUNEBENCH_MALLOC=system`` keeps glibc's defaults (for comparing, or a process that must give
    memory back at once)."""
    if os.environ.get("TUNEBENCH_MALLOC", "keep") == "system":
        return False
    mallopt = _glibc_function("mallopt")
    if mallopt is None:
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_FROM)) and bool(mallopt(M_TRIM_THRESHOLD, NEVER_TRIM))


def release_freed_memory() -> bool:
    """Collect garbage and trim the C heap; whether the heap could be trimmed (glibc found)."""
    gc.collect()
    trim = _glibc_function("malloc_trim")
    if trim is None:
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return True
