"""Every bad input gets exit code 2, one clear line on stderr, and no lost file.

Each case builds its input in a temporary folder, runs the real CLI, and checks
the exit code, that stderr names the problem, that there is no traceback, and
that no file the user had was changed.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_subprocess
from cxculture.answers import from_data
from cxculture.errors import CxError
from cxculture.loading import Content, shipped_folder
from helpers import IDS

GOOD_ANSWERS = {"org": "Acme", "participant": "Jo", "answers": dict.fromkeys(IDS, 4)}


# Each case is a command line whose parts may be built in the test's folder: a part
# is a plain value, or a builder called with (folder, cx) just before the run.
Part = Callable[[Path, Callable[..., object]], object]


def answers_with(value):
    return json.dumps({"answers": {IDS[0]: value}})


def write(folder, name, data):
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def nested(depth):
    return '{"answers": ' + "[" * depth + "]" * depth + "}"


def at(name: str = "") -> Part:
    """The path ``name`` in the test's folder (the folder itself for ""), nothing created."""
    return lambda folder, _cx: folder / name


def file(name: str, data: str | bytes | Part) -> Part:
    """A file ``name`` holding ``data`` (or what the builder ``data`` gives)."""

    def build(folder, cx):
        return write(folder, name, data(folder, cx) if callable(data) else data)

    return build


def empty_folder(name: str) -> Part:
    def build(folder, _cx):
        (folder / name).mkdir()
        return folder / name

    return build


def saved_result(folder, cx, name="Jo"):
    answers = folder / f"{name}-answers.json"
    answers.write_text(json.dumps({**GOOD_ANSWERS, "participant": name}), encoding="utf-8")
    assert cx("assess", "--answers", answers, "--out", folder / "results", "--format", "json").code == 0
    return next((folder / "results").glob(f"acme-{name.lower()}-*.json"))


def result_folder() -> Part:
    """The folder of one good result file."""
    return lambda folder, cx: saved_result(folder, cx).parent


def result_text(cut: int | None = None, **changes: object) -> Part:
    """A good result's JSON, cut after ``cut`` characters or with ``changes`` to its fields."""

    def build(folder, cx):
        text = saved_result(folder, cx).read_text(encoding="utf-8")
        return text[:cut] if cut is not None else json.dumps({**json.loads(text), **changes})

    return build


def content_where(change: Callable[[Path], object]) -> Part:
    """A copy of the shipped content folder, broken by ``change``."""

    def build(folder, _cx):
        target = folder / "content"
        shutil.copytree(shipped_folder(), target)
        change(target)
        return target

    return build


def without(name: str) -> Callable[[Path], object]:
    return lambda content: (content / name).unlink()


def replaced(name: str, text: str) -> Callable[[Path], object]:
    return lambda content: (content / name).write_text(text, encoding="utf-8")


def edit_yaml(name: str, change: Callable[[dict], object]) -> Callable[[Path], object]:
    def apply(content):
        path = content / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    return apply


def answers_file(name: str, data: str | bytes) -> list:
    """``assess --answers FILE`` with FILE holding ``data``."""
    return ["assess", "--answers", file(name, data)]


def csv_import(text: str | bytes, *more: object, out: object = None) -> list:
    """``import SURVEY.csv --out DIR`` with the survey holding ``text``."""
    return ["import", file("s.csv", text), "--out", out if out is not None else at("o"), *more]


def python_tag() -> str:
    return "answers: !!python/object/apply:os.system ['touch PWNED']\n"


def drop_level_name_fr(data: dict) -> None:
    data["levels"][1]["name"].pop("fr")


def duplicate_first_statement_id(data: dict) -> None:
    data["statements"][1]["id"] = data["statements"][0]["id"]


def unknown_focus_area(data: dict) -> None:
    data["statements"][0]["focus_area"] = "ghost"


