"""The wave files' engine (``wave_columns``): ``workshop WAVE.jsonl`` gives the row path's output to the byte, its notes
and its errors, on generated wave files; it reads itself only the lines written as ``import`` writes them."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxculture import results, session, wave_columns
from cxculture.answers import AnswerSet
from helpers import CONTENT, IDS

ORGS = st.sampled_from([None, "Acme", "Acme", " ACME ", "Acme", "Globex"])
SEGMENTS = st.sampled_from([None, "", "Leaders", "leaders", "Frontline", "Back  office", "Équipe"])
WAVES = st.sampled_from([None, "T0", "T1", ""])
DATES = st.sampled_from([None, "2026-03-12", "2025-11-02"])
MOMENTS = st.sampled_from(["2026-03-12T09:00:00+01:00", "2026-03-14T17:30:00+01:00", "2026-01-02T08:00:00", "now"])
PEOPLE = st.one_of(st.none(), st.sampled_from(["Ana", "Zoë", "p7"]), st.text(max_size=12))
PLAIN = st.one_of(st.none(), st.text(st.sampled_from("abcXYZ éàœ-'0,:{}"), max_size=12))  # as import writes it
ANSWERS = st.one_of(st.none(), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))


@st.composite
def a_result(draw, people=PEOPLE):
    answers = {qid: draw(ANSWERS) for qid in IDS}
    given_ = AnswerSet(answers, draw(ORGS), draw(people), draw(SEGMENTS))
    result, _ = session.score(CONTENT, given_, draw(st.sampled_from(["fr", "en"])))
    return replace(
        result,
        created_at=draw(MOMENTS),
        wave=draw(WAVES),
        wave_date=draw(DATES),
        response=draw(st.one_of(st.none(), st.sampled_from(["row:1f2e", "id:7@2026-03-12"]))),
        content_id=draw(st.sampled_from([CONTENT.content_id, CONTENT.content_id, "sha256:0123456789abcdef"])),
    )


def as_imported(result) -> bytes:
    return results.to_line(result).encode("utf-8")


def hand_written(result) -> bytes:
    """The same result as another tool writes it: spaces after separators, every non-ASCII character escaped."""
    return (json.dumps(results.to_dict(result)) + "\n").encode("utf-8")


def with_crlf(result) -> bytes:
    return as_imported(result).replace(b"\n", b"\r\n")


def with_extra_question(result) -> bytes:
    data = results.to_dict(result)
    data["answers"] = {**data["answers"], "not-a-question": 3}  # type: ignore[dict-item]
    return (json.dumps(data) + "\n").encode("utf-8")


def with_bad_answer(result) -> bytes:
    return as_imported(result).replace(
        b'"answers":{"' + IDS[0].encode() + b'":', b'"answers":{"' + IDS[0].encode() + b'":7,"x":', 1
    )


GOOD_LINES = st.one_of(*[st.builds(make, a_result()) for make in (as_imported,) * 6 + (hand_written, with_crlf)])
ODD_LINES = st.sampled_from([b"\n", b"   \n", b"{\n", b'{"partial": true}\n', b"\xff\xfe\n", b"[1, 2]\n"])
BAD_LINES = st.one_of(st.builds(with_extra_question, a_result()), st.builds(with_bad_answer, a_result()), ODD_LINES)


def wave_file(tmp_path, lines: list[bytes], name="wave.jsonl"):
    path = tmp_path / name
    path.write_bytes(b"".join(lines))
    return path


@pytest.fixture
def both(cx, monkeypatch):
    """``cxculture ARGS`` run by the row path, then by the engine (forced on files of any size); and what the engine
    gave back (``None``: it left the file to the row path)."""
    given_back = []
    read = wave_columns.read

    def spied(*args, **options):
        given_back.append(read(*args, **options))
        return given_back[-1]

    monkeypatch.setattr(wave_columns, "read", spied)

    def run(*args):
        given_back.clear()
        monkeypatch.setattr(wave_columns, "ENGINE_FROM", 10**15)
        by_rows = cx(*args)
        monkeypatch.setattr(wave_columns, "ENGINE_FROM", 0)
        by_engine = cx(*args)
        return by_rows, by_engine, given_back

    return run


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(GOOD_LINES, min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(0, 12), BAD_LINES), max_size=2),
    st.booleans(),
    st.sampled_from([[], ["--allow-mixed"]]),
    st.booleans(),
)
def test_the_engine_gives_the_row_path_s_output_notes_and_errors(
    tmp_path, monkeypatch, both, good, bad, bom, options, helped
):
    monkeypatch.setattr(wave_columns, "HELPED_FROM", 0 if helped else 10**15)  # a second process reads half
    lines = list(good)
    for place, line in bad:
        lines.insert(place, line)
    if bom:
        lines[0] = b"\xef\xbb\xbf" + lines[0]
    path = wave_file(tmp_path, lines)
    by_rows, by_engine, _ = both("workshop", path, "--by-segment", "--min-group", "2", "--format", "json", *options)
    assert by_engine == by_rows


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.builds(as_imported, a_result(people=PLAIN)), min_size=1, max_size=20))
def test_lines_written_as_import_writes_them_are_read_by_the_engine_itself(tmp_path, monkeypatch, both, lines):
    by_line = []
    monkeypatch.setattr(wave_columns._Columns, "_participant", lambda self, body: by_line.append(body))
    path = wave_file(tmp_path, lines)
    by_rows, by_engine, given_back = both("workshop", path, "--format", "json", "--allow-mixed")
    assert by_engine == by_rows
    assert given_back[-1] is not None and by_line == []  # every line read by the engine's own pattern


def test_a_bad_line_is_named_file_and_line_with_exit_code_2_as_by_the_row_path(tmp_path, both):
    item, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", None, "Leaders"), "en")
    lines = [as_imported(item)] * 3 + [b"\n", with_bad_answer(item), b"{\n"]
    by_rows, by_engine, _ = both("workshop", wave_file(tmp_path, lines), "--format", "json", "--lang", "en")
    assert by_engine == by_rows
    assert by_engine.code == 2 and by_engine.out == ""
    assert "wave.jsonl:5" in by_engine.err and by_engine.err.count("\n") == 1


def test_organisations_and_those_left_out_are_named_by_their_lines(tmp_path, both):
    acme, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", None, None), "en")
    few, _ = session.score(CONTENT, AnswerSet({IDS[0]: 2}, "Acme", None, None), "en")
    other = replace(acme, org="Globex")
    lines = [as_imported(acme), as_imported(few), hand_written(few), as_imported(other)]
    path = wave_file(tmp_path, lines)
    by_rows, by_engine, _ = both("workshop", path, "--format", "json", "--lang", "en")
    assert by_engine == by_rows and by_engine.code == 2
    assert "wave.jsonl:1" in by_engine.err and "wave.jsonl:4" in by_engine.err
    by_rows, by_engine, _ = both("workshop", path, "--format", "json", "--lang", "en", "--allow-mixed")
    assert by_engine == by_rows and by_engine.code == 0
    assert f"{path}:2, {path}:3" in by_engine.err  # left out, in line order, whoever read them


def test_a_line_too_long_leaves_the_file_to_the_row_path(tmp_path, monkeypatch, both):
    monkeypatch.setattr(wave_columns.wavefile, "MAX_LINE_BYTES", 3000)
    item, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", "x" * 2000, None), "en")
    lines = [as_imported(replace(item, participant="p"))] * 2 + [as_imported(item)]
    by_rows, by_engine, given_back = both("workshop", wave_file(tmp_path, lines), "--format", "json")
    assert by_engine == by_rows and by_engine.code == 2 and "wave.jsonl:3" in by_engine.err
    assert given_back[-1] is None


def test_only_wave_files_from_engine_from_bytes_go_to_the_engine(tmp_path, monkeypatch):
    assert wave_columns.ENGINE_FROM > 1_000_000  # small files keep the row path (and no polars)
    item, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", None, None), "en")
    path = wave_file(tmp_path, [as_imported(item)] * 10)
    size = path.stat().st_size
    monkeypatch.setattr(wave_columns, "ENGINE_FROM", size + 1)
    assert not wave_columns.suits([str(path)])
    monkeypatch.setattr(wave_columns, "ENGINE_FROM", size)
    assert wave_columns.suits([str(path)])
    (tmp_path / "folder.jsonl").mkdir()
    assert not wave_columns.suits([str(tmp_path / "folder.jsonl")])
    assert not wave_columns.suits([str(wave_file(tmp_path, [as_imported(item)] * 10, name="wave.json"))])


def test_a_small_wave_file_is_read_without_polars(tmp_path):
    item, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", None, None), "en")
    path = wave_file(tmp_path, [as_imported(item)] * 20)
    code = (
        "import sys; from cxculture.cli import main; code = main(['workshop', sys.argv[1], '--format', 'json']); "
        "print(code, 'polars' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "0 False"


HELPED = """
import contextlib, io, json, sys
from cxculture import wave_columns
from cxculture.cli import main
wave_columns.HELPED_FROM, wave_columns.BLOCK_BYTES = 0, 10_000  # a helper, blocks of a few lines
taken = []
take = wave_columns._Columns._take
def spied(self, handed, start, advance):
    taken.append(handed[0] if isinstance(handed, tuple) else 0)  # lines read by the helper
    return take(self, handed, start, advance)
