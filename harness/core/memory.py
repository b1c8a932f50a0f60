"""Give memory the process has freed back to the operating system.

On Linux, glibc keeps freed heap memory for reuse; after a phase that allocated many differently
sized tensors (training: every batch has its own width) the resident size stays at that phase's
high-water mark, and the next phase's peak is added on top. ``malloc_trim(0)`` returns the free
pages; elsewhere (no glibc) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def release_freed_memory() -> bool:
    """Collect garbage and trim the C heap; whether the heap could be trimmed (glibc found)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim(0)
    return True