# (id, command line, text expected on stderr)
CASES = [
    ("answers-missing-file", ["assess", "--answers", at("nope.yaml")], "no such answers file"),
    ("answers-is-a-folder", ["assess", "--answers", at()], "is a folder"),
    ("answers-empty", answers_file("a.yaml", ""), "empty"),
    ("answers-binary", answers_file("a.yaml", b"\x89PNG\x00\xff\xfe"), "not UTF-8"),
    ("answers-invalid-yaml", answers_file("a.yaml", "answers: {a: ["), "invalid YAML"),
    ("answers-invalid-json", answers_file("a.json", '{"answers": '), "invalid JSON"),
    ("answers-a-list", answers_file("a.yaml", "- 1\n- 2\n"), "expected a mapping"),
    ("answers-not-mapping", answers_file("a.yaml", "answers: 3\n"), "answers: expected a mapping"),
    ("answers-python-tag", answers_file("a.yaml", python_tag()), "invalid YAML"),
    ("answers-10mb", answers_file("a.yaml", "#" * 10_000_000), "too large"),
    ("answers-deep-json", answers_file("a.json", nested(100_000)), "nested too deeply"),
    ("answers-unknown-id", answers_file("a.json", '{"answers": {"zz-top": 3}}'), "zz-top"),
    ("answers-zero", answers_file("a.json", answers_with(0)), f"answers.{IDS[0]}: 0"),
    ("answers-six", answers_file("a.json", answers_with(6)), f"answers.{IDS[0]}: 6"),
    ("answers-float", answers_file("a.json", answers_with(3.7)), "3.7 is not accepted"),
    ("answers-true", answers_file("a.json", answers_with(True)), "true is not accepted"),
    ("answers-five", answers_file("a.json", answers_with("five")), '"five" is not accepted'),
    ("answers-org-list", answers_file("a.yaml", "org: [1]\nanswers: {}\n"), "org: expected a text"),
    ("resume-missing", ["assess", "--resume", at("gone.partial.json")], "no such answers file"),
    (
        "answers-and-resume",
        [*answers_file("a.json", "{}"), "--resume", at("b.json"), "--lang", "en"],
        "cannot be used together",
    ),
    ("no-tty-no-answers", ["assess", "--out", at()], "--answers"),
    ("report-missing", ["report", at("none.json")], "no such result file"),
    ("report-truncated", ["report", file("r.json", result_text(cut=200))], "invalid JSON"),
    ("report-future-schema", ["report", file("r.json", result_text(schema_version=2))], "newer cxculture"),
    ("report-not-a-result", ["report", file("r.json", '{"hello": "world"}')], "not a cxculture result"),
    ("report-a-list", ["report", file("r.json", "[1, 2]")], "not a cxculture result"),
    ("report-bad-level-type", ["report", file("r.json", result_text(level="high"))], "level"),
    ("report-partial", ["report", file("p.partial.json", '{"partial": true, "answers": {}}')], "--resume"),
    ("workshop-no-file", ["workshop", at("nothing-here")], "nothing-here"),
    ("workshop-empty-folder", ["workshop", empty_folder("empty")], "empty"),
    ("workshop-one-corrupt", ["workshop", result_folder(), file("broken.json", "{not json")], "broken.json"),
    # 0x81 is neither UTF-8 here nor a Windows-1252 character
    ("import-not-text", csv_import(b"participant;\x81quipe\n"), "neither UTF-8 nor Windows-1252"),
    ("import-only-blank", csv_import(" \n\n"), "empty"),
    ("import-out-is-a-file", csv_import(f"{IDS[0]}\n4\n", out=file("o", "mine")), "is not a folder"),
    ("import-map-a-list", csv_import(f"{IDS[0]}\n4\n", "--map", file("m.yaml", "- a\n")), "columns"),
    (
        "import-map-bad-target",
        csv_import("Q\n4\n", "--map", file("m.yaml", "columns: {Q: ghost}\n")),
        "'ghost'",
    ),
    ("import-ragged-quotes", csv_import(f'{IDS[0]}\n"4\n'), "row"),
    ("content-missing-folder", ["--content", at("nope"), "levels"], "content folder not found"),
    (
        "content-missing-file",
        ["--content", content_where(without("levels.yaml")), "levels"],
        "levels.yaml: file missing",
    ),
    (
        "content-broken-yaml",
        ["--content", content_where(replaced("pillars.yaml", "a: [")), "pillars"],
        "pillars.yaml: invalid YAML",
    ),
    (
        "content-missing-translation",
        ["--content", content_where(edit_yaml("levels.yaml", drop_level_name_fr)), "levels"],
        "levels[1].name: no 'fr' text",
    ),
    (
        "content-duplicate-ids",
        ["--content", content_where(edit_yaml("questionnaire.yaml", duplicate_first_statement_id)), "questions"],
        "duplicate id",
    ),
    (
        "content-undefined-focus-area",
        ["--content", content_where(edit_yaml("questionnaire.yaml", unknown_focus_area)), "questions"],
        "'ghost' is not defined in levels.yaml",
    ),
    ("export-over-existing", ["guide", "--level", "2", "--export", file("mine.md", "my notes")], "--force"),
    ("export-missing-folder", ["guide", "--level", "2", "--export", at("no/x.md")], "does not exist"),
    ("lang-out-of-range", ["pillars", "--lang", "de"], "fr | en"),
    ("level-out-of-range", ["guide", "--level", "9"], "use 1, 2, 3, 4 or 5"),
    ("format-unknown", ["assess", "--format", "xml"], "text, json, md"),
]


