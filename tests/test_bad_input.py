"""Every bad input gets exit code 2, one clear line on stderr, and no lost file.

Each case builds its input in a temporary folder, runs the real CLI, and checks
the exit code, that stderr names the problem, that there is no traceback, and
that no file the user had was changed.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import clean_env, run_subprocess
from cxculture.answers import from_data
from cxculture.errors import CxError
from cxculture.loading import Content, shipped_folder
from helpers import IDS, write_german_content

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


def result_text(cut: int | None = None, drop: str = "", **changes: object) -> Part:
    """A good result's JSON, cut after ``cut`` characters, without the field ``drop``, or with ``changes``."""

    def build(folder, cx):
        text = saved_result(folder, cx).read_text(encoding="utf-8")
        data = {name: value for name, value in json.loads(text).items() if name != drop}
        return text[:cut] if cut is not None else json.dumps({**data, **changes})

    return build


def content_where(change: Callable[[Path], object]) -> Part:
    """A copy of the shipped content folder, broken by ``change``."""

    def build(folder, _cx):
        target = folder / "content"
        shutil.copytree(shipped_folder(), target)
        change(target)
        return target

    return build


def in_german(change: Callable[[Path], object]) -> Part:
    """The shipped content with a third language (German) declared and written, broken by ``change``."""

    def build(folder, _cx):
        target = write_german_content(folder / "content-de")
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


def set_at(name: str, *path: str | int, value: object) -> Callable[[Path], object]:
    """The content file ``name`` with the value at ``path`` set to ``value``."""

    def change(data: dict) -> None:
        *parents, last = path
        for step in parents:
            data = data[step]
        data[last] = value

    return edit_yaml(name, change)


def delete_at(name: str, *path: str | int) -> Callable[[Path], object]:
    """The content file ``name`` without the value at ``path``."""

    def change(data: dict) -> None:
        *parents, last = path
        for step in parents:
            data = data[step]
        del data[last]

    return edit_yaml(name, change)


def content(change: Callable[[Path], object], *command: str) -> list:
    """``--content DIR COMMAND`` (else ``content check``), DIR the shipped content broken by ``change``."""
    return ["--content", content_where(change), *(command or ("content", "check"))]


def duplicate_first_statement_id(data: dict) -> None:
    data["statements"][1]["id"] = data["statements"][0]["id"]


def unknown_focus_area(data: dict) -> None:
    data["statements"][0]["focus_area"] = "ghost"


