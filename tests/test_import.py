"""import: a survey CSV to result files, labels, --map, bad rows, delimiters and BOM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import clean_env, run_subprocess
from cxculture import results, session
from cxculture.answers import AnswerSet
from helpers import CONTENT, IDS

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
    assert "2 new, 0 replaced, 0 unchanged, 0 rejected" in run.out
    first, second = imported(tmp_path / "out")
    jo = results.load(next(p for p in (first, second) if results.load(p).participant == "Jo"))
    assert (jo.org, jo.participant, jo.segment, jo.lang) == ("Acme", "Jo", "leaders", "en")
    assert jo.answers[IDS[0]] == 4 and jo.answers[QUOTE] == 3
    # the same figures and the same file layout as assess would give
    expected, _ = session.score(CONTENT, AnswerSet(dict(jo.answers), "Acme", "Jo", "leaders"), "en")
    assert results.to_json(jo) == results.to_json(replace(expected, created_at=jo.created_at, response=jo.response))
    al = results.load(next(p for p in (first, second) if results.load(p).participant == "Al"))
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
    assert "2 new, 0 replaced, 0 unchanged, 2 rejected" in run.out
    assert f"row 3, column '{IDS[0]}': \"maybe\"" in run.err
    assert f"row 4, column '{QUOTE}': \"6\"" in run.err
    assert sorted(results.load(p).participant for p in imported(tmp_path / "out")) == ["Ann", "Di"]


def participants(out) -> dict:
    return {r.participant: r.answers[IDS[0]] for r in map(results.load, out.glob("survey-*.json"))}


@pytest.mark.parametrize("identity", ["id", "timestamp", "row"])
def test_importing_again_never_doubles(cx, tmp_path, identity):
    """The same export, then a corrected one: same participants, values updated, a fixed row added."""
    key = {"id": ["ID"], "timestamp": ["Horodateur"], "row": []}[identity]
    cell = {"id": lambda i: [str(i)], "timestamp": lambda i: [f"12/03/2026 09:0{i}:00"], "row": lambda i: []}[identity]
    first = [["participant", *key, IDS[0]], ["Jo", *cell(1), "4"], ["Al", *cell(2), "2"], ["Cy", *cell(3), "9"]]
    out = tmp_path / "out"
    run = cx("import", write_csv(tmp_path / "s.csv", first), "--out", out, "--lang", "en")
    assert run.code == 2 and "2 new, 0 replaced, 0 unchanged, 1 rejected" in run.out
    run = cx("import", tmp_path / "s.csv", "--out", out, "--lang", "en")
    assert "0 new, 0 replaced, 2 unchanged, 1 rejected" in run.out
    assert participants(out) == {"Jo": 4, "Al": 2}
    corrected = [first[0], ["Jo", *cell(1), "5"], first[2], ["Cy", *cell(3), "3"]]
    run = cx("import", write_csv(tmp_path / "fixed.csv", corrected), "--out", out, "--lang", "en")
    assert run.code == 0, run.err
    if identity == "row":  # a changed row is another response: the old one stays
        assert "2 new, 0 replaced, 1 unchanged, 0 rejected" in run.out
        assert len(imported(out)) == 4
    else:
        assert "1 new, 1 replaced, 1 unchanged, 0 rejected" in run.out
        assert participants(out) == {"Jo": 5, "Al": 2, "Cy": 3}


@pytest.mark.usefixtures("english")
def test_the_same_response_twice_in_one_export(cx, tmp_path):
    rows = [["ID", "participant", IDS[0]], ["7", "Jo", "4"], ["7", "Al", "2"]]
    run = cx("import", write_csv(tmp_path / "s.csv", rows), "--out", tmp_path / "out")
    assert run.code == 2 and "row 3, the same response (id:7) as an earlier row" in run.err


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


def hidden_leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_into_a_folder_with_files_keeps_them(cx, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "jo.json"
    mine.write_text("mine", encoding="utf-8")
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"], ["Al", "2"]])
    assert cx("import", csv, "--out", out).code == 0
    assert mine.read_text(encoding="utf-8") == "mine"
    assert participants(out) == {"Jo": 4, "Al": 2} and len(list(out.iterdir())) == 3
    assert hidden_leftovers(out) == [] and hidden_leftovers(tmp_path) == []


def test_into_an_empty_folder(cx, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    assert cx("import", csv, "--out", out).code == 0
    assert participants(out) == {"Jo": 4} and len(list(out.iterdir())) == 1
    assert hidden_leftovers(tmp_path) == []


@pytest.mark.usefixtures("english")
def test_out_is_a_file(cx, tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    (tmp_path / "out").write_text("mine", encoding="utf-8")
    run = cx("import", csv, "--out", tmp_path / "out")
    assert run.code == 2 and "is not a folder" in run.err
    assert (tmp_path / "out").read_text(encoding="utf-8") == "mine"


@pytest.mark.usefixtures("english")
def test_worker_processes_give_the_same_files(cx, tmp_path, monkeypatch):
    from cxculture.survey import workers as survey

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


@pytest.mark.usefixtures("english")
def test_a_failing_disk_adds_nothing(tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"], ["Al", "2"]])
    run = run_subprocess("import", csv, "--out", tmp_path / "out", max_file_bytes=1000)
    assert run.code == 2, run.err
    assert f"{tmp_path / 'out'}: cannot write the files" in run.err and "Traceback" not in run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


@pytest.mark.usefixtures("english")
def test_ctrl_c_adds_nothing(tmp_path):
    from cxculture.survey import workers as survey

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
        "    survey.workers.PARALLEL_FROM, survey.workers.CHUNK = 1, 2\n"
        f"    sys.exit(main(['import', {str(csv)!r}, '--out', {str(tmp_path / 'out')!r}, '--lang', 'en']))\n"
    )
    script = tmp_path / "spawned.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=clean_env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert "5 new, 0 replaced, 0 unchanged, 0 rejected" in done.stdout
    assert sorted(results.load(p).participant for p in imported(tmp_path / "out")) == [f"p{i}" for i in range(5)]


def test_a_file_system_without_hard_links(cx, tmp_path, monkeypatch):
    """As on a FAT-formatted USB stick: files are renamed into place instead, still never over one."""
    import os

    def no_hard_links(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "jo.json"
    mine.write_text("mine", encoding="utf-8")
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]])
    run = cx("import", csv, "--out", out)
    assert run.code == 0, run.err
    assert mine.read_text(encoding="utf-8") == "mine"
    assert participants(out) == {"Jo": 4}
    assert cx("guide", "--level", "2", "--export", tmp_path / "g.md").code == 0
    assert cx("guide", "--level", "2", "--export", tmp_path / "g.md").code == 2
    assert hidden_leftovers(out) == [] and hidden_leftovers(tmp_path) == []


@pytest.mark.usefixtures("english")
def test_rows_refused_not_half_accepted(cx, tmp_path):
    """A ';' row in a ',' file, a NUL in a name, a 128 KB cell: that row is rejected, the others kept."""
    header = ",".join(["participant", "segment", IDS[0], IDS[1]])
    lines = [header, "Jo,a,4,4", "Al;a;4;4", "Bo\x00b,a,4,4", f"Cy,{'x' * 131_073},4,4", "Di,b,5,5"]
    csv = tmp_path / "s.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cx("import", csv, "--out", tmp_path / "out", "--lang", "en")
    assert run.code == 2 and "2 new, 0 replaced, 0 unchanged, 3 rejected" in run.out
    assert "row 3, 1 cell(s) but the header has 4 columns; is this row separated by a semicolon?" in run.err
    assert "row 4, column 'participant': contains the control character U+0000" in run.err
    assert "row 5, column 'segment': 131073 characters; at most 65536" in run.err
    assert sorted(participants(tmp_path / "out")) == ["Di", "Jo"]
    assert all("\x00" not in p.read_text(encoding="utf-8") for p in imported(tmp_path / "out"))


@pytest.mark.usefixtures("english")
def test_tab_separated_and_forced_options(cx, tmp_path):
    csv = write_csv(tmp_path / "s.tsv", [["participant", IDS[0], IDS[1]], ["Jo, Jr", "4", "5"]], sep="\t")
    assert cx("import", csv, "--out", tmp_path / "out").code == 0
    assert participants(tmp_path / "out") == {"Jo, Jr": 4}
    run = cx("import", csv, "--out", tmp_path / "o2", "--delimiter", ";")
    assert run.code == 2 and "unknown column" in run.err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("participant;segment\nZoé;Équipe\n".encode("latin-1"))
    assert cx("import", latin, "--out", tmp_path / "o3", "--encoding", "latin-1").code == 0
    assert cx("import", latin, "--out", tmp_path / "o4", "--encoding", "nope").code == 2


def test_waves_stored_in_every_result(cx, tmp_path):
    csv = write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"], ["Al", "2"]])
    run = cx("import", csv, "--out", tmp_path / "out", "--org", "Acme", "--wave", "T0", "--date", "2026-03-12")
    assert run.code == 0, run.err
    loaded = [results.load(p) for p in imported(tmp_path / "out")]
    assert {(r.org, r.wave, r.wave_date, r.created_at[:10]) for r in loaded} == {
        ("Acme", "T0", "2026-03-12", "2026-03-12")
    }
    assert all(p.name.startswith("t0-") for p in imported(tmp_path / "out"))
    assert cx("import", csv, "--out", tmp_path / "o2", "--date", "12/03/2026").code == 2


def children_of(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)}


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.mark.usefixtures("english")
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the worker processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=["TERM", "HUP", "KILL"])
def test_a_stopped_import_leaves_no_worker_and_no_stage_behind(tmp_path, signum):
    from cxculture.survey import workers

    rows = [["participant", *IDS]] + [[f"p{i}", *("4" for _ in IDS)] for i in range(workers.PARALLEL_FROM)]
    csv = write_csv(tmp_path / "s.csv", rows)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cxculture", "import", str(csv), "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env())
    deadline = time.monotonic() + 60
    spawned: set[int] = set()
    while not spawned and process.poll() is None and time.monotonic() < deadline:
        spawned = children_of(process.pid)
        time.sleep(0.005)
    assert spawned, "the import ended before its workers could be seen"
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while alive(spawned) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(spawned), "worker processes outlived the import"
    if signum == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
        # a later run into the same folder removes what the killed one staged
        again = run_subprocess(
            "import", write_csv(tmp_path / "t.csv", [["participant", IDS[0]], ["Jo", "4"]]), "--out", out
        )
        assert again.code == 0, again.err
        assert hidden_leftovers(tmp_path) == [] and participants(out) == {"Jo": 4}
    else:
        assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
        assert sorted(p.name for p in tmp_path.iterdir()) == ["s.csv"]


def test_stale_stages_of_this_folder_only_are_removed(cx, tmp_path):
    out = tmp_path / "out"
    dead = tmp_path / ".out.importing-999999999-0abc"
    running = tmp_path / f".out.importing-{os.getppid()}-0abc"
    other = tmp_path / ".other.importing-999999999-0abc"
    for folder in (dead, running, other):
        folder.mkdir()
        (folder / "x.json").write_text("{}", encoding="utf-8")
    assert cx("import", write_csv(tmp_path / "s.csv", [["participant", IDS[0]], ["Jo", "4"]]), "--out", out).code == 0
    assert not dead.exists() and running.exists() and other.exists()


@pytest.mark.usefixtures("english")
def test_an_interrupted_publish_is_finished_by_running_again(cx, tmp_path, monkeypatch):
    """Killed while moving files into a folder that has some: running again never doubles a row."""
    from cxculture import fileio

    out = tmp_path / "out"
    first = [["ID", "participant", IDS[0]]] + [[str(i), f"p{i}", "3"] for i in range(6)]
    assert cx("import", write_csv(tmp_path / "a.csv", first[:3]), "--out", out).code == 0
    real_replace, moved = os.replace, []

    def dies_after_three(src, dst):
        if len(moved) == 3:
            raise KeyboardInterrupt
        moved.append(dst)
        real_replace(src, dst)

    corrected = [first[0]] + [[str(i), f"p{i}", "5"] for i in range(6)]
    monkeypatch.setattr(fileio.os, "replace", dies_after_three)
    run = cx("import", write_csv(tmp_path / "b.csv", corrected), "--out", out)
    assert run.code == 130 and "run the same command again" in run.err
    monkeypatch.setattr(fileio.os, "replace", real_replace)
    assert 2 <= len(participants(out)) < 6  # 3 files moved (new or replacing) before the stop
    run = cx("import", tmp_path / "b.csv", "--out", out)
    assert run.code == 0, run.err
    assert participants(out) == {f"p{i}": 5 for i in range(6)} and len(list(out.iterdir())) == 6
    assert hidden_leftovers(tmp_path) == [] and hidden_leftovers(out) == []
