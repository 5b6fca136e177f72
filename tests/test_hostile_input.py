"""Inputs made by an attacker: they must not run code, hijack the terminal, exhaust the machine or lose a file.

Each case runs the real CLI on a hostile input and checks the exit code, a
single clear line on stderr, and that nothing the user had changed. Cases that
could exhaust the machine run in a subprocess limited to 200 MB of address
space, with a timeout as a guard (not a timing assert).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Run, clean_env
from cxculture.answers import question_ids
from cxculture.loading import Content, shipped_folder

IDS = question_ids(Content().questionnaire)
GOOD = {"org": "Acme", "participant": "Jo", "answers": dict.fromkeys(IDS, 4)}
MEMORY_LIMIT = 200 << 20

# 342 bytes that expand to 9^9 (387 million) strings.
LOL = '"lol"'
ALIAS_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}' if prev else LOL] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def run_bounded(*args: object, cwd: Path | None = None, env: dict | None = None) -> Run:
    """``python -m cxculture ARGS`` with at most 200 MB of memory and a generous time guard."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    done = subprocess.run(
        [sys.executable, "-m", "cxculture", *map(str, args)],
        preexec_fn=limit,
        cwd=cwd,
        env=env or clean_env(CXCULTURE_CACHE_DIR=""),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=30,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def snapshot(folder: Path) -> dict:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}


def one_clear_line(run: Run, expected: str, code: int = 2) -> None:
    assert run.code == code, run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert expected in lines[0], run.err
    assert "Traceback" not in run.err and "unexpected error" not in run.err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def good_result(folder: Path) -> Path:
    answers = write(folder, "good.json", json.dumps(GOOD))
    run = run_bounded("assess", "--answers", answers, "--out", folder / "results", "--format", "json")
    assert run.code == 0, run.err
    return next((folder / "results").glob("acme-jo-*.json"))


def content_with(folder: Path, name: str, text: str) -> Path:
    target = folder / "content"
    shutil.copytree(shipped_folder(), target)
    (target / name).write_text(text, encoding="utf-8")
    return target


def map_csv(folder: Path) -> Path:
    return write(folder, "survey.csv", "Org," + ",".join(IDS) + "\nAcme," + ",".join(["4"] * len(IDS)) + "\n")


# --- bounded memory and time: bombs, depth, endless files --------------------

DEEP_YAML = "answers: " + "[" * 30_000 + "]" * 30_000 + "\n"
DEEP_JSON = '{"answers": ' + "[" * 30_000 + "]" * 30_000 + "}"

BOMBS = [
    ("alias-bomb-answers", lambda t: ["assess", "--answers", write(t, "a.yaml", ALIAS_BOMB)], "aliases"),
    (
        "alias-bomb-answer-value",
        lambda t: ["assess", "--answers", write(t, "a.yaml", ALIAS_BOMB + f"answers: {{{IDS[0]}: *i}}\n")],
        "aliases",
    ),
    (
        "alias-bomb-map",
        lambda t: ["import", map_csv(t), "--out", t / "out", "--map", write(t, "map.yaml", ALIAS_BOMB)],
        "aliases",
    ),
    ("alias-bomb-content", lambda t: ["--content", content_with(t, "ui.yaml", ALIAS_BOMB), "levels"], "aliases"),
    ("deep-yaml-answers", lambda t: ["assess", "--answers", write(t, "a.yaml", DEEP_YAML)], "nested too deeply"),
    ("deep-json-answers", lambda t: ["assess", "--answers", write(t, "a.json", DEEP_JSON)], "nested too deeply"),
    ("deep-json-result", lambda t: ["report", write(t, "r.json", DEEP_JSON)], "nested too deeply"),
    ("deep-json-compare", lambda t: ["compare", write(t, "a.json", DEEP_JSON), good_result(t)], "nested too deeply"),
    ("deep-yaml-content", lambda t: ["--content", content_with(t, "levels.yaml", DEEP_YAML), "levels"], "nested"),
    (
        "deep-yaml-map",
        lambda t: ["import", map_csv(t), "--out", t / "o", "--map", write(t, "m.yaml", DEEP_YAML)],
        "nest",
    ),
]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("setup", "expected"), [c[1:] for c in BOMBS], ids=[c[0] for c in BOMBS])
def test_security_bombs_are_refused_in_bounded_memory(tmp_path, setup, expected):
    argv = setup(tmp_path)
    before = snapshot(tmp_path)
    run = run_bounded(*argv, cwd=tmp_path)
    one_clear_line(run, expected)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "out").exists()


