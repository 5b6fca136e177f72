"""Writing files without ever losing what a user had: atomic, no silent overwrite."""

from __future__ import annotations

import os
from pathlib import Path

from cxculture.errors import CxError


def write_atomic(path: Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder.

    An existing file is replaced only with ``force``; a reader never sees a half
    written file, and a failure leaves the old file as it was.
    """
    path = check_target(path, force=force)
    import tempfile

    data = text.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise CxError(f"{path}: cannot write here ({error.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            _link_without_overwrite(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_target(path: Path, *, force: bool = False) -> Path:
    """Refuse, before any work is done, a target that is a folder, has no folder, or exists."""
    path = Path(path)
    if path.is_dir():
        raise CxError(f"{path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise CxError(f"{path}: folder {path.parent} does not exist; create it first")
    if path.exists() and not force:
        raise CxError(f"{path}: already exists; use --force to overwrite it")
    return path


def _link_without_overwrite(tmp: str, path: Path) -> None:
    """Move ``tmp`` to ``path`` unless ``path`` appeared meanwhile (no race)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise CxError(f"{path}: already exists; use --force to overwrite it") from None
    except OSError:  # file systems without hard links
        if path.exists():
            raise CxError(f"{path}: already exists; use --force to overwrite it") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def ensure_folder(folder: Path) -> Path:
    """The output folder, created if missing, or the project's error saying why not."""
    folder = Path(folder)
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise CxError(f"{folder}: cannot create the folder ({error.strerror})") from None
    if not folder.is_dir():
        raise CxError(f"{folder}: is not a folder")
    return folder


def write_new(folder: Path, stem: str, suffix: str, text: str) -> Path:
    """Write ``folder/stem+suffix``, adding ``-2``, ``-3``… rather than overwriting."""
    folder = ensure_folder(folder)
    for n in range(1, 10_000):
        candidate = folder / (stem + (f"-{n}" if n > 1 else "") + suffix)
        if candidate.exists():
            continue
        try:
            return write_atomic(candidate, text)
        except CxError:
            if candidate.exists():  # lost a race with another writer: next name
                continue
            raise
    raise CxError(f"{folder}: too many files named {stem}*{suffix}")


def read_text(path: Path, *, what: str = "file", limit: int = 50_000_000) -> str:
    """Read a user's UTF-8 file (a BOM is accepted), or say clearly why not."""
    path = Path(path)
    if not path.exists():
        raise CxError(f"{path}: no such {what}")
    if path.is_dir():
        raise CxError(f"{path}: is a folder, expected a {what}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CxError(f"{path}: cannot read it ({error.strerror})") from None
    if len(data) > limit:
        raise CxError(f"{path}: too large ({len(data)} bytes; at most {limit} accepted)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CxError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
