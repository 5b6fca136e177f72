"""A second process reading part of a large folder's result files, or of a large wave file, on two cores (Linux).

``workshop.read_all`` starts it for thousands of result files: a fork of the
running process reads the last files as the workshop reads one (bounded by
``reading.read_bytes``, parsed by orjson, accepted by
``results.looks_complete``) while the workshop reads the first ones, and
hands back, in order, what a synthesis reads of each file
(``results.SYNTHESIS_FIELDS``). It stops at the first file it does not
accept; the workshop reads that file and the rest itself, so a bad file is
refused with the same message, and the first bad file is the one named, as
when one process reads them all. Anything unexpected in the helper (no fork,
a crash, a signal) only means the workshop reads its files itself.

``forked`` is the same fork for other work: ``wave_columns`` has the second
half of a large wave file read by it.

What comes back is ``marshal`` data of plain values (a list of tuples of
dicts, strings, numbers and ``None``), written by the helper on a pipe that
only the two processes hold: nothing from outside is unmarshalled.
"""

from __future__ import annotations

import marshal
import os
import signal
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from cxculture import results
from cxculture.errors import CxError
from cxculture.reading import fast_parser, read_bytes

FROM = 2_000  # result files from which a helper pays for itself (starting it and handing back cost about 20 ms)
SHARE = 0.6  # of the files, read by the helper: the workshop then scores them too, which costs about a third


class Helper:
    """A started helper: the first file it reads (it reads from there to the end), its process, its pipe's end."""

    def __init__(self, first: int, pid: int, handle: int) -> None:
        self.first = first
        self.pid: int | None = pid
        self.handle: int | None = handle

    def results(self) -> list[tuple[Any, ...]]:
        """What the helper read of each of its files, in order: as many as it accepted (none if it failed)."""
        data = self.value()
        return data if isinstance(data, list) else []

    def value(self) -> Any:
        """What the helper's work gave back (``None`` if it failed)."""
        chunks: list[bytes] = []
        try:
            while self.handle is not None and (chunk := os.read(self.handle, 1 << 20)):
                chunks.append(chunk)
        except OSError:
            chunks = []
        succeeded = self._reap()
        try:
            return marshal.loads(b"".join(chunks)) if succeeded else None  # noqa: S302 - our own fork wrote it
        except (EOFError, ValueError, TypeError):
            return None

    def stop(self) -> None:
        """End the helper if it is still running (the workshop failed or was interrupted)."""
        if self.pid is not None:
            with suppress(ProcessLookupError):  # already gone
                os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> bool:
        """Close the pipe and wait for the helper; whether it exited after writing everything."""
        if self.handle is not None:
            os.close(self.handle)
            self.handle = None
        if self.pid is None:
            return False
        pid, self.pid = self.pid, None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped by someone else (SIGCHLD ignored): its results cannot be trusted
            return False
        return os.waitstatus_to_exitcode(status) == 0


def start(paths: Sequence[Path | str]) -> Helper | None:
    """A helper reading the last ``SHARE`` of ``paths`` (result files); ``None`` below ``FROM`` or if it cannot."""
    if len(paths) < FROM or fast_parser() is None:
        return None
    first = len(paths) - int(len(paths) * SHARE)
    return forked(lambda: _read(paths[first:]), first)


def forked(work: Callable[[], Any], first: int = 0) -> Helper | None:
    """A helper doing ``work()`` (plain data that ``marshal`` writes) in a fork; ``None`` if it cannot be started.

    ``first`` is kept for the caller (where the helper's share starts).
    """
    if not _can_fork():
        return None
    readable, writable = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(readable)
        os.close(writable)
        return None
    if pid == 0:  # the helper: never returns, never runs the workshop's clean-up
        code = 1
        try:
            from cxculture.fileio import write_all

            os.close(readable)
            write_all(writable, marshal.dumps(work()))
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    return Helper(first, pid, readable)


def _can_fork() -> bool:
    """Linux, two cores for this process, and no other thread (a fork copies only the calling one)."""
    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _read(paths: Sequence[Path | str]) -> list[tuple[Any, ...]]:
    """``results.SYNTHESIS_FIELDS`` of each file, up to the first one not accepted at once."""
    parse = fast_parser()
    assert parse is not None  # start checked it
    fields = []
    for path in paths:
        try:
            data = parse(read_bytes(str(path), what="result", limit=results.MAX_RESULT_BYTES))
        except (CxError, ValueError):
            break
        if not results.looks_complete(data):
            break
        fields.append(tuple(map(data.get, results.SYNTHESIS_FIELDS)))
    return fields
