"""Test helper: start a real server process on loopback and wait until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(command: list[str], health_url: str, log: Path | None = None, seconds: float = 120,
                 **popen) -> subprocess.Popen:
    """Popen ``command``; return once ``health_url`` answers, else kill it and fail the test (with the
    tail of ``log`` when the output goes there)."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (the server writes to it all its life)
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT if log else subprocess.DEVNULL, **popen)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(health_url, timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"{command[0]} did not start" + (": " + log.read_text()[-2000:] if log else ""))


def stop_server(proc: subprocess.Popen, seconds: float = 30) -> None:
    proc.terminate()
    proc.wait(timeout=seconds)
