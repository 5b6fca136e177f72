"""workshop EXPORT.csv|.xlsx: the same synthesis and the same rejected rows as import then workshop.

Generated exports (hypothesis) mix numbers, labels in both languages, "don't
know" words, blanks, segments spelt several ways, timestamps or none, and bad
rows (a word that is no answer, a row of the wrong width, a ``;`` row in a
``,`` export, a control character in a name, a response given twice). Each is
run through ``import DIR`` then ``workshop DIR`` and through ``workshop
EXPORT``: the workshop JSON must be the same, every figure, and the lines
naming rejected rows too.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CONTENT, IDS, QUOTE

STATEMENTS = [s.id for s in CONTENT.questionnaire.statements]
POINTS = CONTENT.questionnaire.scale.points
ANSWERS = [
    "",
    " ",
    "1",
    "2",
    "3",
    "4",
    "5",
    "4.0",
    "NSP",
    "Don't know",
    *(p.label("fr") for p in POINTS),
    *(p.label("en") for p in POINTS),
    f"5 - {POINTS[-1].label('fr')}",
]
BAD_ANSWERS = ["maybe", "6", "0", "3 - Agree"]
SEGMENTS = ["Managers", " managers", "MANAGERS", "Terrain", "terrain ", "Siège", "", "Direction"]
QUOTES = ["", "1", "2", "3", "4", "5", CONTENT.questionnaire.quote_question.none_of_these("fr")]


def problems(err: str) -> list[str]:
    """The lines naming a rejected row (the import's and the workshop's report must list the same)."""
    return [line for line in err.splitlines() if ": row " in line]


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, list[str]]:
    """An export's text (``,`` or ``;``) and the options to give both commands."""
    sep = draw(st.sampled_from([",", ";"]))
    timestamps = draw(st.booleans())
    answered = draw(st.lists(st.sampled_from(STATEMENTS), min_size=len(STATEMENTS) - 3, unique=True))
    header = (["Horodateur"] if timestamps else []) + ["segment", "org", *answered, QUOTE]
    rows: list[list[str]] = []
    for number in range(draw(st.integers(1, 25))):
        row = [f"{number % 28 + 1:02d}/03/2026 {number % 24:02d}:{number % 60:02d}:00"] if timestamps else []
        row += [draw(st.sampled_from(SEGMENTS)), draw(st.sampled_from(["Acme", " acme", ""]))]
        row += [draw(st.sampled_from(ANSWERS)) for _ in answered]
        row.append(draw(st.sampled_from(QUOTES)))
        trouble = draw(st.sampled_from(["none"] * 8 + ["answer", "width", "other-sep", "control", "twice", "date"]))
        if trouble == "answer":
            row[-2] = draw(st.sampled_from(BAD_ANSWERS))
        elif trouble == "width":
            row = row[:-1]
        elif trouble == "control":
            row[header.index("segment")] = "Man\x07agers"
        elif trouble == "twice" and rows:
            row = list(rows[-1])
        elif trouble == "date" and timestamps:
            row[0] = "yesterday"
        rows.append(row)
        if trouble == "other-sep":
            rows.append([(";" if sep == "," else ",").join(row)])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    options = ["--min-group", str(draw(st.integers(1, 6)))]
    if not timestamps or draw(st.booleans()):
        options += ["--date", "2026-03-12"]
    options += draw(st.sampled_from([[], ["--wave", "T1"], ["--org", "Acme"]]))
    return out.getvalue(), options


def both_ways(cx, text: str, options: list[str], folder: Path, name: str = "export.csv") -> None:
    """Import then workshop, and workshop of the export: the same JSON, the same rejected rows."""
    export = folder / name
    export.write_text(text, encoding="utf-8")
    wave_options = [o for o in options if o != "--min-group" and not o.isdigit()]
    imported = cx("import", export, "--out", folder / "results", *wave_options)
    direct = cx("workshop", export, "--by-segment", "--format", "json", *options)
    assert problems(direct.err) == problems(imported.err)
    if not list((folder / "results").glob("*.json")):
        assert direct.code == 2
        assert direct.err.splitlines()[-1].endswith("no row could be read; nothing to combine")
        return
    via_files = cx("workshop", folder / "results", "--by-segment", "--format", "json", *options[:2])
    if via_files.code:  # e.g. nobody answered enough statements: the same refusal
        assert direct.code == via_files.code
        assert direct.err.splitlines()[-1] == via_files.err.splitlines()[-1]
        return
    assert direct.code == imported.code
    assert json.loads(direct.out) == json.loads(via_files.out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exports())
def test_the_export_read_directly_gives_what_import_then_workshop_gives(cx, export):
    text, options = export
    with tempfile.TemporaryDirectory() as folder:
        both_ways(cx, text, options, Path(folder))


def test_a_clean_export_combines_with_exit_code_0_and_names_no_row(cx, tmp_path):
    lines = [",".join(["segment", *IDS])]
    lines += [",".join([("Managers", "Terrain")[n % 2], *([str(1 + n % 5)] * (len(IDS) - 1)), "3"]) for n in range(6)]
    lines.append(lines[-1])  # the same response twice: rejected, as import rejects it
    export = tmp_path / "clean.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = cx("workshop", export, "--format", "json", "--date", "2026-03-12")
    assert done.code == 2
    assert json.loads(done.out)["participants"] == 6
    assert [line.split(" (")[0] for line in problems(done.err)] == [f"cxculture: {export}: row 8, the same response"]


def test_options_of_an_export_are_refused_with_result_files(cx, tmp_path):
    done = cx("workshop", tmp_path, "--map", tmp_path / "map.yaml")
    assert done.code == 2
    assert "--map goes with a survey export" in done.err


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_unreadable_export_is_one_line_naming_it(cx, tmp_path, suffix):
    export = tmp_path / f"broken{suffix}"
    export.write_bytes(b"")
    done = cx("workshop", export)
    assert done.code == 2
    assert str(export) in done.err and "Traceback" not in done.err


def test_an_xlsx_export_read_directly_gives_what_import_then_workshop_gives(cx, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Horodateur", "segment", *IDS])
    for n in range(12):
        answers = [ANSWERS[(n * 7 + k) % len(ANSWERS)] for k in range(len(IDS) - 1)]
        sheet.append([f"{n + 1:02d}/03/2026 10:00:00", SEGMENTS[n % len(SEGMENTS)], *answers, QUOTES[n % len(QUOTES)]])
    sheet.append(["13/03/2026 10:00:00", "Managers", "maybe", *([""] * (len(IDS) - 1))])
    book.save(tmp_path / "export.xlsx")
    imported = cx("import", tmp_path / "export.xlsx", "--out", tmp_path / "results")
    direct = cx("workshop", tmp_path / "export.xlsx", "--by-segment", "--format", "json", "--min-group", "2")
    via_files = cx("workshop", tmp_path / "results", "--by-segment", "--format", "json", "--min-group", "2")
    assert problems(direct.err) == problems(imported.err) != []
    assert direct.code == imported.code == 2
    assert json.loads(direct.out) == json.loads(via_files.out)
