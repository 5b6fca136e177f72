"""import: a survey CSV to result files, labels, --map, bad rows, delimiters and BOM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from conftest import clean_env, run_subprocess
from cxculture import results, session
from cxculture.answers import AnswerSet
from test_workshop import CONTENT, IDS

QUOTE = CONTENT.questionnaire.quote_question.id
SCALE = CONTENT.questionnaire.scale


def write_csv(path, rows, sep=",", bom=False):
    text = "\n".join(sep.join(row) for row in rows) + "\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def imported(out):
    return sorted(out.glob("*.json"))


def test_ids_as_columns_with_semicolon_and_bom(cx, tmp_path):
    header = ["participant", "segment", "org", *IDS]
    row = ["Jo", "leaders", "Acme", *["4"] * (len(IDS) - 1), "3"]
    csv = write_csv(tmp_path / "s.csv", [header, row, ["Al", "", "", *[""] * len(IDS)]], sep=";", bom=True)
    run = cx("import", csv, "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 0, run.err
    assert "2 imported, 0 rejected" in run.out
    first, second = imported(tmp_path / "out")
    assert first.name.endswith("-r2.json") or second.name.endswith("-r2.json")
    jo = results.load(next(p for p in (first, second) if p.name.endswith("-r2.json")))
    assert (jo.org, jo.participant, jo.segment, jo.lang) == ("Acme", "Jo", "leaders", "en")
    assert jo.answers[IDS[0]] == 4 and jo.answers[QUOTE] == 3
    # the same figures and the same file layout as assess would give
    expected, _ = session.score(CONTENT, AnswerSet(dict(jo.answers), "Acme", "Jo", "leaders"), "en")
    assert results.to_json(jo) == results.to_json(replace(expected, created_at=jo.created_at))
    al = results.load(next(p for p in (first, second) if p.name.endswith("-r3.json")))
    assert al.segment is None and al.org is None and set(al.answers.values()) == {None}


def test_file_text_is_what_save_writes(cx, tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0], IDS[1]], ["Jo", "5", "2"]])
    assert cx("import", csv, "--out", tmp_path / "out", "--lang", "fr").code == 0
    [path] = imported(tmp_path / "out")
    assert path.read_text(encoding="utf-8") == results.to_json(results.load(path))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_scale_labels_any_case_accents_apostrophes(cx, tmp_path, lang):
    labels = [p.label(lang) for p in SCALE.points]
    mangled = [labels[0].upper(), labels[1].replace("'", "’"), labels[2].lower(), labels[3], labels[4]]
    if lang == "fr":
        mangled[4] = "tout a fait d accord"
    dont_know = SCALE.dont_know(lang).replace("'", "")
    header = ["participant", *IDS[:6]]
    csv = write_csv(tmp_path / "s.csv", [header, ["Jo", *[f'"{m}"' for m in mangled], dont_know]])
    run = cx("import", csv, "--out", tmp_path / "out")
    assert run.code == 0, run.err
    [path] = imported(tmp_path / "out")
    answers = results.load(path).answers
    assert [answers[i] for i in IDS[:6]] == [1, 2, 3, 4, 5, None]


def test_map_file(cx, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "columns:\n"
        "  Votre nom: participant\n"
        "  Équipe: segment\n"
        f"  'Q1 : les managers ?': {IDS[0]}\n"
        f"  Citation: {QUOTE}\n",
        encoding="utf-8",
    )
    csv = write_csv(
        tmp_path / "s.csv",
        [["Votre nom", "equipe", "Q1 : les managers ?", "Citation"], ["Jo", "terrain", "Plutôt d'accord", "2"]],
        sep=";",
    )
    run = cx("import", csv, "--out", tmp_path / "out", "--map", mapping)
    assert run.code == 0, run.err
    [path] = imported(tmp_path / "out")
    result = results.load(path)
    assert (result.participant, result.segment, result.answers[IDS[0]], result.answers[QUOTE]) == (
        "Jo",
        "terrain",
        4,
        2,
    )
    unmapped = write_csv(tmp_path / "u.csv", [["Votre nom", "Mystery", "Other"], ["Jo", "1", "2"]])
    run = cx("import", unmapped, "--out", tmp_path / "out2", "--map", mapping)
    assert run.code == 2 and "'Mystery'" in run.err and "'Other'" in run.err
    assert not (tmp_path / "out2").exists() or imported(tmp_path / "out2") == []


def test_bad_row_among_good_ones(cx, tmp_path):
    csv = write_csv(
        tmp_path / "s.csv",
        [
            ["participant", IDS[0], QUOTE],
            ["Ann", "4", "2"],
            ["Bob", "maybe", ""],
            ["Cy", "5", "6"],
            ["Di", "1", ""],
        ],
    )
    run = cx("import", csv, "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 2
    assert "2 imported, 2 rejected" in run.out
    assert f"row 3, column '{IDS[0]}': \"maybe\"" in run.err
    assert f"row 4, column '{QUOTE}': \"6\"" in run.err
    names = [p.name for p in imported(tmp_path / "out")]
    assert len(names) == 2 and any("-ann-" in n for n in names) and any("-di-" in n for n in names)
    assert not any("-bob-" in n or "-cy-" in n for n in names)


def test_never_overwrites(cx, tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    assert cx("import", csv, "--out", tmp_path / "out").code == 0
    assert cx("import", csv, "--out", tmp_path / "out").code == 0
    assert len(imported(tmp_path / "out")) == 2


def test_unknown_columns_and_empty_file(cx, tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", "nope", IDS[0]], ["Jo", "1", "2"]])
    run = cx("import", csv, "--out", tmp_path / "out")
    assert run.code == 2 and "'nope'" in run.err and str(csv) in run.err
    empty = tmp_path / "e.csv"
    empty.write_text("")
    assert cx("import", empty, "--out", tmp_path / "out").code == 2


def test_workshop_reads_imported_files(cx, tmp_path):
    statements = IDS[:-1]  # the quote question last
    rows = [["participant", "segment", *statements]] + [
        [f"p{i}", "a" if i % 2 else "b", *[str(1 + i % 5)] * len(statements)] for i in range(6)
    ]
    csv = write_csv(tmp_path / "s.csv", rows)
    assert cx("import", csv, "--out", tmp_path / "out").code == 0
    data = json.loads(cx("workshop", tmp_path / "out", "--format", "json", "--by-segment").out)
    assert data["participants"] == 6 and set(data["segments"]) == {"a", "b"}


def today_stem(participant: str, number: int) -> str:
    return f"org-{participant}-{results.now()[:10]}-r{number}"


def hidden_leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_into_a_folder_with_files_keeps_them(cx, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / f"{today_stem('jo', 2)}.json"
    mine.write_text("mine", encoding="utf-8")
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"], ["Al", "2"]])
    assert cx("import", csv, "--out", out).code == 0
    assert mine.read_text(encoding="utf-8") == "mine"
    assert results.load(out / f"{today_stem('jo', 2)}-2.json").answers[IDS[0]] == 4
    assert results.load(out / f"{today_stem('al', 3)}.json").answers[IDS[0]] == 2
    assert hidden_leftovers(out) == [] and hidden_leftovers(tmp_path) == []


def test_into_an_empty_folder(cx, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    assert cx("import", csv, "--out", out).code == 0
    assert [p.name for p in imported(out)] == [f"{today_stem('jo', 2)}.json"]
    assert hidden_leftovers(tmp_path) == []


def test_out_is_a_file(cx, tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    (tmp_path / "out").write_text("mine", encoding="utf-8")
    run = cx("import", csv, "--out", tmp_path / "out")
    assert run.code == 2 and "is not a folder" in run.err
    assert (tmp_path / "out").read_text(encoding="utf-8") == "mine"


def test_worker_processes_give_the_same_files(cx, tmp_path, monkeypatch):
    from cxculture import survey

    rows = (
        [["participant", "segment", *IDS]]
        + [[f"p{i}", "ab"[i % 2], *(str(1 + (i * 7 + k) % 5) for k in range(len(IDS)))] for i in range(9)]
        + [["bad", "a", "9"]]
    )
    csv = write_csv(tmp_path / "s.csv", rows)
    serial = cx("import", csv, "--out", tmp_path / "serial")
    monkeypatch.setattr(survey, "PARALLEL_FROM", 1)
    monkeypatch.setattr(survey, "CHUNK", 2)
    parallel = cx("import", csv, "--out", tmp_path / "parallel")
    assert (serial.code, serial.out, serial.err) == (
        parallel.code,
        parallel.out.replace("parallel", "serial"),
        parallel.err,
    )
    assert serial.code == 2 and "row 11" in serial.err

    def texts(folder):
        return {p.name: json.loads(p.read_text(encoding="utf-8")) | {"created_at": None} for p in imported(folder)}

    assert len(texts(tmp_path / "serial")) == 9
    assert texts(tmp_path / "serial") == texts(tmp_path / "parallel")


def test_a_failing_disk_adds_nothing(tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"], ["Al", "2"]])
    run = run_subprocess("import", csv, "--out", tmp_path / "out", max_file_bytes=1000)
    assert run.code == 2, run.err
    assert f"{tmp_path / 'out'}: cannot write the files" in run.err and "Traceback" not in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_ctrl_c_adds_nothing(tmp_path):
    from cxculture import survey

    rows = [["participant", *IDS]] + [[f"p{i}", *("4" for _ in IDS)] for i in range(survey.PARALLEL_FROM)]
    csv = write_csv(tmp_path / "s.csv", rows)
    process = subprocess.Popen(
        [sys.executable, "-m", "cxculture", "import", str(csv), "--out", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    deadline = time.monotonic() + 30
    while not hidden_leftovers(tmp_path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_worker_processes_started_by_spawn(tmp_path):
    """As on macOS and Windows: workers are fresh interpreters that get the rows by pickle."""
    rows = [["participant", *IDS]] + [[f"p{i}", *(str(1 + (i + k) % 5) for k in range(len(IDS)))] for i in range(5)]
    csv = write_csv(tmp_path / "s.csv", rows)
    code = (
        "import multiprocessing, sys\n"
        "from cxculture import survey\n"
        "from cxculture.cli import main\n"
        "if __name__ == '__main__':\n"
        "    multiprocessing.set_start_method('spawn')\n"
        "    survey.PARALLEL_FROM, survey.CHUNK = 1, 2\n"
        f"    sys.exit(main(['import', {str(csv)!r}, '--out', {str(tmp_path / 'out')!r}, '--lang', 'en']))\n"
    )
    script = tmp_path / "spawned.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=clean_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert "5 imported, 0 rejected" in done.stdout
    assert [results.load(p).participant for p in imported(tmp_path / "out")] == [f"p{i}" for i in range(5)]


def test_a_file_system_without_hard_links(cx, tmp_path, monkeypatch):
    """As on a FAT-formatted USB stick: files are renamed into place instead, still never over one."""
    import os

    def no_hard_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / f"{today_stem('jo', 2)}.json"
    mine.write_text("mine", encoding="utf-8")
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    run = cx("import", csv, "--out", out)
    assert run.code == 0, run.err
    assert mine.read_text(encoding="utf-8") == "mine"
    assert results.load(out / f"{today_stem('jo', 2)}-2.json").answers[IDS[0]] == 4
    assert cx("guide", "--level", "2", "--export", tmp_path / "g.md").code == 0
    assert cx("guide", "--level", "2", "--export", tmp_path / "g.md").code == 2
    assert hidden_leftovers(out) == [] and hidden_leftovers(tmp_path) == []
