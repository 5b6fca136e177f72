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

from cxculture.survey import columns
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


def both_ways(cx, text: str | bytes, options: list[str], folder: Path, name: str = "export.csv") -> None:
    """Import then workshop, and workshop of the export: the same JSON, the same rejected rows."""
    export = folder / name
    export.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
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


@pytest.fixture(params=["rows", "columns"])
def engine(request, monkeypatch):
    """Each test of a direct export twice: read row by row, and by the column engine (whatever the file's size)."""
    read: list[object] = []
    if request.param == "columns":
        monkeypatch.setattr(columns, "ENGINE_FROM", 0)
        engine_read = columns.read
        monkeypatch.setattr(columns, "read", lambda *args: read.append(engine_read(*args)) or read[-1])
    return read


@pytest.mark.usefixtures("english")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exports())
def test_the_export_read_directly_gives_what_import_then_workshop_gives(cx, engine, export):
    text, options = export
    engine.clear()
    with tempfile.TemporaryDirectory() as folder:
        both_ways(cx, text, options, Path(folder))
    assert all(engine) or '"' in text  # the engine read every plain export itself


@pytest.mark.usefixtures("english")
def test_rejected_rows_are_said_even_when_nobody_answered_enough(cx, engine, tmp_path):
    """Found by the property test: the refusal of the synthesis came before the report, which was lost."""
    empty = "Managers,Acme" + "," * (len(STATEMENTS) + 1)
    text = ",".join(["segment", "org", *STATEMENTS, QUOTE]) + f"\n{empty}\n{empty}\n"
    both_ways(cx, text, ["--min-group", "1", "--date", "2026-03-12"], tmp_path)
    done = cx("workshop", tmp_path / "export.csv", "--date", "2026-03-12")
    assert done.code == 2
    [line] = problems(done.err)
    assert line.startswith(f"cxculture: {tmp_path / 'export.csv'}: row 3, the same response (row:")
    assert done.err.splitlines()[-1].endswith("nothing to combine")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("command", ["import", "workshop"])
def test_an_export_of_too_many_rows_is_refused_both_ways(cx, engine, monkeypatch, tmp_path, command):
    from cxculture.survey import exports

    monkeypatch.setattr(exports, "MAX_ROWS", 3)
    monkeypatch.setattr(columns, "MAX_ROWS", 3)
    export = tmp_path / "export.csv"
    rows = ["Terrain;Acme;" + ";".join([str(n)] * (len(STATEMENTS) + 1)) for n in range(1, 5)]
    header = ";".join(["segment", "org", *STATEMENTS, QUOTE])
    export.write_text("\n\n".join([header, *rows]) + "\n", encoding="utf-8")  # blank lines do not count
    out = ["--out", tmp_path / "wave.jsonl"] if command == "import" else []
    done = cx(command, export, *out, "--date", "2026-03-12")
    says = f"cxculture: {export}: more than 3 rows of answers; split the export into several files"
    assert (done.code, done.err.splitlines()) == (2, [says])
    assert not (tmp_path / "wave.jsonl").exists()
    export.write_text("\n\n".join([header, *rows[:3]]) + "\n", encoding="utf-8")
    assert cx(command, export, *out, "--date", "2026-03-12").code == 0


