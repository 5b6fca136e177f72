"""The standard streams as the environment hands them over: any encoding, closed, full or a broken pipe.

``prepare`` runs before a command: a stream that cannot encode every character
(``PYTHONIOENCODING=ascii``, a latin-1 terminal) writes the tool's symbols as
ASCII look-alikes (``•`` → ``*``, ``█`` → ``#``, ``é`` → ``e``) and anything else as ``?``
instead of failing; a closed stdout (``>&-``) becomes one that fails clearly on
the first write; a ``COLUMNS`` that is not a usable width is ignored.
``finish`` flushes stdout and says in one line why output could not be written
(a full disk, ``/dev/full``, a closed stream); a broken pipe (``| head -1``) is
silent, and the output that could not be written is dropped.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys

MIN_COLUMNS = 20
HANDLER = "cxculture-ascii"
_ASCII = {
    "•": "*",
    "–": "-",
    "—": "-",
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "█": "#",
    "░": ".",
    "·": ".",
    "…": "...",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "✓": "v",
    "✗": "x",
    "×": "x",
    "\u00a0": " ",
    "\u202f": " ",
    "\ufffd": "?",
}


def _degrade(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(_ASCII.get(char) or _without_accent(char) for char in text), error.end


def _without_accent(char: str) -> str:
    """``é`` → ``e``, ``œ`` → ``?``: the letter without its marks, when that is ASCII."""
    import unicodedata

    bare = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return bare or "?"


def prepare() -> None:
    """Make the standard streams and the terminal width safe to use, whatever the environment."""
    codecs.register_error(HANDLER, _degrade)
    if sys.stdout is None:
        sys.stdout = _Closed()
    if sys.stderr is None:  # nowhere to say anything: messages are dropped
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the whole run
    for stream in (sys.stdout, sys.stderr):
        if not _is_utf(stream) and isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=HANDLER)
    columns = os.environ.get("COLUMNS")
    if columns is not None and not (columns.isdigit() and int(columns) >= MIN_COLUMNS):
        del os.environ["COLUMNS"]  # Rich would print nothing at width 0; it measures the terminal instead


def finish() -> int | None:
    """Flush stdout; ``None`` when all was written, else the exit code after saying why (or not: a pipe)."""
    try:
        sys.stdout.flush()
    except OSError as error:
        return failed(error)
    return None


OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def failed(error: OSError) -> int:
    """Output could not be written: silent for a closed pipe (0), one line on stderr otherwise (1)."""
    _drop_pending_output()
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        return 0
    reason = error.strerror or str(error)
    with contextlib.suppress(OSError, ValueError):
        print(f"cxculture: cannot write the output ({reason})", file=sys.stderr, flush=True)
    return 1


def _drop_pending_output() -> None:
    """Point stdout at the null device, so that the interpreter's last flush has nothing to fail on."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _is_utf(stream: object) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding.startswith("utf")


class _Closed(io.TextIOBase):
    """A standard output the caller closed: any write fails as the closed descriptor would."""

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def fileno(self) -> int:
        raise io.UnsupportedOperation("closed")

    def isatty(self) -> bool:
        return False
