"""The hash naming a response without an id or a moment, worked out line by line by a second process."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from cxculture.survey import row_hashes

CELL = st.text(st.characters(blacklist_characters='\n\r"', blacklist_categories=("Cs",)), max_size=12)


@st.composite
def plain_exports(draw: st.DrawFn) -> tuple[list[list[str]], bytes, str]:
    """Rows of cells, and a plain export of them (no quote): LF or CRLF, the last line ended or not, long lines."""
    sep = draw(st.sampled_from([";", ",", "\t"]))
    rows = draw(st.lists(st.lists(CELL.filter(lambda c: sep not in c), min_size=1, max_size=5), max_size=30))
    if rows and draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))] = ["x" * (row_hashes._LIMIT + draw(st.integers(-2, 2)))]
    end = draw(st.sampled_from(["\n", "\r\n"]))
    ended = rows and (draw(st.booleans()) or not sep.join(rows[-1]))  # an empty last line is only seen ended
    text = end.join(sep.join(row) for row in rows) + (end if ended else "")
    return rows, text.encode("utf-8"), sep


@settings(max_examples=100, deadline=None)
@given(plain_exports(), st.integers(16, 70_000))
def test_each_line_has_the_hash_of_its_row(export, block):
    rows, data, sep = export
    out = io.BytesIO()
    row_hashes.hash_lines(io.BytesIO(data), sep.encode(), out, block)
    expected = [
        row_hashes.of_row(row) if len(sep.join(row).encode()) <= row_hashes._LIMIT else row_hashes.LONG_HEX
        for row in rows
    ]
    assert out.getvalue().decode().splitlines() == expected


def test_the_second_process_hashes_an_export_from_its_first_row(tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes("a;b\r\nZoë;1\r\n\r\n;\r\nx;2".encode())
    hashing = row_hashes.Hashing(export, len(b"a;b\r\n"), ";", 10)
    found = hashing.result()
    assert found is not None
    assert found.to_list() == [row_hashes.of_row(row) for row in (["Zoë", "1"], [""], ["", ""], ["x", "2"])]


def test_more_lines_than_asked_for_are_not_read(tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(b"a;b\n" + b"x;1\n" * 5000)
    assert row_hashes.Hashing(export, 4, ";", 5000).result() is not None
    assert row_hashes.Hashing(export, 4, ";", 4999).result() is None  # the engine works them out itself