def test_the_column_engine_reads_a_plain_export_and_leaves_a_quoted_one_to_the_rows(cx, tmp_path, monkeypatch):
    monkeypatch.setattr(columns, "ENGINE_FROM", 0)
    read = []
    engine_read = columns.read
    monkeypatch.setattr(columns, "read", lambda *args: read.append(engine_read(*args)) or read[-1])
    lines = [";".join(["segment", *IDS])] + [";".join(["Terrain", *([str(n)] * len(IDS))]) for n in range(1, 6)]
    (tmp_path / "plain.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    quoted = [*lines, ";".join(['"Siège"', *(["4"] * len(IDS))])]
    (tmp_path / "quoted.csv").write_text("\n".join(quoted) + "\n", encoding="utf-8")
    assert cx("workshop", tmp_path / "plain.csv", "--date", "2026-03-12").code == 0
    assert cx("workshop", tmp_path / "quoted.csv", "--date", "2026-03-12").code == 0
    assert read[0] is not None and read[1] is None


@pytest.mark.usefixtures("english")
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


@pytest.mark.usefixtures("english")
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


@pytest.mark.usefixtures("english")
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


def base_export() -> str:
    lines = [";".join(["Horodateur", "segment", *IDS])]
    for n in range(14):
        answers = [ANSWERS[(n * 5 + k) % len(ANSWERS)] for k in range(len(IDS) - 1)]
        moment = f"{n + 1:02d}/03/2026 10:{n:02d}:00"
        lines.append(";".join([moment, SEGMENTS[n % len(SEGMENTS)], *answers, QUOTES[n % len(QUOTES)]]))
    return "\n".join(lines) + "\n"


HOSTILE = {
    "cp1252": lambda text: text.encode("cp1252"),
    "utf-16 with a BOM": lambda text: text.encode("utf-16"),
    "utf-8 with a BOM, CRLF": lambda text: ("\ufeff" + text.replace("\n", "\r\n")).encode(),
    "a NUL byte": lambda text: text.replace("Terrain", "Ter\x00rain", 1).encode(),
    "a lone carriage return": lambda text: text.replace("Terrain", "Ter\rrain", 1).encode(),
    "a quoted cell": lambda text: text.replace(";Terrain;", ';"Ter;rain";', 1).encode(),
    "a cell too long": lambda text: text.replace("Terrain", "T" * 70_000, 1).encode(),
    "blank lines": lambda text: text.replace("\n", "\n\n ; \n", 3).encode(),
    "a , row in a ; export": lambda text: (text + text.splitlines()[3].replace(";", ",") + "\n").encode(),
    "a U+001F": lambda text: text.replace("Terrain", "Ter\x1frain", 1).encode(),
    "a name with a control character": lambda text: text.replace("Terrain", "Ter\x1brain", 1).encode(),
    "a response twice": lambda text: (text + text.splitlines()[5] + "\n").encode(),
}


LEFT_TO_ROWS = {"cp1252", "utf-16 with a BOM", "a NUL byte", "a lone carriage return", "a quoted cell", "a U+001F"}


@pytest.mark.parametrize("variant", HOSTILE)
def test_hostile_exports_give_what_import_then_workshop_gives(cx, engine, tmp_path, variant):
    both_ways(cx, HOSTILE[variant](base_export()), ["--min-group", "2"], tmp_path)
    if engine:  # the column engine reads the plain ones itself and leaves the others to the rows
        assert all(engine) == (variant not in LEFT_TO_ROWS)


def test_spaces_are_what_python_strips():
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == columns.SPACES


# --- import --out WAVE.jsonl: the column engine writes the row path's file, byte for byte ---------------------


def imports_both_ways(cx, monkeypatch, text, options, folder, before=None):
    """``import --out WAVE.jsonl`` row by row and by the column engine: the same file, summary and rejected rows.

    ``before``: a wave file already there, that both imports merge into. Returns whether the engine read the export.
    """
    export = folder / "export.csv"
    export.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    done = {}
    read: list[object] = []
    engine_read = columns.wave_lines
    for way in ("rows", "columns"):
        with monkeypatch.context() as patch:
            if way == "columns":
                patch.setattr(columns, "ENGINE_FROM", 0)
                patch.setattr(columns, "wave_lines", lambda *args: read.append(engine_read(*args)) or read[-1])
            (folder / way).mkdir()
            patch.chdir(folder / way)  # the summary names the wave file: the same name both ways
            if before is not None:
                Path("wave.jsonl").write_bytes(before)
            run = cx("import", export, "--out", "wave.jsonl", *options)
            wave = Path("wave.jsonl")
            done[way] = (run.code, run.out, problems(run.err), wave.read_bytes() if wave.exists() else None)
    assert done["columns"] == done["rows"]
    return bool(read and read[0] is not None)


@pytest.mark.usefixtures("english")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exports(), st.booleans())
def test_the_engine_writes_the_wave_file_the_rows_write(cx, monkeypatch, export, anonymous):
    text, options = export
    options = [o for o in options if o != "--min-group" and not o.isdigit()] + (["--anonymous"] if anonymous else [])
    with tempfile.TemporaryDirectory() as folder:
        assert imports_both_ways(cx, monkeypatch, text, options, Path(folder)) or '"' in text


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("variant", HOSTILE)
def test_hostile_exports_make_the_same_wave_file_both_ways(cx, monkeypatch, tmp_path, variant):
    engine = imports_both_ways(cx, monkeypatch, HOSTILE[variant](base_export()), [], tmp_path)
    assert engine == (variant not in LEFT_TO_ROWS)