wave_columns._Columns._take = spied
outputs = []
for engine_from in (10**15, 0):
    wave_columns.ENGINE_FROM = engine_from
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(sys.argv[1:])
    outputs.append([int(code), out.getvalue(), err.getvalue()])
print(json.dumps({"outputs": outputs, "taken": taken}))
"""


@pytest.mark.parametrize("odd_at", [None, 10, 55])
def test_a_second_process_reads_the_second_half_and_leaves_odd_lines_to_the_first(tmp_path, odd_at):
    """In a process of its own: a fork is made only where no other thread runs (second_reader)."""
    lines = []
    for index in range(60):
        answers = {qid: 1 + (index + n) % 5 if (index + n) % 7 else None for n, qid in enumerate(IDS)}
        segment = ["Leaders", "leaders", None, "Équipe"][index % 4]
        item, _ = session.score(CONTENT, AnswerSet(answers, "Acme", f"p{index}", segment), "fr")
        lines.append(as_imported(replace(item, created_at=f"2026-03-{1 + index % 28:02d}T09:00:00", wave="T1")))
    if odd_at is not None:
        lines[odd_at] = hand_written(session.score(CONTENT, AnswerSet({}, "Acme", None, None), "fr")[0])
    path = wave_file(tmp_path, lines)
    args = ["workshop", str(path), "--by-segment", "--format", "json", "--min-group", "1"]
    done = subprocess.run([sys.executable, "-c", HELPED, *args], capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    by_rows, by_engine = found["outputs"]
    assert by_engine == by_rows and by_engine[0] == 0 and by_engine[1].startswith("{")
    assert found["taken"] and found["taken"][-1] > 0  # the helper's lines were taken after the first half's


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(GOOD_LINES, min_size=1, max_size=10), st.lists(GOOD_LINES, min_size=1, max_size=10), st.booleans())
def test_compare_of_wave_files_gives_the_row_path_s_comparison(tmp_path, monkeypatch, both, before, after, helped):
    monkeypatch.setattr(wave_columns, "HELPED_FROM", 0 if helped else 10**15)
    first = wave_file(tmp_path, before, name="t0.jsonl")
    second = wave_file(tmp_path, after, name="t1.jsonl")
    by_rows, by_engine, given_back = both("compare", first, second, "--format", "json", "--force")
    assert by_engine == by_rows
    assert len(given_back) >= 2 and given_back[-1] is not None  # the engine read them (everyone counts in a comparison)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.lists(GOOD_LINES, min_size=1, max_size=6), min_size=2, max_size=3),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 6), BAD_LINES), max_size=2),
    st.sampled_from([[], ["--allow-mixed"]]),
)
def test_several_wave_files_give_the_row_path_s_output_notes_and_errors(tmp_path, both, files, bad, options):
    files = [list(lines) for lines in files]
    for which, place, line in bad:
        files[which % len(files)].insert(place, line)
    paths = [wave_file(tmp_path, lines, name=f"t{index}.jsonl") for index, lines in enumerate(files)]
    by_rows, by_engine, given_back = both(
        "workshop", *paths, "--by-segment", "--min-group", "2", "--format", "json", *options
    )
    assert by_engine == by_rows
    assert (given_back and given_back[-1] is not None) or by_engine.code == 2  # the engine read them (or a bad line)
