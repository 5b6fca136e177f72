"""The user's own cache folder: where it is, and its files read only when only the user could write them.

Three caches live there: validated content (``loading``: plain values in
``marshal`` format, rebuilt into records through an allow-list, never pickle),
rendered screens (``views.screen``: text printed as it is) and the labels of
``--help`` pages (``helptext``), each file named by ``key``. Anyone able to
write these files could change what the tool shows, so a file is used only
when it and its folder belong to the current user, are not writable by group
or others, and are not symbolic links (checked on the open file, no race).
Anything else is ignored: the tool then works without a cache, as it does when
the folder is read-only, full, or ``CXCULTURE_CACHE_DIR=''`` turns it off.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

MAX_CACHE_BYTES = 20_000_000
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def folder(*parts: str) -> Path | None:
    """The cache folder (or a sub-folder of it); ``CXCULTURE_CACHE_DIR=''`` turns it off."""
    configured = os.environ.get("CXCULTURE_CACHE_DIR")
    if configured is not None:
        return Path(configured, *parts) if configured else None
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base.joinpath("cxculture", *parts)


def key(*parts: bytes) -> str:
    """A file name for what ``parts`` are: their CRC-32, Adler-32 and length (64 bits and a size).

    A checksum, not a cryptographic hash: ``hashlib`` (OpenSSL) costs a
    warm start more than reading the cache saves. It names files only the
    user could have written, holding values checked again when read: a key
    that matched other bytes would give back other valid values, never run
    or trust anything.
    """
    import zlib

    joined = b"".join(len(part).to_bytes(8, "big") + part for part in parts)  # unambiguous: each part's length first
    return f"{zlib.crc32(joined):08x}{zlib.adler32(joined):08x}{len(joined):x}"


def read(path: Path) -> bytes | None:
    """The bytes of a cache file the user alone could have written, else None."""
    try:
        if not _trusted(os.lstat(path.parent)):
            return None
        handle = os.open(path, _OPEN_FLAGS)
    except (OSError, ValueError):  # missing, a symbolic link, unreadable, a name the system refuses
        return None
    try:
        info = os.fstat(handle)
        if not (stat.S_ISREG(info.st_mode) and _trusted(info)) or info.st_size > MAX_CACHE_BYTES:
            return None
        return os.read(handle, info.st_size + 1)[: info.st_size]
    except OSError:
        return None
    finally:
        os.close(handle)


def write(path: Path, data: bytes) -> None:
    """Replace a cache file atomically, private to the user; any failure just means no cache."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _tighten(path.parent)
        if not _trusted(os.lstat(path.parent)):
            return
        handle = os.open(tmp, _WRITE_FLAGS, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(tmp, path)
    except (OSError, ValueError):  # read-only, full, a file where the folder should be…
        with contextlib.suppress(OSError, ValueError):
            os.unlink(tmp)


def _trusted(info: os.stat_result) -> bool:
    """Owned by the current user, writable by no one else, not a link (Windows: not a link)."""
    if stat.S_ISLNK(info.st_mode):
        return False
    getuid = getattr(os, "geteuid", None)
    if getuid is None:  # Windows: the per-user LOCALAPPDATA, no POSIX owners or modes
        return True
    return info.st_uid == getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _tighten(path: Path) -> None:
    """The user's own cache folder made with a group-writable umask (002): drop others' write access."""
    info = os.lstat(path)
    getuid = getattr(os, "geteuid", None)
    others_write = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if getuid is not None and stat.S_ISDIR(info.st_mode) and info.st_uid == getuid() and others_write:
        os.chmod(path, stat.S_IMODE(info.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