@pytest.mark.usefixtures("english")
def test_the_engine_merges_into_a_wave_file_as_the_rows_do(cx, monkeypatch, tmp_path):
    """Responses already there are kept or replaced in place, new ones added at the end, other lines kept."""
    first = tmp_path / "first.csv"
    first.write_text(base_export(), encoding="utf-8")
    assert cx("import", first, "--out", tmp_path / "before.jsonl", "--wave", "T1").code == 0
    before = (tmp_path / "before.jsonl").read_bytes()
    lines = base_export().splitlines()
    cells = lines[3].split(";")
    lines[3] = ";".join([cells[0], "Autre", *cells[2:]])  # the same response with another segment: replaced
    lines.append(lines[2].replace("03/2026", "04/2026"))  # at another moment: a new response
    assert imports_both_ways(cx, monkeypatch, "\n".join(lines) + "\n", ["--wave", "T1"], tmp_path, before)
    again = cx("import", tmp_path / "export.csv", "--out", tmp_path / "before.jsonl", "--wave", "T1")
    assert "1 new, 1 replaced, 13 unchanged, 0 rejected" in again.out  # what both ways did


UNNAMED = {  # rows named by their hash only (no response id, no timestamp): worked out by a second process
    "LF": lambda text: text.encode(),
    "CRLF, blank lines, no end": lambda text: ("\ufeff" + text.replace("\n", "\r\n\r\n ; \r\n", 2))[:-2].encode(),
    "a row too long": lambda text: text.replace("Terrain", "T" * 70_000, 1).encode(),
    "a row twice": lambda text: (text + text.splitlines()[4] + "\n").encode(),
}


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("variant", UNNAMED)
@pytest.mark.parametrize("second_process", [True, False])
def test_rows_named_by_their_hash_get_it_from_a_second_process(cx, monkeypatch, tmp_path, variant, second_process):
    from cxculture.survey import row_hashes

    if not second_process:  # it failed: the engine works the hashes out itself
        monkeypatch.setattr(row_hashes.Hashing, "result", lambda self: None)
    text = base_export().replace("Horodateur;", "").replace("/03/2026 10:", "").splitlines()
    text = "\n".join(line.split(";", 1)[1] if n else line for n, line in enumerate(text)) + "\n"
    assert imports_both_ways(cx, monkeypatch, UNNAMED[variant](text), ["--date", "2026-03-12"], tmp_path)


NAMES = ["", " ", "Ana", " Ana ", "Zoë", "O'Brien", "back\\slash", "tab\tinside", "Ber\x07t", "日本", "😀 smile"]
NAMES.append("x" * 201)  # too long: the row is rejected
RESPONSE_IDS = ["", " ", "7", " 7 ", "8", "a\\b", "id\twith tab", "é-9", "10"]


@st.composite
def exports_with_ids(draw: st.DrawFn) -> str:
    """An export with response ids, participants' names and (some empty) timestamps: every way a row is named."""
    header = ["ID", "Horodateur", "participant", "segment", *STATEMENTS, QUOTE]
    rows = []
    for number in range(draw(st.integers(1, 20))):
        moment = draw(st.sampled_from(["", f"{number % 28 + 1:02d}/03/2026 10:00:00", "01/03/2026 10:00:00"]))
        row = [draw(st.sampled_from(RESPONSE_IDS)), moment, draw(st.sampled_from(NAMES)), "Terrain"]
        row += [draw(st.sampled_from(ANSWERS)) for _ in STATEMENTS] + [draw(st.sampled_from(QUOTES))]
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


@pytest.mark.usefixtures("english")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(exports_with_ids(), st.sampled_from([[], ["--anonymous"], ["--wave", "T2", "--org", "Acme"]]))
def test_the_engine_names_each_response_as_the_rows_do(cx, monkeypatch, text, options):
    with tempfile.TemporaryDirectory() as folder:
        assert imports_both_ways(cx, monkeypatch, text, [*options, "--date", "2026-03-12"], Path(folder))
