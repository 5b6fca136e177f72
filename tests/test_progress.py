"""Progress bars of long work: drawn on a terminal's stderr (pexpect), in the reader's language, never elsewhere."""

from __future__ import annotations

import re
import sys

import pexpect
import pytest

from conftest import clean_env, run_subprocess
from cxculture import progress, results, session
from cxculture.answers import AnswerSet
from helpers import CONTENT, IDS

ROWS = progress.SHOWN_FROM + 500


def export(tmp_path, rows=ROWS):
    lines = [",".join(["participant", "segment", *IDS])]
    lines += [",".join([f"p{i}", "leaders", *(str(1 + (i + j) % 5) for j in range(len(IDS)))]) for i in range(rows)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wave_file(tmp_path, rows=ROWS):
    item, _ = session.score(CONTENT, AnswerSet(dict.fromkeys(IDS, 4), "Acme", None, "leaders"), "en")
    path = tmp_path / "t0.jsonl"
    path.write_text(results.to_line(item) * rows, encoding="utf-8")
    return path


# cxculture with the column engines taking exports and wave files of any size (they take those of 8 MB, 20 MB and more)
BY_COLUMNS = (
    "import sys; from cxculture import wave_columns; from cxculture.survey import columns; "
    "columns.ENGINE_FROM = wave_columns.ENGINE_FROM = 0; from cxculture.cli import main; sys.exit(main(sys.argv[1:]))"
)


def on_a_terminal(tmp_path, *args, by_columns=False, **env):
    """Run ``cxculture ARGS`` in a pseudo-terminal; everything it drew, and its exit status."""
    child = pexpect.spawn(
        sys.executable,
        [*(["-c", BY_COLUMNS] if by_columns else ["-m", "cxculture"]), *map(str, args)],
        env=clean_env(TERM="xterm-256color", **env),
        dimensions=(24, 120),
        timeout=120,
        cwd=str(tmp_path),
        encoding="utf-8",
    )
    child.expect(pexpect.EOF)
    child.close()
    return child.before, child.exitstatus


@pytest.mark.parametrize(
    ("lang", "label", "rate"), [("en", "Importing responses", "rows/s"), ("fr", "Import des réponses", "lignes/s")]
)
def test_import_shows_rows_rate_and_time_left_on_a_terminal(tmp_path, lang, label, rate):
    drawn, status = on_a_terminal(tmp_path, "import", export(tmp_path), "--out", "t0.jsonl", "--lang", lang)
    assert status == 0, drawn
    assert label in drawn and rate in drawn
    assert f"{ROWS}/{ROWS}" in drawn or f"{ROWS}/{ROWS + 1}" in drawn  # rows read, of about how many (last frame)
    assert re.search(r"(left|reste) \d:\d\d:\d\d", drawn)  # time left
    assert "→ t0.jsonl" in drawn.splitlines()[-1]  # the bar gone, the summary stays


def test_no_color_draws_the_bar_without_colour(tmp_path):
    drawn, status = on_a_terminal(tmp_path, "import", export(tmp_path), "--out", "t0.jsonl", "--lang", "en")
    assert status == 0
    assert "Importing responses" in drawn and "━" in drawn
    assert not re.search(r"\x1b\[[0-9;]*m", drawn)  # NO_COLOR (set by clean_env): no colour code at all


@pytest.mark.parametrize("by_columns", [False, True])
def test_workshop_of_a_wave_file_shows_its_lines_on_a_terminal(tmp_path, by_columns):
    wave = wave_file(tmp_path)
    drawn, status = on_a_terminal(tmp_path, "workshop", wave, "--format", "json", "--lang", "en", by_columns=by_columns)
    assert status == 0, drawn
    assert "Reading results" in drawn and f"{ROWS}/{ROWS}" in drawn


def test_silent_off_a_terminal(tmp_path):
    run = run_subprocess("import", export(tmp_path), "--out", tmp_path / "t0.jsonl", "--lang", "en")
    assert run.code == 0 and run.err == ""
    run = run_subprocess("workshop", tmp_path / "t0.jsonl", "--format", "json")
    assert run.code == 0 and run.err == ""


def test_small_work_draws_nothing_even_on_a_terminal(tmp_path):
    drawn, status = on_a_terminal(tmp_path, "import", export(tmp_path, rows=50), "--out", "t0.jsonl", "--lang", "en")
    assert status == 0
    assert "Importing" not in drawn and "━" not in drawn


def test_the_column_engine_shows_rows_read_then_lines_written_on_a_terminal(tmp_path):
    big = export(tmp_path)
    drawn, status = on_a_terminal(tmp_path, "import", big, "--out", "t0.jsonl", "--lang", "en", by_columns=True)
    assert status == 0, drawn
    assert "Importing responses" in drawn and "Writing the wave file" in drawn and "rows/s" in drawn
    assert drawn.count(f"{ROWS}/{ROWS}") >= 2  # every row read, then every line written (last frames)
    assert re.search(r"left \d:\d\d:\d\d", drawn)
    assert "→ t0.jsonl" in drawn.splitlines()[-1]
    drawn, status = on_a_terminal(tmp_path, "workshop", big, "--format", "json", "--lang", "fr", by_columns=True)
    assert status == 0, drawn
    assert "Lecture des résultats" in drawn and f"{ROWS}/{ROWS}" in drawn and "lignes/s" in drawn


def test_the_column_engine_is_silent_off_a_terminal(tmp_path):
    import subprocess

    for args in (["import", export(tmp_path), "--out", tmp_path / "t0.jsonl"], ["workshop", tmp_path / "big.csv"]):
        done = subprocess.run(
            [sys.executable, "-c", BY_COLUMNS, *map(str, args), "--lang", "en"],
            env=clean_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