def snapshot(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("command", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(cx, tmp_path, monkeypatch, command, expected):
    monkeypatch.chdir(tmp_path)
    argv = [part(tmp_path, cx) if callable(part) else part for part in command]
    before = snapshot(tmp_path)
    result = cx(*argv)
    assert result.code == 2, result.err
    assert expected in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) <= 2
    after = snapshot(tmp_path)
    assert {p: after.get(p) for p in before} == before  # nothing the user had was changed
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("name", ["Zoë 🚀 Café", "שלום עולם", "株式会社テスト", "ʻOkina\u200d"])
def test_names_in_any_script(cx, tmp_path, name):
    path = write(tmp_path, "a.json", json.dumps({**GOOD_ANSWERS, "org": name, "participant": name}))
    result = cx("assess", "--answers", path, "--out", tmp_path / "r", "--format", "json")
    assert result.code == 0, result.err
    saved = next((tmp_path / "r").glob("*.json"))
    assert json.loads(saved.read_text(encoding="utf-8"))["org"] == name
    assert cx("report", saved, "--format", "md").code == 0


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (["guide", "--level", "3", "--export", "guide.md"], "guide.md"),
        (["assess", "--answers", "a.json", "--out", "results", "--format", "json"], "results/"),
        (["assess", "--answers", "a.json", "--no-save", "--export", "mine.md", "--force"], "mine.md"),
    ],
    ids=["export", "result", "export-over-own-file"],
)
def test_a_failing_disk_is_a_clear_error_and_loses_nothing(tmp_path, command, written):
    write(tmp_path, "a.json", json.dumps(GOOD_ANSWERS))
    write(tmp_path, "mine.md", "my notes")
    before = snapshot(tmp_path)
    run = run_subprocess(*command, cwd=tmp_path, max_file_bytes=1000)
    assert run.code == 2, run.err
    assert f"{written}" in run.err and "cannot write it" in run.err and "Traceback" not in run.err
    assert snapshot(tmp_path) == before  # no half-written file, no temporary file left behind


def test_written_files_follow_the_umask(cx, tmp_path):
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    assert cx("guide", "--level", "3", "--export", tmp_path / "guide.md").code == 0
    assert (tmp_path / "guide.md").stat().st_mode & 0o777 == 0o666 & ~mask


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS) | st.text(max_size=8), json_values, max_size=6))
def test_answers_loader_loads_or_fails_with_the_project_error(answers):
    questionnaire = Content().questionnaire
    try:
        given, _ = from_data({"answers": answers}, questionnaire, "answers.json")
    except CxError as error:
        assert "answers" in str(error)  # noqa: PT017 - a property: either outcome is checked
    else:
        assert all(v is None or (type(v) is int and 1 <= v <= 5) for v in given.answers.values())


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_document_is_an_answers_file_or_a_clear_error(data):
    with contextlib.suppress(CxError):
        from_data(data, Content().questionnaire, "answers.json")
