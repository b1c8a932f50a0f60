"""Where a run's time and memory go: wall time and peak resident memory per named stage.

``Stages`` is a context-manager factory: ``with stages("train lora-baseline"): ...``. Peak memory
is sampled from /proc every 50 ms by a background thread while a stage runs (the process-wide
``ru_maxrss`` only ever grows, so it cannot tell which stage made the peak). Stages nest; the
breakdown is printed at the end of ``run``/``demo`` and stored with the run.
"""

from __future__ import annotations

import contextlib
import os
import resource
import threading
import time
from dataclasses import asdict, dataclass
from typing import Iterator

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    """Resident memory of this process now, in MB (falls back to the lifetime peak off Linux)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mb: float
    depth: int


class Stages:
    """The timed stages of one run, in order."""

    def __init__(self) -> None:
        self.done: list[Stage] = []
        self._depth = 0

    @contextlib.contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        peak = [rss_mb()]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.05):
                peak[0] = max(peak[0], rss_mb())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started, depth = time.perf_counter(), self._depth
        self._depth += 1
        index = len(self.done)
        self.done.append(Stage(name, 0.0, 0.0, depth))  # placeholder keeps the order of nested stages
        try:
            yield
        finally:
            stop.set()
            sampler.join()
            self._depth -= 1
            self.done[index] = Stage(name, round(time.perf_counter() - started, 2), round(max(peak[0], rss_mb()), 1),
                                     depth)

    def as_rows(self) -> list[dict]:
        return [asdict(s) for s in self.done]
