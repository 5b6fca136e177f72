"""Every bad input gets exit code 2, one clear line on stderr, and no lost file.

Each case builds its input in a temporary folder, runs the real CLI, and checks
the exit code, that stderr names the problem, that there is no traceback, and
that no file the user had was changed.
"""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_subprocess
from cxculture.answers import from_data, question_ids
from cxculture.errors import CxError
from cxculture.loading import Content, shipped_folder

IDS = question_ids(Content().questionnaire)
GOOD_ANSWERS = {"org": "Acme", "participant": "Jo", "answers": dict.fromkeys(IDS, 4)}


def good_result(folder, cx, name="Jo"):
    answers = folder / f"{name}-answers.json"
    answers.write_text(json.dumps({**GOOD_ANSWERS, "participant": name}), encoding="utf-8")
    assert cx("assess", "--answers", answers, "--out", folder / "results", "--format", "json").code == 0
    return next((folder / "results").glob(f"acme-{name.lower()}-*.json"))


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


def broken_content(folder, change):
    target = folder / "content"
    shutil.copytree(shipped_folder(), target)
    change(target)
    return target


def edit_yaml(name, change):
    def apply(folder):
        path = folder / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    return apply


# (id, setup(tmp, cx) -> argv, text expected on stderr)
CASES = [
    ("answers-missing-file", lambda t, cx: ["assess", "--answers", t / "nope.yaml"], "no such answers file"),
    ("answers-is-a-folder", lambda t, cx: ["assess", "--answers", t], "is a folder"),
    ("answers-empty", lambda t, cx: ["assess", "--answers", write(t, "a.yaml", "")], "empty"),
    ("answers-binary", lambda t, cx: ["assess", "--answers", write(t, "a.yaml", b"\x89PNG\x00\xff\xfe")], "not UTF-8"),
    (
        "answers-invalid-yaml",
        lambda t, cx: ["assess", "--answers", write(t, "a.yaml", "answers: {a: [")],
        "invalid YAML",
    ),
    ("answers-invalid-json", lambda t, cx: ["assess", "--answers", write(t, "a.json", '{"answers": ')], "invalid JSON"),
    ("answers-a-list", lambda t, cx: ["assess", "--answers", write(t, "a.yaml", "- 1\n- 2\n")], "expected a mapping"),
    (
        "answers-not-mapping",
        lambda t, cx: ["assess", "--answers", write(t, "a.yaml", "answers: 3\n")],
        "answers: expected a mapping",
    ),
    (
        "answers-python-tag",
        lambda t, cx: [
            "assess",
            "--answers",
            write(t, "a.yaml", "answers: !!python/object/apply:os.system ['touch PWNED']\n"),
        ],
        "invalid YAML",
    ),
    ("answers-10mb", lambda t, cx: ["assess", "--answers", write(t, "a.yaml", "#" * 10_000_000)], "too large"),
    (
        "answers-deep-json",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", nested(100_000))],
        "nested too deeply",
    ),
    (
        "answers-unknown-id",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", '{"answers": {"zz-top": 3}}')],
        "zz-top",
    ),
    (
        "answers-zero",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", answers_with(0))],
        f"answers.{IDS[0]}: 0",
    ),
    ("answers-six", lambda t, cx: ["assess", "--answers", write(t, "a.json", answers_with(6))], f"answers.{IDS[0]}: 6"),
    (
        "answers-float",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", answers_with(3.7))],
        "3.7 is not accepted",
    ),
    (
        "answers-true",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", answers_with(True))],
        "true is not accepted",
    ),
    (
        "answers-five",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", answers_with("five"))],
        '"five" is not accepted',
    ),
    (
        "answers-org-list",
        lambda t, cx: ["assess", "--answers", write(t, "a.yaml", "org: [1]\nanswers: {}\n")],
        "org: expected a text",
    ),
    ("resume-missing", lambda t, cx: ["assess", "--resume", t / "gone.partial.json"], "no such answers file"),
    (
        "answers-and-resume",
        lambda t, cx: ["assess", "--answers", write(t, "a.json", "{}"), "--resume", t / "b.json"],
        "cannot be used together",
    ),
    ("no-tty-no-answers", lambda t, cx: ["assess", "--out", t], "--answers"),
    ("report-missing", lambda t, cx: ["report", t / "none.json"], "no such result file"),
    (
        "report-truncated",
        lambda t, cx: ["report", write(t, "r.json", good_result(t, cx).read_text()[:200])],
        "invalid JSON",
    ),
    (
        "report-future-schema",
        lambda t, cx: [
            "report",
            write(t, "r.json", json.dumps({**json.loads(good_result(t, cx).read_text()), "schema_version": 2})),
        ],
        "newer cxculture",
    ),
    (
        "report-not-a-result",
        lambda t, cx: ["report", write(t, "r.json", '{"hello": "world"}')],
        "not a cxculture result",
    ),
    ("report-a-list", lambda t, cx: ["report", write(t, "r.json", "[1, 2]")], "not a cxculture result"),
    (
        "report-bad-level-type",
        lambda t, cx: [
            "report",
            write(t, "r.json", json.dumps({**json.loads(good_result(t, cx).read_text()), "level": "high"})),
        ],
        "level",
    ),
    (
        "report-partial",
        lambda t, cx: ["report", write(t, "p.partial.json", '{"partial": true, "answers": {}}')],
        "--resume",
    ),
    ("workshop-no-file", lambda t, cx: ["workshop", t / "nothing-here"], "nothing-here"),
    ("workshop-empty-folder", lambda t, cx: ["workshop", (t / "empty").mkdir() or t / "empty"], "empty"),
    (
        "workshop-one-corrupt",
        lambda t, cx: ["workshop", good_result(t, cx).parent, write(t, "broken.json", "{not json")],
        "broken.json",
    ),
    (
        "import-not-text",  # 0x81 is neither UTF-8 here nor a Windows-1252 character
        lambda t, cx: ["import", write(t, "s.csv", b"participant;\x81quipe\n"), "--out", t / "o"],
        "neither UTF-8 nor Windows-1252",
    ),
    ("import-only-blank", lambda t, cx: ["import", write(t, "s.csv", " \n\n"), "--out", t / "o"], "empty"),
    (
        "import-out-is-a-file",
        lambda t, cx: ["import", write(t, "s.csv", f"{IDS[0]}\n4\n"), "--out", write(t, "o", "mine")],
        "is not a folder",
    ),
    (
        "import-map-a-list",
        lambda t, cx: [
            "import",
            write(t, "s.csv", f"{IDS[0]}\n4\n"),
            "--out",
            t / "o",
            "--map",
            write(t, "m.yaml", "- a\n"),
        ],
        "columns",
    ),
    (
        "import-map-bad-target",
        lambda t, cx: [
            "import",
            write(t, "s.csv", "Q\n4\n"),
            "--out",
            t / "o",
            "--map",
            write(t, "m.yaml", "columns: {Q: ghost}\n"),
        ],
        "'ghost'",
    ),
    ("import-ragged-quotes", lambda t, cx: ["import", write(t, "s.csv", f'{IDS[0]}\n"4\n'), "--out", t / "o"], "row"),
    ("content-missing-folder", lambda t, cx: ["--content", t / "nope", "levels"], "content folder not found"),
    (
        "content-missing-file",
        lambda t, cx: ["--content", broken_content(t, lambda f: (f / "levels.yaml").unlink()), "levels"],
        "levels.yaml: file missing",
    ),
    (
        "content-broken-yaml",
        lambda t, cx: [
            "--content",
            broken_content(t, lambda f: (f / "pillars.yaml").write_text("a: [", encoding="utf-8")),
            "pillars",
        ],
        "pillars.yaml: invalid YAML",
    ),
    (
        "content-missing-translation",
        lambda t, cx: [
            "--content",
            broken_content(t, edit_yaml("levels.yaml", lambda d: d["levels"][1]["name"].pop("fr"))),
            "levels",
        ],
        "levels[1].name.fr: field required",
    ),
    (
        "content-duplicate-ids",
        lambda t, cx: [
            "--content",
            broken_content(
                t, edit_yaml("questionnaire.yaml", lambda d: d["statements"][1].update(id=d["statements"][0]["id"]))
            ),
            "questions",
        ],
        "duplicate id",
    ),
    (
        "content-undefined-focus-area",
        lambda t, cx: [
            "--content",
            broken_content(t, edit_yaml("questionnaire.yaml", lambda d: d["statements"][0].update(focus_area="ghost"))),
            "questions",
        ],
        "'ghost' is not defined in levels.yaml",
    ),
    (
        "export-over-existing",
        lambda t, cx: ["guide", "--level", "2", "--export", write(t, "mine.md", "my notes")],
        "--force",
    ),
    ("export-missing-folder", lambda t, cx: ["guide", "--level", "2", "--export", t / "no" / "x.md"], "does not exist"),
    ("lang-out-of-range", lambda t, cx: ["pillars", "--lang", "de"], "use fr or en"),
    ("level-out-of-range", lambda t, cx: ["guide", "--level", "9"], "use 1, 2, 3, 4 or 5"),
    ("format-unknown", lambda t, cx: ["assess", "--format", "xml"], "text, json, md"),
]


def snapshot(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("setup", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(cx, tmp_path, monkeypatch, setup, expected):
    monkeypatch.chdir(tmp_path)
    argv = setup(tmp_path, cx)
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
