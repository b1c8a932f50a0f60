"""The user's files and folders: text read the way their tools wrote it, output folders checked.

UTF-8 with or without a byte-order mark is accepted: Excel and Notepad write the mark, and a CSV
whose first header is read as ``\\ufeffid`` would otherwise fail as "missing field id". Any other
encoding is bad input naming the first line that is not UTF-8 and what to do about it.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from tunebench.harness.core.errors import BadInput

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_text(path: Path, what: str = "file") -> str:
    """The file's text; ``BadInput`` (file, line) when it is missing, a folder or not UTF-8."""
    if path.is_dir():
        raise BadInput(f"{what} is a folder, expected a file", file=path)
    if not path.is_file():
        raise BadInput(f"{what} not found", file=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{what} cannot be read: {exc.strerror}", file=path) from None
    if data.startswith(_UTF16_BOMS):
        raise BadInput("the file is UTF-16 (\"Unicode text\" in Excel); save it as UTF-8 (\"CSV UTF-8\")",
                       file=path, line=1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start: exc.start + 1].hex()
        raise BadInput(f"not UTF-8: byte 0x{byte} on this line (the file looks like Latin-1/Windows-1252); "
                       "save it as UTF-8, with or without a byte-order mark", file=path, line=line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise BadInput("the file holds NUL bytes: it is binary or UTF-16/32, not UTF-8 text", file=path, line=line)
    return text


def writable_folder(path: Path, option: str) -> Path:
    """``path`` created if needed; ``BadInput`` when it is a file or cannot be created."""
    if path.exists() and not path.is_dir():
        raise BadInput(f"{option} must be a folder; this is a file", file=path, field=option)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"{option} folder cannot be created ({exc.strerror}); choose a writable folder",
                       file=path, field=option) from None
    return path


def sha256_file(path: Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()
