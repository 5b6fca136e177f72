"""The hash that names a response without a response id or a timestamp, and a second process working it out.

One home for the formula (``Rows.identity``): SHA-256 of the row's cells
joined by U+001F, the first 8 bytes of it in hex. A row of a plain export
(no quote: the column engine's, ``columns``) is its line with each separator
made a U+001F, so that the hash of each line can be worked out without
reading its cells.

``Hashing`` does that for a big plain export while the engine reads its
cells: a process of its own (``python -m cxculture.survey.row_hashes``, only
the standard library once started; not ``second_reader``'s fork, since the
progress bar's and polars' threads already run) reads the file from its first row on,
line by line, and writes each line's hash on a line of its own to a pipe,
blank lines included, so that the n-th hash is the engine's row index n. A
line longer than ``MAX_CELL_CHARS`` bytes is not read whole: its hash is
``LONG_HEX`` (the engine reads such a row again by ``Rows.read``, which names it
itself). What comes back is checked: 16 hex digits per line, one per line
of the file; anything else, a crash or a signal only means the engine works
the hashes out itself.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cxculture.survey.exports import MAX_CELL_CHARS

if TYPE_CHECKING:
    import polars as pl

_RECORD = 17  # bytes per line said: 16 hex digits and a newline
UNIT = "\x1f"  # between the cells of a row, in what is hashed
LONG_HEX = "0" * 16  # the hash of a line too long to read whole: never used (see the module's docstring)
_LIMIT = MAX_CELL_CHARS  # a longer line is read again by the rows


def of_row(cells: list[str]) -> str:
    """The hash of a row (its cells as read)."""
    return of_line(UNIT.join(cells).encode("utf-8", "surrogatepass"))


def of_line(data: bytes) -> str:
    """The hash of a row given as its cells joined by ``UNIT``, in bytes."""
    return hashlib.sha256(data).digest()[:8].hex()


def hash_lines(source: IO[bytes], sep: bytes, out: IO[bytes], block_size: int = 1 << 20, most: int = -1) -> None:
    """The hash of each line of ``source`` (a plain export's rows) written to ``out``, a line each; stops after
    about ``most`` lines (whole blocks; no bound when negative).

    Read a block at a time and split at each newline (a line's ``\\r`` removed
    with it); a line of more than ``_LIMIT`` bytes is not kept whole.
    """
    unit, sha = UNIT.encode(), hashlib.sha256
    rest = b""  # the start of a line that goes on in the next block
    too_long = False  # the line being read is too long: skip to its end
    told = 0
    while (most < 0 or told < most) and (block := source.read(block_size)):
        lines = (rest + block).replace(b"\r\n", b"\n").replace(sep, unit).split(b"\n")
        rest = lines.pop()
        digests = [sha(line).digest()[:8] for line in lines]
        if too_long and lines:  # the first line is the end of a long one
            digests[0], too_long = _LONG, False
        if max(map(len, lines), default=0) > _LIMIT:
            digests = [_LONG if len(line) > _LIMIT else digest for line, digest in zip(lines, digests, strict=True)]
        if len(rest) > _LIMIT:
            rest, too_long = b"", True
        _write(out, digests)
        told += len(digests)
    if too_long:
        _write(out, [_LONG])
    elif rest:
        _write(out, [sha(rest).digest()[:8]])


_LONG = bytes.fromhex(LONG_HEX)


def _write(out: IO[bytes], digests: list[bytes]) -> None:
    if digests:
        out.write(b"".join(digests).hex("\n", 8).encode() + b"\n")


class Hashing:
    """A second process hashing each line of a plain export from byte ``start`` on, started at once."""

    def __init__(self, path: Path, start: int, sep: str, most: int) -> None:
        self._data: list[bytes] = []
        self._most = most
        command = [sys.executable, "-m", "cxculture.survey.row_hashes", str(path), str(start), sep, str(most)]
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError:
            self._process = None
            return
        stdout = self._process.stdout
        assert stdout is not None
        bound = _RECORD * most + 1  # what the second process may say, read: more is a reason to work them out here
        self._reader = threading.Thread(target=lambda: self._data.append(stdout.read(bound)), daemon=True)
        self._reader.start()

    def result(self) -> pl.Series | None:
        """The hash of each line (as text), or ``None`` when the second process did not give them."""
        import polars as pl

        if self._process is None:
            return None
        self._reader.join()
        data = self._data[0] if self._data else b""
        if len(data) > _RECORD * self._most:  # more than it may say: the rest is not read
            self.stop()
            return None
        if self._process.wait() != 0 or len(data) % _RECORD:
            return None
        hashes = pl.Series("hash", data.split(b"\n")[:-1], dtype=pl.Binary).cast(pl.String)
        if not hashes.str.contains("^[0-9a-f]{16}$").all():
            return None
        return hashes

    def stop(self) -> None:
        """Stop the second process if it still runs (an error, Ctrl-C)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()


def main(argv: list[str]) -> int:
    """``python -m cxculture.survey.row_hashes EXPORT START SEP MOST``: the second process of ``Hashing``."""
    path, start, sep, most = argv
    with open(path, "rb", buffering=1 << 20) as source:
        source.seek(int(start))
        hash_lines(source, sep.encode(), sys.stdout.buffer, most=int(most))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
