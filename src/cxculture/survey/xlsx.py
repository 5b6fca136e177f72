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

from cxculture.errors import CxError
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
        raise CxError(f"{path}: reading .xlsx needs the defusedxml package (pip install defusedxml)")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl and defusedxml raise many kinds for a broken workbook
        raise CxError(f"{path}: not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        rows = _rows(book, path, sheet)
    finally:
        book.close()
    if not rows:
        raise CxError(f"{path}: the sheet is empty")
    return Table(rows[0][1], iter(rows[1:]), len(rows))


def check_archive(path: Path) -> None:
    """Refuse what is not a zip, or a zip that would expand beyond the bounds."""
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise CxError(f"{path}: too large (more than {MAX_EXPORT_BYTES} bytes accepted)")
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except FileNotFoundError:
        raise CxError(f"{path}: no such survey export") from None
    except (zipfile.BadZipFile, OSError):
        raise CxError(f"{path}: not an .xlsx workbook (not a zip archive); export it again or save it as CSV") from None
    if len(members) > MAX_MEMBERS:
        raise CxError(f"{path}: {len(members)} parts in the workbook; at most {MAX_MEMBERS} accepted")
    total = sum(member.file_size for member in members)
    if total > MAX_UNCOMPRESSED:
        raise CxError(f"{path}: the workbook expands to {total} bytes; at most {MAX_UNCOMPRESSED} accepted")


def _rows(book: Any, path: Path, sheet: str | None) -> list[tuple[int, list[str]]]:
    if sheet is not None and sheet not in book.sheetnames:
        raise CxError(f"--sheet: {sheet!r} is not a sheet of {path}; its sheets: {', '.join(book.sheetnames)}")
    worksheet = book[sheet] if sheet is not None else book.worksheets[0]
    rows = []
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS or len(values) > MAX_COLUMNS:
                raise CxError(f"{path}: more than {MAX_ROWS} rows or {MAX_COLUMNS} columns; at most that is read")
            cells = [_text(value) for value in values]
            if "".join(cells).strip():
                rows.append((number, cells))
    except CxError:
        raise
    except Exception as error:
        raise CxError(f"{path}: not a readable .xlsx workbook ({type(error).__name__})") from None
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
