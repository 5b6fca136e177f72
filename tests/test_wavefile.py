"""Wave files (one JSON Lines file per survey wave): round trip, import into one, read by workshop/compare/exports,
and hostile lines refused with the file and the line named."""

from __future__ import annotations

import json
import os
import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxculture import formats, reading, results, session, wavefile
from cxculture.answers import AnswerSet
from helpers import CONTENT, IDS, QUOTE

STATEMENTS = [i for i in IDS if i != QUOTE]
NAMES = st.one_of(st.none(), st.text(min_size=1, max_size=30))
MOMENTS = st.datetimes().map(lambda d: d.isoformat(timespec="seconds"))


@st.composite
def some_results(draw):
    answers = {qid: draw(st.one_of(st.none(), st.integers(1, 5))) for qid in IDS}
    given_ = AnswerSet(answers, draw(NAMES), draw(NAMES), draw(NAMES))
    result, _ = session.score(CONTENT, given_, draw(st.sampled_from(["fr", "en"])))
    return replace(
        result,
        created_at=draw(MOMENTS),
        wave=draw(NAMES),
        wave_date=draw(st.one_of(st.none(), st.dates().map(str))),
        response=draw(NAMES),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(some_results(), min_size=1, max_size=5))
def test_every_field_of_every_result_round_trips(tmp_path, items):
    path = wavefile.write(tmp_path / "wave.jsonl", items, force=True)
    assert list(wavefile.read(path)) == items
    assert path.read_text(encoding="utf-8").count("\n") == len(items)  # one line each, whatever the names hold
    lines = path.read_text(encoding="utf-8").removesuffix("\n").split("\n")  # JSON Lines breaks lines at \n only
    assert not any(mark in "".join(lines) for mark in "\u2028\u2029")  # escaped: no tool can split a line there
    for line, item in zip(lines, items, strict=True):
        assert list(json.loads(line)) == list(json.loads(results.to_json(item)))  # a result file's fields, in order


def survey(tmp_path, rows=40, seed=1, name="s.csv"):
    """A survey export with a timestamp (so that its results do not depend on when it is imported)."""
    rng = random.Random(seed)
    lines = [",".join(["Timestamp", "participant", "segment", *IDS])]
    for i in range(rows):
        answers = [str(rng.choice([1, 2, 3, 4, 5, ""])) for _ in STATEMENTS]
        moment = f"2026-03-{1 + i % 28:02d} 09:{i % 60:02d}:00"
        lines.append(",".join([moment, f"p{i}", rng.choice(["leaders", "frontline", ""]), *answers, "3"]))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_into_a_wave_file_gives_the_folder_s_results_and_synthesis(cx, tmp_path):
    csv = survey(tmp_path)
    run = cx("import", csv, "--out", tmp_path / "t0.jsonl", "--org", "Acme", "--wave", "T0", "--lang", "en")
    assert run.code == 0, run.err
    assert "40 new, 0 replaced, 0 unchanged, 0 rejected → " in run.out
    assert cx("import", csv, "--out", tmp_path / "t0", "--org", "Acme", "--wave", "T0", "--lang", "en").code == 0
    lines = (tmp_path / "t0.jsonl").read_text(encoding="utf-8").splitlines()
    from_lines = sorted(wavefile.read(tmp_path / "t0.jsonl"), key=lambda r: r.participant or "")
    from_files = sorted(map(results.load, (tmp_path / "t0").glob("*.json")), key=lambda r: r.participant or "")
    assert from_lines == from_files
    assert [results.to_line(r) for r in wavefile.read(tmp_path / "t0.jsonl")] == [line + "\n" for line in lines]
    wave = cx("workshop", tmp_path / "t0.jsonl", "--by-segment", "--min-group", "2", "--format", "json")
    folder = cx("workshop", tmp_path / "t0", "--by-segment", "--min-group", "2", "--format", "json")
    assert wave.code == folder.code == 0 and wave.out == folder.out
    assert json.loads(wave.out)["participants"] == 40


@pytest.mark.parametrize("fmt", [name for name, spec in formats.FORMATS.items() if not spec.binary])
def test_every_format_reads_a_wave_file_as_a_folder(cx, tmp_path, fmt):
    csv = survey(tmp_path)
    for out in ("t0.jsonl", "t0"):
        assert cx("import", csv, "--out", tmp_path / out, "--org", "Acme", "--wave", "T0").code == 0
    wave, folder = (cx("workshop", tmp_path / out, "--format", fmt, "--lang", "en") for out in ("t0.jsonl", "t0"))
    assert wave.code == 0 and wave.out == folder.out