# (id, command line, the ui.yaml label of the message, what it must name: file, field or value)
CASES = [
    ("answers-missing-file", ["assess", "--answers", at("nope.yaml")], "error.read.missing", "nope.yaml"),
    ("answers-is-a-folder", ["assess", "--answers", at()], "error.read.folder"),
    ("answers-empty", answers_file("a.yaml", ""), "error.answers.empty", "a.yaml"),
    ("answers-binary", answers_file("a.yaml", b"\x89PNG\x00\xff\xfe"), "error.read.not_utf8", "a.yaml"),
    ("answers-invalid-yaml", answers_file("a.yaml", "answers: {a: ["), "error.yaml.invalid", "a.yaml"),
    ("answers-invalid-json", answers_file("a.json", '{"answers": '), "error.json.invalid", "a.json"),
    ("answers-a-list", answers_file("a.yaml", "- 1\n- 2\n"), "error.answers.shape", "a.yaml"),
    ("answers-not-mapping", answers_file("a.yaml", "answers: 3\n"), "error.answers.answers", "a.yaml"),
    ("answers-python-tag", answers_file("a.yaml", python_tag()), "error.yaml.invalid", "a.yaml"),
    ("answers-10mb", answers_file("a.yaml", "#" * 10_000_000), "error.read.too_large", "a.yaml"),
    ("answers-deep-json", answers_file("a.json", nested(100_000)), "error.nested", "a.json"),
    ("answers-unknown-id", answers_file("a.json", '{"answers": {"zz-top": 3}}'), "error.answers.unknown", "zz-top"),
    ("answers-zero", answers_file("a.json", answers_with(0)), "error.answers.value", f"answers.{IDS[0]}", " 0 "),
    ("answers-six", answers_file("a.json", answers_with(6)), "error.answers.value", f"answers.{IDS[0]}", " 6 "),
    ("answers-float", answers_file("a.json", answers_with(3.7)), "error.answers.value", "3.7"),
    ("answers-true", answers_file("a.json", answers_with(True)), "error.answers.value", " true "),
    ("answers-five", answers_file("a.json", answers_with("five")), "error.answers.value", '"five"'),
    ("answers-org-list", answers_file("a.yaml", "org: [1]\nanswers: {}\n"), "error.answers.text", "a.yaml", "org"),
    ("resume-missing", ["assess", "--resume", at("gone.partial.json")], "error.read.missing", "gone.partial.json"),
    ("answers-and-resume", [*answers_file("a.json", "{}"), "--resume", at("b.json")], "error.answers_and_resume"),
    ("no-tty-no-answers", ["assess", "--out", at()], "error.no_terminal"),
    (
        "anonymous-with-participant",
        [*answers_file("a.json", json.dumps(GOOD_ANSWERS)), "--anonymous", "--participant", "Jo"],
        "error.anonymous_participant",
    ),
    ("segments-without-kiosk", ["assess", "--segments", "A,B"], "error.segments_without_kiosk"),
    ("wave-without-kiosk", ["assess", "--wave", "T0"], "error.wave_without_kiosk"),
    ("kiosk-with-answers", ["assess", "--kiosk", "--org", "Acme", "--answers", at("a.json")], "error.kiosk.options"),
    ("kiosk-without-org", ["assess", "--kiosk"], "error.kiosk.org"),
    ("kiosk-bad-segments", ["assess", "--kiosk", "--org", "Acme", "--segments", ","], "error.segments"),
    ("report-missing", ["report", at("none.json")], "error.read.missing", "none.json"),
    ("report-truncated", ["report", file("r.json", result_text(cut=200))], "error.json.invalid", "r.json"),
    ("report-future-schema", ["report", file("r.json", result_text(schema_version=2))], "error.result.newer", "r.json"),
    ("report-not-a-result", ["report", file("r.json", '{"hello": "world"}')], "error.result.not_result", "r.json"),
    ("report-a-list", ["report", file("r.json", "[1, 2]")], "error.result.not_result", "r.json"),
    (
        "report-bad-level-type",
        ["report", file("r.json", result_text(level="high"))],
        "error.result.invalid",
        "r.json",
        "level",
        '"high"',
    ),
    (
        "wave-line-bad-level",
        ["workshop", file("w.jsonl", result_text(level="high"))],
        "error.result.invalid",
        "w.jsonl:1",
        '"high"',
    ),
    (
        "report-no-level",
        ["report", file("r.json", result_text(drop="level"))],
        "error.result.invalid",
        "r.json",
        "level",
    ),
    (
        "report-bad-area-score",
        [
            "report",
            file("r.json", result_text(focus_areas=[{"id": "x", "unlocks_level": 2, "score": [], "met": True}])),
        ],
        "error.result.invalid",
        "focus_areas[0].score",
    ),
    (
        "report-partial",
        ["report", file("p.partial.json", '{"partial": true, "answers": {}}')],
        "error.result.partial",
        "p.partial.json",
    ),
    ("workshop-no-file", ["workshop", at("nothing-here")], "error.workshop.missing", "nothing-here"),
    ("workshop-empty-folder", ["workshop", empty_folder("empty")], "error.workshop.none_found", "empty"),
    (
        "workshop-one-corrupt",
        ["workshop", result_folder(), file("broken.json", "{not json")],
        "error.json.invalid",
        "broken.json",
    ),
    ("compare-one-file", ["compare", file("r.json", result_text())], "error.compare.too_few"),
    (
        "compare-bad-workshop-file",
        ["compare", file("w.json", '{"participants": 3}'), file("r.json", result_text())],
        "error.compare.workshop_file",
        "w.json",
    ),
    ("import-out-is-a-file", csv_import(f"{IDS[0]}\n4\n", out=file("o", "mine")), "error.write.not_folder"),
    # 0x81 is neither UTF-8 here nor a Windows-1252 character
    ("import-not-text", csv_import(b"participant;\x81quipe\n"), "error.import.encoding", "s.csv"),
    ("import-only-blank", csv_import(" \n\n"), "error.import.empty", "s.csv"),
    ("import-map-a-list", csv_import(f"{IDS[0]}\n4\n", "--map", file("m.yaml", "- a\n")), "error.map.shape", "m.yaml"),
    (
        "import-map-bad-target",
        csv_import("Q\n4\n", "--map", file("m.yaml", "columns: {Q: ghost}\n")),
        "error.map.target",
        "ghost",
    ),
    ("import-ragged-quotes", csv_import(f'{IDS[0]}\n"4\n'), "error.import.csv", "s.csv"),
    ("import-unknown-column", csv_import(f"{IDS[0]};Mystery\n4;x\n"), "error.map.unknown", "Mystery"),
    ("import-bad-answer", csv_import(";".join(IDS) + "\nsuper" + ";4" * (len(IDS) - 1)), "error.row", "super"),
    ("import-bad-date", csv_import(f"{IDS[0]}\n4\n", "--date", "31/12/2026"), "error.import.date", "31/12/2026"),
    ("import-bad-delimiter", csv_import(f"{IDS[0]}\n4\n", "--delimiter", "|"), "error.import.delimiter", "|"),
    ("import-bad-encoding", csv_import(f"{IDS[0]}\n4\n", "--encoding", "klingon"), "error.import.unknown_encoding"),
    ("import-xlsx-not-zip", ["import", file("s.xlsx", "plain text"), "--out", at("o")], "error.xlsx.not_zip", "s.xlsx"),
    ("import-no-out", ["import", file("s.csv", f"{IDS[0]}\n4\n")], "error.import.out"),
    ("content-missing-folder", ["--content", at("nope"), "levels"], "error.content.not_found", "nope"),
    (
        "content-missing-file",
        ["--content", content_where(without("levels.yaml")), "levels"],
        "error.content.missing",
        "levels.yaml",
    ),
    (
        "content-broken-yaml",
        ["--content", content_where(replaced("pillars.yaml", "a: [")), "pillars"],
        "error.yaml.invalid",
        "pillars.yaml",
    ),
    (
        "content-missing-translation",
        ["--content", content_where(edit_yaml("levels.yaml", drop_level_name_fr)), "levels"],
        "error.content.text_missing",
        "levels[1].name",
        "fr",
        "fr | en",
    ),
    (
        "content-undeclared-language",
        content(set_at("levels.yaml", "levels", 0, "name", "de", value="Implizit"), "levels"),
        "error.content.undeclared_language",
        "levels[0].name",
        "de",
        "fr | en",
    ),
    (
        "content-empty-text",
        content(set_at("pillars.yaml", "pillars", 0, "summary", "en", value="  "), "pillars"),
        "error.content.text_empty",
        "pillars[0].summary",
        "en",
    ),
    (
        "content-words-undeclared-language",
        content(set_at("survey.yaml", "dont_know", "de", value=["Weiß nicht"])),
        "error.content.undeclared_language",
        "dont_know",
        "de",
    ),
    (
        "content-third-language-missing-text",
        ["--content", in_german(delete_at("pillars.yaml", "pillars", 1, "summary", "de")), "pillars"],
        "error.content.text_missing",
        "pillars.yaml",
        "pillars[1].summary",
        "de",
        "fr | en | de",
    ),
    (
        "content-third-language-without-ui",
        ["--content", in_german(without("ui.yaml")), "levels"],
        "error.content.needed",
        "ui.yaml",
        "fr | en | de",
        "fr | en",
    ),
    (
        "content-not-whole-number",
        content(set_at("levels.yaml", "levels", 0, "number", value="one"), "levels"),
        "error.content.not_whole_number",
        "levels[0].number",
        '"one"',
    ),
    (
        "content-not-a-list",
        content(set_at("pillars.yaml", "values", value="many"), "pillars"),
        "error.content.not_list",
        "values",
        '"many"',
    ),
    (
        "content-not-boolean",
        content(set_at("questionnaire.yaml", "statements", 0, "reverse", value="maybe"), "questions"),
        "error.content.not_boolean",
        "statements[0].reverse",
        '"maybe"',
    ),
    (
        "content-not-mapping",
        content(set_at("levels.yaml", "levels", 2, "name", value=4.5), "levels"),
        "error.content.not_mapping",
        "levels[2].name",
        "4.5",
    ),
    (
        "content-field-required",
        content(delete_at("levels.yaml", "levels", 3, "summary"), "levels"),
        "error.content.required",
        "levels[3].summary",
    ),
    (
        "content-unknown-field",
        content(set_at("questionnaire.yaml", "statements", 2, "weight", value=2), "questions"),
        "error.content.unknown_field",
        "statements[2].weight",
    ),
    (
        "content-not-allowed",
        content(set_at("survey.yaml", "metadata", 0, "role", value="boss")),
        "error.content.not_allowed",
        "metadata[0].role",
        '"boss"',
        "timestamp, response_id, email, name, ignore",
    ),
    (
        "content-infinite-number",  # a kind of problem without a label of its own: the value and the check's code
        content(set_at("levels.yaml", "levels", 0, "number", value=float("inf")), "levels"),
        "error.content.schema",
        "levels[0].number",
        "Infinity",
        "finite_number",
    ),
    (
        "content-applies-to-without-its-label",
        content(delete_at("questionnaire.yaml", "scale", "not_applicable"), "questions"),
        "error.content.needs_not_applicable",
        "applies_to",
        "scale.not_applicable",
    ),
    (
        "content-duplicate-ids",
        ["--content", content_where(edit_yaml("questionnaire.yaml", duplicate_first_statement_id)), "questions"],
        "error.content.duplicate_id",
        "questionnaire.yaml",
    ),
    (
        "content-undefined-focus-area",
        ["--content", content_where(edit_yaml("questionnaire.yaml", unknown_focus_area)), "questions"],
        "error.content.undefined",
        "ghost",
    ),
    (
        "export-over-existing",
        ["guide", "--level", "2", "--export", file("mine.md", "my notes")],
        "error.write.exists",
        "mine.md",
    ),
    ("export-missing-folder", ["guide", "--level", "2", "--export", at("no/x.md")], "error.write.no_folder", "x.md"),
    ("export-unknown-extension", ["guide", "--level", "2", "--export", at("x.doc")], "error.export_extension", ".doc"),
    ("binary-on-stdout", ["guide", "--level", "2", "--format", "pptx"], "error.binary_format", "pptx"),
    ("template-without-export", ["guide", "--level", "2", "--template", at("t.pptx")], "error.template.export"),
    ("lang-out-of-range", ["pillars", "--lang", "de"], "error.lang", "de"),
    ("level-out-of-range", ["guide", "--level", "9"], "error.level", "9"),
    ("format-unknown", ["assess", "--format", "xml"], "error.choice", "xml"),
    ("room-bad-port", ["room", "--org", "Acme", "--port", "70000"], "error.port", "70000"),
    ("room-bad-host", ["room", "--org", "Acme", "--host", "nowhere"], "error.host", "nowhere"),
    ("usage-unknown-option", ["levels", "--colour"], "error.usage", "--colour"),
    ("usage-missing-option", ["guide"], "error.usage", "--level"),
    ("usage-option-without-value", ["assess", "--org"], "error.usage", "--org"),
    ("usage-bad-number", ["workshop", ".", "--min-group", "0"], "error.usage", "--min-group"),
    ("usage-unknown-command", ["levles"], "error.usage", "levles"),
]

