"""The C heap settings under torch's tensors: with ``keep_freed_memory`` a tensor freed and allocated
again reuses the heap's pages instead of a fresh zero-filled mmap (counted in page faults, not time);
``TUNEBENCH_MALLOC=system`` keeps glibc's defaults."""

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")

CHILD = """
import resource, torch
from tunebench.harness.core.memory import keep_freed_memory
kept = keep_freed_memory()
torch.ones(16 * 2**20)  # first touch of the heap, outside the count
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    torch.ones(16 * 2**20)  # 64 MB, freed at once
print(kept, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(setting: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", CHILD], check=True, capture_output=True, text=True,
                         env={**os.environ, "TUNEBENCH_MALLOC": setting})
    kept, faults = out.stdout.split()
    return kept, int(faults)


def test_freed_tensors_reuse_the_heap_instead_of_faulting_fresh_pages():
    kept, faults = _faults("keep")
    system, system_faults = _faults("system")
    assert (kept, system) == ("True", "False")
    pages = 20 * 64 * 2**20 // 4096  # 327,680: every page of every tensor faulted once with glibc's defaults
    assert system_faults > pages // 2
    assert faults <= pages // 20  # at most one tensor's pages: the heap grows once, then is reused