@pytest.mark.parametrize("suffix", [e for spec in formats.FORMATS.values() for e in spec.extensions[:1]])
def test_every_export_reads_a_wave_file(cx, tmp_path, suffix):
    csv = survey(tmp_path)
    assert cx("import", csv, "--out", tmp_path / "t0.jsonl", "--org", "Acme", "--wave", "T0").code == 0
    assert (
        cx("import", survey(tmp_path, seed=2, name="t1.csv"), "--out", tmp_path / "t1.jsonl", "--wave", "T1").code == 0
    )
    for kind, args in (
        ("workshop", ["workshop", tmp_path / "t0.jsonl"]),
        ("compare", ["compare", tmp_path / "t1.jsonl", tmp_path / "t0.jsonl"]),
    ):
        target = tmp_path / f"{kind}{suffix}"
        run = cx(*args, "--export", target, "--lang", "fr")
        assert run.code == 0, run.err
        assert target.stat().st_size > 0


def test_compare_orders_wave_files_by_their_wave(cx, tmp_path):
    cx("import", survey(tmp_path), "--out", tmp_path / "t0.jsonl", "--wave", "T0", "--date", "2026-03-01")
    cx("import", survey(tmp_path, seed=3), "--out", tmp_path / "t1.jsonl", "--wave", "T1", "--date", "2026-09-01")
    run = cx("compare", tmp_path / "t1.jsonl", tmp_path / "t0.jsonl", "--format", "json")
    assert run.code == 0, run.err
    files = json.loads(run.out)["files"]
    assert [(f["kind"], f["wave"]["label"], f["participants"]) for f in files] == [
        ("wave", "T0", 40),
        ("wave", "T1", 40),
    ]


def test_importing_again_replaces_keeps_and_adds_as_a_folder_does(cx, tmp_path):
    wave = tmp_path / "t0.jsonl"
    csv = survey(tmp_path, rows=10)
    assert cx("import", csv, "--out", wave, "--wave", "T0", "--lang", "en").code == 0
    handmade = results.to_line(next(wavefile.read(wave)))  # a line not from this export (no response) is kept
    handmade = handmade.replace('"response":', '"other":')
    with wave.open("a", encoding="utf-8") as file:
        file.write(handmade)
    rows = csv.read_text(encoding="utf-8").splitlines()
    changed = rows[2].rsplit(",", 1)[0] + ",5"  # the quote question of p1 corrected
    extra = rows[1].replace("2026-03-01 09:00", "2026-04-01 10:00").replace("p0,", "p10,")
    csv.write_text("\n".join([rows[0], rows[1], changed, *rows[3:], extra]) + "\n", encoding="utf-8")
    run = cx("import", csv, "--out", wave, "--wave", "T0", "--lang", "en")
    assert run.code == 0, run.err
    assert "1 new, 1 replaced, 9 unchanged, 0 rejected" in run.out
    people = list(wavefile.read(wave))
    assert len(people) == 12
    assert [p.participant for p in people] == [*(f"p{i}" for i in range(10)), "p0", "p10"]
    assert people[1].perceived_level == 5
    assert wave.read_text(encoding="utf-8").splitlines()[10] + "\n" == handmade


def test_the_same_response_twice_is_rejected_as_in_a_folder(cx, tmp_path):
    csv = survey(tmp_path, rows=5)
    rows = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join([*rows, rows[2]]) + "\n", encoding="utf-8")
    wave = cx("import", csv, "--out", tmp_path / "w.jsonl", "--lang", "en")
    folder = cx("import", csv, "--out", tmp_path / "w", "--lang", "en")
    assert wave.code == folder.code == 2
    assert wave.err == folder.err
    assert "row 7, the same response (time:2026-03-02T09:01:00" in wave.err
    assert len(list(wavefile.read(tmp_path / "w.jsonl"))) == 5


@pytest.mark.usefixtures("english")
def test_a_bad_existing_wave_file_is_named_and_left_as_it_was(cx, tmp_path):
    wave = tmp_path / "t0.jsonl"
    wave.write_text('{"schema_version": 1}\n', encoding="utf-8")
    run = cx("import", survey(tmp_path, rows=3), "--out", wave)
    assert run.code == 2
    assert run.err.startswith(f"cxculture: {wave}:1: ")
    assert wave.read_text(encoding="utf-8") == '{"schema_version": 1}\n'
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.usefixtures("english")
def test_an_interrupted_import_leaves_the_wave_file_as_it_was(cx, tmp_path, monkeypatch):
    from cxculture.survey import writing

    wave = tmp_path / "t0.jsonl"
    assert cx("import", survey(tmp_path, rows=3), "--out", wave).code == 0
    before = wave.read_bytes()

    def stop(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(writing.Rows, "lines", stop)
    run = cx("import", survey(tmp_path, rows=5, seed=9), "--out", wave)
    assert run.code == 130
    assert f"nothing was added to {wave}" in run.err
    assert wave.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv", "t0.jsonl"]


def good_line():
    item, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", None, None), "en")
    return results.to_line(item)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("{not json\n", "not JSON (column 2"),
        ("[1, 2]\n", "not a cxculture result file"),
        ('{"schema_version": 2}\n', "schema_version 2 comes from a newer cxculture"),
        ("NaN\n", "NaN is not a number"),
        ('{"a": ' * 100_000 + "\n", "nested too deeply"),
        (None, "is not accepted"),  # an answer of 7
        (b"\xff\xfe{}\n", "not UTF-8 text"),
    ],
)
def test_a_bad_line_is_named_with_its_line_number(cx, tmp_path, line, says):
    wave = tmp_path / "t0.jsonl"
    bad = good_line().replace(f'"{IDS[0]}":4', f'"{IDS[0]}":7') if line is None else line
    data = (good_line() + "\n").encode() + (bad if isinstance(bad, bytes) else bad.encode())
    wave.write_bytes(data)
    for command in (["workshop", wave], ["compare", wave, wave]):
        run = cx(*command)
        assert run.code == 2, run.err
        assert run.err.startswith(f"cxculture: {wave}:3: ") and says in run.err
        assert len(run.err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("{not json\n", "pas du JSON (colonne 2)"),
        ("NaN\n", "NaN n'est pas un nombre que cet outil lit"),
        (b"\xff\xfe{}\n", "pas du texte UTF-8 (octet 0)"),
    ],
)
def test_a_bad_line_is_said_in_french(cx, tmp_path, line, says):
    wave = tmp_path / "t0.jsonl"
    wave.write_bytes((good_line() + "\n").encode() + (line if isinstance(line, bytes) else line.encode()))
    run = cx("workshop", wave, "--lang", "fr")
    assert run.code == 2 and run.err.startswith(f"cxculture: {wave}:3") and says in run.err, run.err
    assert len(run.err.strip().splitlines()) == 1