# Words that give an English message away on a French run (paths, values and ids are removed first)
ENGLISH = re.compile(
    r"\b(the|is|not|no|such|cannot|expected|use|give|file|folder|found|missing|too|large|invalid|only|with|and|"
    r"unknown|required|must|error|line|column|already|exists|needs|given|accepted|got|see|field)\b",
    re.IGNORECASE,
)
LANGS = ("fr", "en")


def pattern(lang: str, key: str) -> re.Pattern[str]:
    """The label ``key`` in ``lang`` as a regular expression: each field matches any text."""
    parts = re.split(r"\{[a-z_]+\}", Content().ui.labels[key](lang).replace("{{", "{").replace("}}", "}"))
    prefix = "" if key == "error.usage" else "cxculture: "  # a usage error starts with the command itself
    return re.compile(prefix + ".*".join(re.escape(part) for part in parts) + "\n")


def snapshot(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("command", "key", "named"), [(c[1], c[2], c[3:]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input(cx, tmp_path, monkeypatch, command, key, named, lang):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CXCULTURE_LANG", lang)
    argv = [part(tmp_path, cx) if callable(part) else part for part in command]
    before = snapshot(tmp_path)
    result = cx(*argv)
    assert result.code == 2, result.err
    assert pattern(lang, key).fullmatch(result.err), result.err  # one line, that message, in that language
    assert all(name in result.err for name in named), result.err
    after = snapshot(tmp_path)
    assert {p: after.get(p) for p in before} == before  # nothing the user had was changed
    assert not (tmp_path / "PWNED").exists()
    if lang == "fr":
        words = result.err.replace(str(tmp_path), "")
        for known in (*named, *IDS, *(str(a) for a in argv)):
            words = words.replace(str(known), "")
        words = re.sub(r"--[a-z-]+|'[^']*'|\[[^\]]*\]|\{[^}]*\}|\S*[/.]\S*", "", words)
        assert not ENGLISH.findall(words), result.err


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
    run = run_subprocess(*command, cwd=tmp_path, env=clean_env(CXCULTURE_LANG="en"), max_file_bytes=1000)
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
