"""Test helper: a real, throw-away PostgreSQL server on loopback (Debian's ``postgresql`` package,
which ``make test`` installs where it can, as it does chromium for the browser test).

``initdb`` a cluster in a temporary folder, start it on a free port with ``pg_ctl``, create a
database, and return its SQLAlchemy URL; ``stop`` removes it. As root (CI containers), the server
runs as the ``postgres`` user, which refuses to run as root. Where no server can be started the
callers skip, saying why.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.servers import free_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@dataclass
class Postgres:
    folder: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/tunebench"

    def createdb(self, name: str) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, _bin("createdb") or "createdb", "-h", "127.0.0.1", "-p",
                               str(self.port), "-U", "postgres", name], capture_output=True, text=True)

    def database(self, name: str) -> str:
        """A fresh empty database on the server, its URL."""
        self.createdb(name).check_returncode()
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, _bin("pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> Postgres | str:
    """A running server, or why there is none."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        return "PostgreSQL is not installed (Debian: apt-get install postgresql; make test does it as root)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    folder = Path(tempfile.mkdtemp(prefix="tunebench-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root without runuser: cannot start PostgreSQL as another user"
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    port = free_port()
    data = folder / "data"
    steps = [[*as_user, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
             [*as_user, pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60", "-o",
              f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            shutil.rmtree(folder, ignore_errors=True)
            return f"PostgreSQL did not start ({' '.join(step[:3])}...): {(done.stderr or done.stdout)[-300:]}"
    server = Postgres(folder, port, as_user)
    for _ in range(50):  # the server may still be starting
        made = server.createdb("tunebench")
        if made.returncode == 0:
            return server
        time.sleep(0.2)
    server.stop()
    return f"PostgreSQL started but no database could be created: {made.stderr[-300:]}"