@pytest.mark.usefixtures("english")
@pytest.mark.usefixtures("english")
def test_bounds_per_line_per_file_and_in_lines(cx, tmp_path, monkeypatch):
    wave = tmp_path / "t0.jsonl"
    line = good_line()
    wave.write_text(line * 3, encoding="utf-8")
    assert cx("workshop", wave, "--format", "json").code == 0
    monkeypatch.setattr(wavefile, "MAX_LINES", 2)
    run = cx("workshop", wave)
    assert (run.code, run.err.strip()) == (
        2,
        f"cxculture: {wave}: more than 2 lines; split the wave into several files",
    )
    monkeypatch.setattr(wavefile, "MAX_LINES", 10)
    monkeypatch.setattr(wavefile, "MAX_LINE_BYTES", len(line) - 2)
    run = cx("workshop", wave)
    assert run.code == 2 and run.err.startswith(f"cxculture: {wave}:1: longer than {len(line) - 2} bytes")
    monkeypatch.setattr(wavefile, "MAX_BYTES", len(line) * 2)
    run = cx("workshop", wave)
    assert run.code == 2 and "too large" in run.err


@pytest.mark.usefixtures("english")
def test_not_a_regular_file(cx, tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    run = cx("workshop", fifo)
    assert run.code == 2 and "not a regular file" in run.err
    (tmp_path / "folder.jsonl").mkdir()
    assert cx("import", survey(tmp_path, rows=2), "--out", tmp_path / "folder.jsonl").code == 0  # a folder stays one


def test_blank_lines_and_a_bom_are_accepted(cx, tmp_path):
    wave = tmp_path / "t0.jsonl"
    wave.write_bytes(b"\xef\xbb\xbf" + good_line().encode() + b"\n\r\n" + good_line().encode())
    run = cx("workshop", wave, "--format", "json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["participants"] == 2


INT64 = st.integers(-(2**63), 2**63 - 1)  # beyond, orjson reads a float: see reading.loads_fast
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | INT64 | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES, st.booleans())
def test_the_fast_parser_reads_what_the_standard_one_reads(value, as_bytes):
    text = json.dumps(value)  # NaN and Infinity included
    data = text.encode() if as_bytes else text
    assert json.dumps(reading.loads_fast(data)) == json.dumps(json.loads(data))


@pytest.mark.parametrize("text", ['"\\ud800"', "[1, 2", "NaN", "\ufeff{}", "1e400", "{'a': 1}"])
def test_the_fast_parser_gives_the_standard_answer_on_odd_texts(text, monkeypatch):
    def standard():
        try:
            return "ok", json.dumps(json.loads(text))
        except ValueError as error:
            return "error", type(error).__name__

    def fast():
        try:
            return "ok", json.dumps(reading.loads_fast(text))
        except ValueError as error:
            return "error", type(error).__name__

    assert fast() == standard()
    monkeypatch.setattr(reading, "fast_parser", lambda: None)  # where orjson is not installed
    assert fast() == standard()


@pytest.mark.usefixtures("english")
def test_an_answer_beyond_64_bits_is_named_as_written(cx, tmp_path):
    huge = "18446744073709551616"
    line = good_line().replace(f'"{IDS[0]}":4', f'"{IDS[0]}":{huge}')
    (tmp_path / "t0.jsonl").write_text(line, encoding="utf-8")
    (tmp_path / "r.json").write_text(line, encoding="utf-8")
    for name in ("t0.jsonl", "r.json"):
        run = cx("workshop", tmp_path / name)
        assert run.code == 2 and f"{huge} is not accepted" in run.err, run.err
