"""Reading the first (or a named) sheet of an ``.xlsx`` export, within bounds.

An ``.xlsx`` is a zip of XML files: before openpyxl opens it, the archive's
member count and declared uncompressed sizes are checked (a zip bomb is
refused), and openpyxl parses the XML through defusedxml, which refuses
entity declarations (no "billion laughs"). openpyxl is imported only here.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from cxculture.errors import CxError, Message
from cxculture.survey.exports import MAX_EXPORT_BYTES, Table

MAX_MEMBERS = 1_000
MAX_UNCOMPRESSED = 1_000_000_000  # bytes, all members together
MAX_ROWS = 1_000_000
MAX_COLUMNS = 2_000


def read(path: Path, sheet: str | None) -> Table:
    check_archive(path)
    import openpyxl  # type: ignore[import-untyped]  # no type stubs are published with it
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise CxError(key="error.xlsx.defusedxml", name=path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl and defusedxml raise many kinds for a broken workbook
        raise CxError(key="error.xlsx.unreadable", name=path, problem=type(error).__name__) from None
    try:
        rows = _rows(book, path, sheet)
    finally:
        book.close()
    if not rows:
        raise CxError(key="error.xlsx.empty", name=path)
    return Table(rows[0][1], iter(rows[1:]), len(rows))


def check_archive(path: Path) -> None:
    """Refuse what is not a zip, or a zip that would expand beyond the bounds."""
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise CxError(key="error.read.grew", name=path, limit=MAX_EXPORT_BYTES)
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except FileNotFoundError:
        raise CxError(key="error.read.missing", name=path, what=Message("what.survey")) from None
    except (zipfile.BadZipFile, OSError):
        raise CxError(key="error.xlsx.not_zip", name=path) from None
    if len(members) > MAX_MEMBERS:
        raise CxError(key="error.xlsx.parts", name=path, count=len(members), limit=MAX_MEMBERS)
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise CxError(key="error.xlsx.expands", name=path, size=total, limit=MAX_UNCOMPRESSED)


def _rows(book: Any, path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    if sheet is not None and sheet not in book.sheetnames:
        raise CxError(key="error.xlsx.sheet", value=repr(sheet), name=path, accepted=", ".join(book.sheetnames))
    worksheet = book[sheet] if sheet is not None else book.worksheets[0]
    rows = []
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS or len(values) > MAX_COLUMNS:
                raise CxError(key="error.xlsx.size", name=path, rows=MAX_ROWS, columns=MAX_COLUMNS)
            cells = [_text(value) for value in values]
            if "".join(cells).strip():
                rows.append((number, cells))
    except CxError:
        raise
    except Exception as error:
        raise CxError(key="error.xlsx.unreadable", name=path, problem=type(error).__name__) from None
    width = max(len(cells) for _, cells in rows) if rows else 0
    return [(number, cells + [""] * (width - len(cells))) for number, cells in rows]


def _text(value: object) -> str:
    """A cell as the CSV export of the same sheet would write it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
