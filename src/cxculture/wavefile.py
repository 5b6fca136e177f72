"""Wave files: a survey wave kept as one JSON Lines file (``WAVE.jsonl``), one result per line.

Each line is one result with exactly the fields and the order of a result
file (``results.to_dict``), written on one line (``results.to_line``): a
wave file can be read with any JSON Lines tool, appended to, and split back
into result files. ``import --out WAVE.jsonl`` writes it; ``workshop`` and
``compare`` read it wherever they read a folder of result files.

A wave file comes from outside like any file: it is opened only if it is a
regular file of at most ``MAX_BYTES``; each line is read with at most
``MAX_LINE_BYTES`` (checked before it is decoded), at most ``MAX_LINES``
lines; and each line is validated as a result file is
(``results.synthesis_fields``, else ``results.from_data`` for the message).
A bad line stops the reading with one line naming the file and the line.
Blank lines are skipped.

Measured choice (JSON Lines rather than SQLite or a columnar file): the
import writes a line with the same template as a result file, so a line costs
what a file's text costs without the file; the reader streams, so memory does
not grow with the file; nothing beyond the standard library is needed; and
the file stays readable, diffable and appendable by hand.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxculture import results
from cxculture.errors import CxError
from cxculture.reading import fast_parser, open_regular, reason

if TYPE_CHECKING:
    from cxculture.model import Result

SUFFIX = ".jsonl"
MAX_LINE_BYTES = 1_000_000  # a result is about 2 KB on a line
MAX_LINES = 5_000_000
MAX_BYTES = 8_000_000_000
BOM = b"\xef\xbb\xbf"  # left by an editor at the start of a file


def is_wave_file(path: Path | str) -> bool:
    """Whether ``path`` is meant as a wave file (a name ending in ``.jsonl``; a folder of that name is a folder)."""
    return named(path) and not os.path.isdir(path)


def named(path: Path | str) -> bool:
    """Whether the name of a file ends in ``.jsonl`` (any case)."""
    return str(path)[-len(SUFFIX) :].lower() == SUFFIX


def lines(path: Path | str) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a wave file with their numbers (from 1), each within the bounds, newline removed."""
    name = str(path)
    handle = open_regular(path, what="wave", limit=MAX_BYTES, where=name)
    total = 0
    with os.fdopen(handle, "rb", buffering=1 << 20) as file:
        number = 0
        while True:
            try:
                line = file.readline(MAX_LINE_BYTES + 2)  # the line, its newline (\r\n at most) and one more
            except OSError as error:
                raise CxError(key="error.read.cannot", name=name, reason=reason(error)) from None
            if not line:
                return
            number += 1
            total += len(line)
            body = body_of(path, number, total, line)
            if body.strip():
                yield number, body


def body_of(path: Path | str, number: int, total: int, line: bytes) -> bytes:
    """Line ``number`` of a wave file (``total`` bytes read with it) within the bounds, without its end or a BOM."""
    body = line.rstrip(b"\r\n")
    if len(body) > MAX_LINE_BYTES:
        raise CxError(key="error.wave.long_line", name=where(path, number), limit=MAX_LINE_BYTES)
    if number > MAX_LINES:
        raise CxError(key="error.wave.lines", name=str(path), limit=MAX_LINES)
    if total > MAX_BYTES:
        raise CxError(key="error.read.grew", name=str(path), limit=MAX_BYTES)
    return body[len(BOM) :] if number == 1 and body.startswith(BOM) else body


def where(path: Path | str, number: int) -> str:
    """How a message names a line of a wave file: ``FILE:N``, as compilers and linters do, in every language."""
    return f"{path}:{number}"


def count_lines(path: Path | str) -> int:
    """About how many results a wave file holds (its newlines; for a progress bar), 0 if it cannot be read."""
    try:
        handle = open_regular(path, what="wave", limit=MAX_BYTES)
    except CxError:
        return 0  # reading it says why
    count = 0
    with os.fdopen(handle, "rb") as file:
        while block := file.read(1 << 20):
            count += block.count(b"\n")
    return count


def parsed(path: Path | str) -> Iterator[tuple[str, Any]]:
    """Each line of a wave file as JSON data, with where it is; a line that is not JSON is refused."""
    for at, _, data in _decoded(path):
        yield at, data


def _decoded(path: Path | str) -> Iterator[tuple[str, bytes, Any]]:
    fast = fast_parser()
    for number, body in lines(path):
        at = where(path, number)
        yield at, body, _parsed(body, at, fast)


def _parsed(body: bytes, at: str, fast: Callable[[bytes], Any] | None) -> Any:
    try:
        return fast(body) if fast is not None else _strictly(body, at)
    except ValueError:  # orjson refuses NaN, Infinity, bad UTF-8…: the standard parser reads it or words why
        return _strictly(body, at)


def _strictly(body: bytes, at: str) -> Any:
    """A line parsed by the standard parser, refusing ``NaN``, ``Infinity`` and what is not UTF-8 JSON."""
    import json

    try:
        return json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError as error:
        raise CxError(key="error.wave.not_utf8", name=at, byte=error.start) from None
    except json.JSONDecodeError as error:
        raise CxError(key="error.wave.not_json", name=at, column=error.colno) from None
    except RecursionError:
        raise CxError(key="error.wave.nested", name=at) from None
    except ValueError as error:  # NaN or Infinity
        raise CxError(key="error.wave.constant", name=at, value=str(error)) from None


def _no_constant(name: str) -> object:
    raise ValueError(name)


def synthesis_records(path: Path | str) -> Iterator[tuple[str, dict[str, Any]]]:
    """What a synthesis reads of each line (``results.synthesis_fields``), every line validated."""
    for at, body, data in _decoded(path):
        yield at, _fields(body, data, at)


def fields_of(body: bytes, at: str) -> dict[str, Any]:
    """What a synthesis reads of one line (``synthesis_records`` of a line on its own), the line validated."""
    return _fields(body, _parsed(body, at, fast_parser()), at)


def entries(path: Path | str) -> Iterator[tuple[bytes, dict[str, Any]]]:
    """Each line as written (without its newline) and what a synthesis reads of it, every line validated."""
    for at, body, data in _decoded(path):
        yield body, _fields(body, data, at)


def _fields(body: bytes, data: Any, at: str) -> dict[str, Any]:
    """``results.synthesis_fields`` of a line; refused, worded from the standard parser's data (``loads_fast``)."""
    try:
        return results.synthesis_fields(data, at)
    except CxError:
        results.synthesis_fields(_strictly(body, at), at)
        raise


def read(path: Path | str) -> Iterator[Result]:
    """Every result of a wave file, fully validated (as ``results.load`` validates a result file)."""
    for at, data in parsed(path):
        yield results.from_data(data, at)


def write(path: Path, items: list[Result], *, force: bool = False) -> Path:
    """Write results as a new wave file (atomic; an existing file only with ``force``)."""
    from cxculture.fileio import write_atomic

    return write_atomic(path, "".join(map(results.to_line, items)), force=force)