def zero_link(folder: Path, name: str) -> Path:
    link = folder / name
    link.symlink_to("/dev/zero")
    return link


def fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


ENDLESS = [
    ("dev-zero-answers", lambda t: ["assess", "--answers", zero_link(t, "a.yaml")]),
    ("dev-zero-result", lambda t: ["report", zero_link(t, "r.json")]),
    ("dev-zero-compare", lambda t: ["compare", zero_link(t, "a.json"), zero_link(t, "b.json")]),
    ("dev-zero-workshop", lambda t: ["workshop", zero_link(t, "a.json")]),
    ("dev-zero-map", lambda t: ["import", map_csv(t), "--out", t / "out", "--map", zero_link(t, "m.yaml")]),
    ("dev-zero-csv", lambda t: ["import", zero_link(t, "s.csv"), "--out", t / "out"]),
    ("fifo-answers", lambda t: ["assess", "--answers", fifo(t, "a.json")]),
    ("fifo-result", lambda t: ["report", fifo(t, "r.json")]),
]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("setup", [c[1] for c in ENDLESS], ids=[c[0] for c in ENDLESS])
def test_security_endless_files_are_refused_before_reading(tmp_path, setup):
    run = run_bounded(*setup(tmp_path), cwd=tmp_path)
    one_clear_line(run, "not a regular file")
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("english")
def test_security_endless_content_file_is_refused(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(shipped_folder(), target)
    (target / "levels.yaml").unlink()
    (target / "levels.yaml").symlink_to("/dev/zero")
    run = run_bounded("--content", target, "guide", "--level", "2")
    one_clear_line(run, "not a regular file")


# --- bad input refused, not half-accepted ------------------------------------


def bad_result(folder: Path, **change: object) -> Path:
    data = json.loads(good_result(folder).read_text(encoding="utf-8"))
    data.update(change)
    return write(folder, "bad.json", json.dumps(data))


def workshop_file(folder: Path, score: str) -> Path:
    areas = ", ".join(
        f'{{"id": "{area.id}", "score": {score}, "met": false}}' for _, area in Content().levels.focus_areas()
    )
    return write(
        folder, f"w{len(list(folder.iterdir()))}.json", f'{{"participants": 3, "level": 2, "focus_areas": [{areas}]}}'
    )


REFUSED = [
    (
        "duplicate-key-answers",
        lambda t: ["assess", "--answers", write(t, "a.yaml", "org: A\norg: B\nanswers: {}\n")],
        "duplicate key 'org'",
    ),
    (
        "duplicate-key-content",
        lambda t: ["--content", content_with(t, "pillars.yaml", "intro: {}\nintro: {}\n"), "pillars"],
        "duplicate key 'intro'",
    ),
    ("schema-version-true", lambda t: ["report", bad_result(t, schema_version=True)], "schema_version True"),
    ("schema-version-float", lambda t: ["report", bad_result(t, schema_version=1.0)], "schema_version 1.0"),
    ("nan-in-result", lambda t: ["report", write(t, "r.json", '{"schema_version": NaN}')], "NaN"),
    ("nan-workshop-compare", lambda t: ["compare", workshop_file(t, "NaN"), workshop_file(t, "3")], "NaN"),
    ("inf-workshop-compare", lambda t: ["compare", workshop_file(t, "Infinity"), workshop_file(t, "3")], "Infinity"),
    ("huge-workshop-score", lambda t: ["compare", workshop_file(t, "1e999"), workshop_file(t, "3")], "score (1 to 5"),
    (
        "nul-in-name",
        lambda t: ["assess", "--answers", write(t, "a.json", json.dumps({**GOOD, "org": "Ac\x00me"}))],
        "U+0000",
    ),
    (
        "escape-in-option",
        lambda t: ["assess", "--answers", write(t, "a.json", json.dumps(GOOD)), "--org", "\x1b]8;;x\x07A"],
        "--org: contains the control character U+001B",
    ),
    (
        "escape-in-name",
        lambda t: ["assess", "--answers", write(t, "a.json", json.dumps({**GOOD, "participant": "\x1b[2J"}))],
        "U+001B",
    ),
]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("setup", "expected"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_bad_input_is_refused_not_half_accepted(tmp_path, setup, expected):
    argv = setup(tmp_path)
    before = snapshot(tmp_path)
    run = run_bounded(*argv, "--format", "json", cwd=tmp_path)
    one_clear_line(run, expected)
    assert run.out == ""
    assert snapshot(tmp_path) == before


# --- no code or text from a cache another user could write -------------------

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def guide_json(cx) -> str:
    run = cx("guide", "--level", "1", "--format", "json", "--lang", "en")
    assert run.code == 0, run.err
    return run.out


def tamper(files: list[Path], old: bytes, new: bytes) -> None:
    for path in files:
        path.write_bytes(path.read_bytes().replace(old, new))


@pytest.mark.parametrize("how", ["others-can-write", "another-owner", "symlink", "folder-others-can-write"])
def test_security_planted_content_cache_is_ignored(cx, tmp_path, monkeypatch, how):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CXCULTURE_CACHE_DIR", str(cache))
    name = Content().levels.level(1).name("en").encode()
    assert name.isascii()
    guide_json(cx)
    files = list(cache.glob("*.marshal"))
    assert files and not list(cache.glob("*.pickle"))
    tamper(files, name, b"X" * len(name))
    assert "X" * len(name) in guide_json(cx)  # the user's own cache is used: the test can fail
    if how == "others-can-write":
        for path in files:
            path.chmod(0o666)
    elif how == "another-owner":
        if not IS_ROOT:
            pytest.skip("needs root to give a file to another user")
        for path in files:
            os.chown(path, 65534, 65534)
    elif how == "symlink":
        for path in files:
            target = tmp_path / path.name
            path.rename(target)
            path.symlink_to(target)
    else:
        cache.chmod(0o777)
        monkeypatch.setattr("cxculture.cache._tighten", lambda path: None)
    out = guide_json(cx)
    assert name.decode() in out and "X" * len(name) not in out


def test_security_planted_pickle_never_runs(cx, tmp_path, monkeypatch):
    """The old cache format: a pickle calling os.system is never read."""
    import pickle

    cache = tmp_path / "cache"
    monkeypatch.setenv("CXCULTURE_CACHE_DIR", str(cache))
    guide_json(cx)

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'PWNED'}",))

    for path in list(cache.glob("*.marshal")):
        path.with_suffix(".pickle").write_bytes(pickle.dumps(Payload()))
        path.write_bytes(pickle.dumps(Payload()))  # in place of our own file too
    guide_json(cx)
    cx("assess", "--answers", write(tmp_path, "a.json", json.dumps(GOOD)), "--no-save")
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("how", ["own", "others-can-write", "another-owner"])
def test_security_planted_screen_is_not_printed(tmp_path, how):
    cache = tmp_path / "cache"
    env = clean_env(CXCULTURE_CACHE_DIR=str(cache))
    first = run_bounded("guide", "--level", "3", env=env)
    assert first.code == 0
    screens = list((cache / "screens").glob("*.txt"))
    assert len(screens) == 1
    screens[0].write_text("\x1b[2J\x1b]8;;http://evil.example\x07PLANTED\x1b]8;;\x07\n", encoding="utf-8")
    if how == "others-can-write":
        screens[0].chmod(0o646)
    elif how == "another-owner":
        if not IS_ROOT:
            pytest.skip("needs root to give a file to another user")
        os.chown(screens[0], 65534, 65534)
    again = run_bounded("guide", "--level", "3", env=env)
    assert again.code == 0
    if how == "own":  # the user's own cache is used: the test can fail
        assert "PLANTED" in again.out
    else:
        assert again.out == first.out


# --- labels are plain str.format fields only ---------------------------------

LABELS = [
    ("{org.__class__.__mro__}", "not accepted"),
    ("{org.__init__.__globals__}", "not accepted"),
    ("{participant:>900000000}", "not accepted"),
    ("{org!r}", "not accepted"),
    ("{0}", "not accepted"),
    ("{}", "not accepted"),
    ("{secret}", "unknown field {secret}"),
    ("{org", "a lone brace"),
]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(("label", "expected"), LABELS)
def test_security_label_patterns_are_plain_fields(tmp_path, label, expected):
    target = tmp_path / "content"
    shutil.copytree(shipped_folder(), target)
    ui = target / "ui.yaml"
    original = '  result.who: {fr: "{org} · {participant}", en: "{org} · {participant}"}'
    text = ui.read_text(encoding="utf-8")
    assert original in text
    ui.write_text(text.replace(original, f"  result.who: {{fr: {json.dumps(label)}, en: {json.dumps(label)}}}"))
    check = run_bounded("content", "check", target)
    assert check.code == 2
    assert "labels.result.who.fr" in check.err and expected in check.err, check.err
    answers = write(tmp_path, "a.json", json.dumps(GOOD))
    run = run_bounded("--content", target, "assess", "--answers", answers, "--no-save", cwd=tmp_path)
    assert run.code == 2 and "labels.result.who" in run.err
    assert "Traceback" not in run.err and "__mro__" not in run.out


# --- no escape sequence from data reaches a terminal or a file ---------------

HOSTILE = [
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x1b[31mred\x1b[0m",  # colours
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",  # OSC 8 hyperlink
    "bell\x07",
    "c1\x9b2J",  # C1 CSI
    "\u202eevil\u202c",  # right-to-left override
    "lone\ud800surrogate",  # from JSON "\\ud800": no file or terminal can encode it
]
SGR = re.compile(r"\x1b\[[0-9;]*m")  # Rich's own styles, when colours are on
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def assert_clean(text: str) -> None:
    found = CONTROL.search(SGR.sub("", text))
    assert found is None, repr(text[max(0, found.start() - 20) : found.end() + 20])


def pptx_text(path: Path) -> str:
    from pptx import Presentation

    deck = Presentation(str(path))
    return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)


def hostile_result(folder: Path, cx, name: str, segment: str = "", org: str = "") -> Path:
    answers = write(folder, "good.json", json.dumps(GOOD))
    assert cx("assess", "--answers", answers, "--out", folder / "r", "--format", "json").code == 0
    saved = next((folder / "r").glob("acme-jo-*.json"))
    data = json.loads(saved.read_text(encoding="utf-8"))
    data.update(org=org or name, participant=name, segment=segment or name)
    path = folder / f"hostile-{len(list(folder.glob('hostile-*')))}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    saved.unlink()
    return path


@pytest.mark.parametrize("name", HOSTILE, ids=["clear", "colour", "osc8", "bel", "c1", "bidi", "surrogate"])
def test_security_escapes_in_names_never_reach_the_output(cx, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    result = hostile_result(tmp_path, cx, name)
    for fmt in ("text", "md", "json"):
        run = cx("report", result, "--format", fmt)
        assert run.code == 0, run.err
        assert_clean(run.out)
        assert_clean(run.err)
    assert json.loads(cx("report", result, "--format", "json").out)["org"] == name  # JSON escapes, same value
    for export in ("r.md", "r.html", "r.json"):
        assert cx("report", result, "--export", tmp_path / export).code == 0
        assert_clean((tmp_path / export).read_text(encoding="utf-8"))
    assert cx("report", result, "--export", tmp_path / "r.pptx").code == 0
    assert_clean(pptx_text(tmp_path / "r.pptx"))
    group = [hostile_result(tmp_path, cx, n, segment=s, org="Acme") for n, s in ((name, "A"), ("Jo", name))]
    run = cx("workshop", *group, "--by-segment")
    assert run.code == 0, run.err
    assert_clean(run.out + run.err)


def test_security_escapes_with_colours_on(tmp_path, monkeypatch):
    """On a colour terminal, Rich's own styles are the only escape sequences."""
    from conftest import run_subprocess

    monkeypatch.chdir(tmp_path)
    results = [hostile_result(tmp_path, lambda *a: run_bounded(*a, cwd=tmp_path), n, org="Acme") for n in HOSTILE[:3]]
    env = clean_env(FORCE_COLOR="1", CXCULTURE_CACHE_DIR="")
    env.pop("NO_COLOR")
    run = run_subprocess("workshop", *results, "--by-segment", cwd=tmp_path, env=env)
    assert run.code == 0, run.err
    assert SGR.search(run.out)  # colours are on: the check below can fail
    assert_clean(run.out + run.err)


@pytest.mark.parametrize(
    "name", [*HOSTILE[:-1], "two\nlines"], ids=["clear", "colour", "osc8", "bel", "c1", "bidi", "nl"]
)
def test_security_escapes_in_file_names_never_reach_stderr(cx, tmp_path, name):
    path = tmp_path / f"{name.replace('/', '_')}.json"
    run = cx("report", path)
    assert run.code == 2
    assert_clean(run.err)
    assert len(run.err.strip().splitlines()) == 1
    path.write_text("{}", encoding="utf-8")
    run = cx("compare", path, path)
    assert run.code == 2 and len(run.err.strip().splitlines()) == 1
    assert_clean(run.err)


def test_security_escapes_in_content_never_reach_the_output(cx, tmp_path):
    target = tmp_path / "content"
    shutil.copytree(shipped_folder(), target)
    levels = target / "levels.yaml"
    name = Content().levels.level(1).name("en")
    text = levels.read_text(encoding="utf-8")
    assert text.count(name) >= 1
    levels.write_text(text.replace(name, name + " \\e[2J \\e]8;;http://x\\a link \\u009b", 1), encoding="utf-8")
    for argv in (["guide", "--level", "1"], ["guide", "--level", "1", "--format", "md"], ["levels"]):
        run = cx("--content", target, *argv, "--lang", "en")
        assert run.code == 0, run.err
        assert "link" in run.out or argv == ["levels"]
        assert_clean(run.out)


# --- no file of the user's is lost --------------------------------------------


def interrupted_after(tmp_path: Path, given: int, *args: str, stop=None) -> tuple[Path, int]:
    """Answer ``given`` questions in a real terminal, then stop (Ctrl-C by default); the partial and exit code."""
    import pexpect

    from test_assess_interactive import CHOICES_DRAWN, TOTAL, answer, give_names, spawn

    child = spawn(tmp_path, "--lang", "en", *args)
    if not args:
        give_names(child, "Acme", "Jo", "")
    first = 1 if not args else None
    if first is None:
        child.expect(r"Question (\d+)/")
        first = int(child.match.group(1))
        child.expect(CHOICES_DRAWN)
        child.send("3\r")
        first, given = first + 1, given - 1
    for number in range(first, first + given):
        answer(child, number, "3")
    child.expect(rf"Question {first + given}/{TOTAL}\b")
    child.expect(CHOICES_DRAWN)
    (stop or child.sendintr)() if stop is None else stop(child)
    child.expect(r"kept in (\S+\.partial\.json)")
    partial = Path(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    return (partial if partial.is_absolute() else tmp_path / partial), child.exitstatus


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_terminate_and_hang_up_keep_the_answers_like_ctrl_c(tmp_path, signal_name):
    import signal

    partial, code = interrupted_after(tmp_path, 3, stop=lambda child: child.kill(getattr(signal, signal_name)))
    assert code == 130
    data = json.loads(partial.read_text(encoding="utf-8"))
    assert data["partial"] is True and data["answers"] == dict.fromkeys(IDS[:3], 3)


def test_resume_then_interrupt_updates_the_partial_in_place(tmp_path):
    first, _ = interrupted_after(tmp_path, 2)
    again, code = interrupted_after(tmp_path, 2, "--resume", str(first))
    assert code == 130 and again == first
    assert list((tmp_path / "out").iterdir()) == [first]  # no stale copy that could be resumed twice
    assert json.loads(first.read_text(encoding="utf-8"))["answers"] == dict.fromkeys(IDS[:4], 3)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("kind", ["answers", "result", "partial-name-only"])
def test_resume_refuses_a_file_that_is_not_its_partial_and_keeps_it(cx, tmp_path, kind):
    if kind == "answers":
        path = write(tmp_path, "answers.json", json.dumps(GOOD))
    elif kind == "result":
        assert cx("assess", "--answers", write(tmp_path, "a.json", json.dumps(GOOD)), "--out", tmp_path / "r").code == 0
        path = next((tmp_path / "r").glob("*.json"))
    else:
        path = write(tmp_path, "mine.partial.json", json.dumps(GOOD))
    before = snapshot(tmp_path)
    run = cx("assess", "--resume", path, "--out", tmp_path / "out")
    one_clear_line(run, "not a partial file")
    assert snapshot(tmp_path) == before and not (tmp_path / "out").exists()


@pytest.mark.usefixtures("english")
def test_an_unusable_out_is_refused_before_the_first_question(cx, tmp_path):
    blocker = write(tmp_path, "not-a-folder", "mine")
    run = cx("assess", "--out", blocker / "results", "--org", "Acme")
    one_clear_line(run, "is not a folder")
    assert blocker.read_text(encoding="utf-8") == "mine"


@pytest.mark.usefixtures("english")
def test_a_result_that_cannot_be_saved_keeps_its_answers_and_is_shown(cx, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocker = write(tmp_path, "not-a-folder", "mine")
    answers = write(tmp_path, "a.json", json.dumps(GOOD))
    run = cx("assess", "--answers", answers, "--out", blocker / "results", "--format", "json")
    assert run.code == 2
    assert json.loads(run.out)["level"] in range(1, 6)  # the result is still shown
    line = run.err.strip()
    assert len(line.splitlines()) == 1 and "answers are kept in" in line
    (kept,) = tmp_path.glob("*.partial.json")
    assert str(kept.name) in line
    assert json.loads(kept.read_text(encoding="utf-8"))["answers"] == GOOD["answers"]
    again = cx("assess", "--answers", kept, "--out", tmp_path / "results", "--format", "json")
    assert again.code == 0, again.err
    assert json.loads(again.out) | {"created_at": None} == json.loads(run.out) | {"created_at": None}


def test_twenty_runs_creating_the_same_out_folder_all_succeed(tmp_path):
    import threading

    from cxculture import fileio

    out = tmp_path / "new" / "results"
    start = threading.Barrier(20)
    made: list[Path] = []

    def one(n: int) -> None:
        start.wait()
        made.append(fileio.write_new(out, "acme-jo", ".json", str(n)))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 20 and len(list(out.iterdir())) == 20


def special_target(folder: Path, kind: str) -> Path:
    if kind == "fifo":
        return fifo(folder, "report.md")
    link = folder / "report.md"
    link.symlink_to("/dev/null" if kind == "link-to-device" else folder / "nowhere" / "x")
    return link


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("kind", ["fifo", "link-to-device"])
def test_force_replaces_regular_files_only(cx, tmp_path, kind):
    result = good_result(tmp_path)
    target = special_target(tmp_path, kind)
    before = os.lstat(target)
    run = cx("report", result, "--export", target, "--force")
    one_clear_line(run, "not a regular file")
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_force_still_replaces_a_regular_file(cx, tmp_path):
    result = good_result(tmp_path)
    target = write(tmp_path, "report.md", "old")
    assert cx("report", result, "--export", target, "--force").code == 0
    assert target.read_text(encoding="utf-8") != "old"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("option", ["--export", "--out", "--answers", "workshop", "compare", "report"])
def test_a_name_too_long_for_the_file_system_is_one_clear_line(cx, tmp_path, monkeypatch, option):
    monkeypatch.chdir(tmp_path)  # where the answers of an unsaved result are kept
    long_name = tmp_path / ("x" * 300 + ".md")
    answers = write(tmp_path, "a.json", json.dumps(GOOD))
    argv = {
        "--export": ["assess", "--answers", answers, "--no-save", "--export", long_name],
        "--out": ["assess", "--answers", answers, "--out", long_name],
        "--answers": ["assess", "--answers", long_name.with_suffix(".json")],
        "workshop": ["workshop", long_name.with_suffix(".json")],
        "compare": ["compare", long_name.with_suffix(".json"), answers],
        "report": ["report", long_name.with_suffix(".json")],
    }[option]
    run = cx(*argv)
    one_clear_line(run, "too long")


# --- every environment gets exit 0 or one clear line -------------------------


def run_shell(command: str, tmp_path: Path, **env: str) -> Run:
    """A shell command line with ``CX`` (this interpreter's cxculture) as a user would type it."""
    cx = f"{sys.executable} -m cxculture"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.replace("CX", cx)],
        cwd=tmp_path,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.mark.parametrize(
    "command", ["CX guide --level 3 | head -1", "CX guide --level 3 --format md | head -1", "CX --help | head -1"]
)
def test_a_broken_pipe_is_silent(tmp_path, command):
    run = run_shell(command, tmp_path)
    assert run.code == 0, run.err
    assert run.err == "" and len(run.out.splitlines()) == 1


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [("> /dev/full", "No space left on device"), (">&-", "standard output is closed")],
)
@pytest.mark.parametrize("argv", ["levels", "guide --level 3 --format json", "guide --level 2 --format md"])
def test_output_that_cannot_be_written_is_one_clear_line(tmp_path, redirect, reason, argv):
    run = run_shell(f"CX {argv} {redirect}", tmp_path)
    one_clear_line(run, f"cannot write the output ({reason})", code=1)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("argv", [["levels"], ["guide", "--level", "3"], ["pillars", "--lang", "en"]])
def test_a_terminal_that_is_not_utf8_gets_ascii_symbols(tmp_path, encoding, argv):
    done = subprocess.run(
        [sys.executable, "-m", "cxculture", *argv],
        env=clean_env(PYTHONIOENCODING=encoding),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode(encoding)
    assert len(text.splitlines()) > 5 and "?" * 3 not in text
    if encoding == "ascii" and argv[0] == "guide":
        assert "Niveau 3 . Responsabilite partagee" in text  # accents dropped, symbols as ASCII


def test_a_zero_or_nonsense_width_still_prints(tmp_path):
    for columns in ("0", "-5", "abc"):
        run = run_shell("CX guide --level 3", tmp_path, COLUMNS=columns)
        assert run.code == 0 and "Niveau 3" in run.out, (columns, run.err)


@pytest.mark.parametrize("kind", ["read-only", "a-file", "no-permission-parent", "dangling-link"])
def test_an_unusable_cache_folder_is_no_error(tmp_path, kind):
    cache = tmp_path / "cache"
    if kind == "read-only":
        cache.mkdir(mode=0o500)
    elif kind == "a-file":
        cache.write_text("not a folder", encoding="utf-8")
    elif kind == "no-permission-parent":
        cache = tmp_path / "file" / "cache"
        (tmp_path / "file").write_text("x", encoding="utf-8")
    else:
        cache.symlink_to(tmp_path / "nowhere")
    answers = write(tmp_path, "a.json", json.dumps(GOOD))
    for argv in (["guide", "--level", "3"], ["levels"], ["assess", "--answers", answers, "--no-save"]):
        run = run_bounded(*argv, env=clean_env(CXCULTURE_CACHE_DIR=str(cache)))
        assert run.code == 0 and run.err == "", (argv, run.err)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("depth", [60, 500, 5_000])
def test_deeply_nested_answer_values_are_one_clear_line(tmp_path, depth):
    value = "[" * depth + "1" + "]" * depth
    as_json = f'{{"answers": {{"{IDS[0]}": {value}}}}}'
    for name, text in (("a.json", as_json), ("a.yaml", f"answers:\n  {IDS[0]}: {value}\n")):
        run = run_bounded("assess", "--answers", write(tmp_path, name, text), "--no-save", cwd=tmp_path)
        one_clear_line(run, IDS[0] if depth < 64 else "nested too deeply")
