"""Reading a survey export into rows of text: CSV or XLSX, bounded before anything is read.

Owns the bytes → text step (UTF-8 with or without BOM, UTF-16 with a BOM,
cp1252 when the bytes are not UTF-8, or ``--encoding``), the delimiter (``,``
``;`` or tab: the one giving the same number of cells on every one of the
first rows, or ``--delimiter``) and ``.xlsx`` workbooks (``xlsx``). A ``Table``
is the header row and the numbered rows after it, read lazily.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING

from cxculture.errors import CxError, Message
from cxculture.reading import read_bytes

if TYPE_CHECKING:
    import _csv

MAX_EXPORT_BYTES = 500_000_000
MAX_ROWS = 5_000_000  # rows of answers (non-blank) in a CSV export: a wave file holds at most as many lines
MAX_CELL_CHARS = 65_536  # a longer cell rejects its row, not the file
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
SAMPLE_ROWS = 50  # rows read to find the delimiter
SAMPLE_CHARS = 1_000_000
Numbered = tuple[int, list[str]]


@dataclass
class Table:
    """An export's header and its non-blank rows, numbered as a spreadsheet numbers them."""

    header: list[str]
    rows: Iterator[Numbered]
    size: int  # about the number of rows
    delimiter: str | None = None
    notes: list[Message] = field(default_factory=list)
    _peeked: list[Numbered] = field(default_factory=list)

    def peek(self) -> Numbered | None:
        """The first row, left in place."""
        if not self._peeked:
            self._peeked = list(islice(self.rows, 1))
        return self._peeked[0] if self._peeked else None

    def skip_first(self) -> None:
        """Drop the first row (SurveyMonkey's second header row)."""
        self.peek()
        self._peeked = []

    def numbered(self) -> Iterator[Numbered]:
        return chain(self._peeked, self.rows)


def read_table(
    path: Path, *, delimiter: str | None = None, encoding: str | None = None, sheet: str | None = None
) -> Table:
    """The export at ``path`` as a ``Table`` (``.xlsx`` by its name, else CSV)."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from cxculture.survey import xlsx

        return xlsx.read(path, sheet)
    data = read_bytes(path, what="survey", limit=MAX_EXPORT_BYTES)
    text, notes = decode(data, path, encoding)
    if not text.strip():
        raise CxError(key="error.import.empty", name=path)
    sep = delimiter if delimiter is not None else sniff(text)
    if sep not in DELIMITERS:
        raise CxError(key="error.import.delimiter", value=repr(sep))
    csv.field_size_limit(MAX_EXPORT_BYTES)  # long cells are refused row by row (MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows = _bounded(_readable(_numbered(reader), path, reader), path)
    header = next(rows, None)
    if header is None:
        raise CxError(key="error.import.empty", name=path)
    return Table(header[1], rows, text.count("\n"), sep, notes)


def decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, list[Message]]:
    """The text of the bytes, and a note when it was guessed to be cp1252."""
    if encoding is not None:
        try:
            return data.decode(codecs.lookup(encoding).name), []
        except LookupError:
            raise CxError(key="error.import.unknown_encoding", value=repr(encoding)) from None
        except UnicodeDecodeError as error:
            raise CxError(key="error.import.not_encoding", name=path, encoding=encoding, byte=error.start) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise CxError(key="error.import.not_utf16", name=path, byte=error.start) from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        first = error.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise CxError(key="error.import.encoding", name=path, byte=first) from None
    return text, [Message("note.import.cp1252", name=path, byte=first)]


def sniff(text: str) -> str:
    """The delimiter giving the same number of cells (more than one) on each of the first rows."""
    head = text[:SAMPLE_CHARS]
    best, best_score = ",", (False, 1)
    for sep in DELIMITERS:
        try:
            sample = list(islice(csv.reader(io.StringIO(head, newline=""), delimiter=sep), SAMPLE_ROWS))
        except csv.Error:
            continue
        if len(head) < len(text) and len(sample) > 1 and len(sample) < SAMPLE_ROWS:
            sample.pop()  # the last row may be cut short
        sample = [row for row in sample if "".join(row).strip()]
        if not sample:
            continue
        width = len(sample[0])
        score = (all(len(row) == width for row in sample), width)
        if width > 1 and score > best_score:
            best, best_score = sep, score
    return best


def _numbered(reader: Iterator[list[str]]) -> Iterator[Numbered]:
    return ((number, row) for number, row in enumerate(reader, start=1) if "".join(row).strip())


def _bounded(items: Iterator[Numbered], path: Path) -> Iterator[Numbered]:
    """``items`` (the header, then the rows), refused past ``MAX_ROWS`` rows."""
    for count, item in enumerate(items):
        if count > MAX_ROWS:
            raise CxError(key="error.import.rows", name=path, limit=MAX_ROWS)
        yield item


def _readable(items: Iterator[Numbered], path: Path, reader: _csv.Reader) -> Iterator[Numbered]:
    """``items``, or the project's error naming the row the CSV cannot be read at."""
    try:
        yield from items
    except csv.Error:
        raise CxError(key="error.import.csv", name=path, row=reader.line_num) from None


def chunks(rows: Iterator[Numbered], size: int) -> Iterator[list[Numbered]]:
    while chunk := list(islice(rows, size)):
        yield chunk
