"""Errors, warnings and notes in the reader's language (``--lang``, else ``CXCULTURE_LANG``), from ui.yaml."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import as_answered, clean_env, run_subprocess
from cxculture import model
from cxculture.answers import question_ids
from cxculture.errors import ContentError, Message
from cxculture.loading import MODEL_FILES, Content, shipped_folder, validate
from cxculture.survey import columns
from helpers import MARK, write_german_content

CONTENT = Content()
IDS = question_ids(CONTENT.questionnaire)
LANGS = ("fr", "en")


def say(lang: str, key: str, **fields: object) -> str:
    return "cxculture: " + CONTENT.ui.say(key, lang, **fields)


def answers_file(folder, answers: dict) -> object:
    path = folder / "answers.yaml"
    path.write_text(yaml.safe_dump({"org": "Acme", "participant": "Jo", "answers": answers}), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_an_unsupported_language_is_refused_in_the_environment_s_language(cx, monkeypatch, lang):
    monkeypatch.setenv("CXCULTURE_LANG", lang)
    run = cx("levels", "--lang", "xx")
    assert run.code == 2
    assert run.err.strip() == say(lang, "error.lang", source="--lang", value="xx", accepted="fr | en")


@pytest.mark.parametrize("lang", LANGS)
def test_answers_and_resume_together(cx, tmp_path, lang):
    path = answers_file(tmp_path, {})
    run = cx("assess", "--answers", path, "--resume", path, "--lang", lang)
    assert (run.code, run.err.strip()) == (2, say(lang, "error.answers_and_resume"))


@pytest.mark.parametrize("lang", LANGS)
def test_no_terminal(tmp_path, lang):
    done = run_subprocess("assess", "--out", tmp_path / "out", cwd=tmp_path, env=clean_env(CXCULTURE_LANG=lang))
    assert (done.code, done.err.strip()) == (2, say(lang, "error.no_terminal"))


@pytest.mark.parametrize("lang", LANGS)
def test_missing_answers_and_saved_notes(cx, tmp_path, lang):
    path = answers_file(tmp_path, {IDS[0]: 4})
    run = cx("assess", "--answers", path, "--out", tmp_path / "out", "--lang", lang, "--format", "json")
    assert run.code == 0, run.err
    [saved] = (tmp_path / "out").glob("*.json")
    lines = run.err.splitlines()
    assert lines[0] == say(lang, "note.missing_answers", path=path, ids=", ".join(IDS[1:]))
    assert lines[1] == say(lang, "note.saved", path=saved)


@pytest.mark.parametrize("lang", LANGS)
def test_report_notes_on_other_content_and_gone_questions(cx, tmp_path, lang):
    path = answers_file(tmp_path, as_answered(dict.fromkeys(IDS, 4)))
    cx("assess", "--answers", path, "--out", tmp_path, "--lang", lang)
    [saved] = tmp_path.glob("acme-jo-*.json")
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["content_id"] = "sha256:0000000000000000"
    data["answers"]["cross-team-has-charter"] = 2
    saved.write_text(json.dumps(data), encoding="utf-8")
    run = cx("report", saved, "--format", "json")
    assert run.code == 0, run.err
    assert run.err.splitlines() == [
        say(lang, "note.other_content", path=saved, before="sha256:0000000000000000", now=CONTENT.content_id),
        say(lang, "note.gone_questions", path=saved, ids="cross-team-has-charter"),
    ]


def test_every_message_label_has_both_languages_and_the_same_fields():
    import string

    for key, text in CONTENT.ui.labels.items():
        if key.split(".")[0] in ("error", "note"):
            fields = [{name for _, name, _, _ in string.Formatter().parse(text(lang)) if name} for lang in LANGS]
            assert fields[0] == fields[1], key


@pytest.fixture(params=["rows", "columns"])
def engine(request, monkeypatch):
    """``workshop EXPORT`` read row by row, then by the column engine (whatever the file's size)."""
    if request.param == "columns":
        monkeypatch.setattr(columns, "ENGINE_FROM", 0)


def export(folder, *rows: tuple[str, list[str]]) -> object:
    """A survey export: an org column, then every statement; each row an org and its answers."""
    statements = [s.id for s in CONTENT.questionnaire.statements]
    lines = [";".join(["org", *statements])]
    lines += [";".join([org, *answers, *[""] * (len(statements) - len(answers))]) for org, answers in rows]
    path = folder / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row_of(path: object, number: int, lang: str) -> str:
    return Message("where.row", name=path, row=number).said(CONTENT.speaker(lang))


@pytest.mark.usefixtures("engine")
@pytest.mark.parametrize("lang", LANGS)
def test_a_row_of_an_export_is_named_in_the_reader_s_language(cx, tmp_path, lang):
    every = ["4"] * len(CONTENT.questionnaire.statements)
    path = export(tmp_path, ("Acme", every), ("Acme", ["4"]), ("Globex", every))
    mixed = cx("workshop", path, "--lang", lang, "--format", "json")
    assert mixed.code == 2
    first, other = row_of(path, 2, lang), row_of(path, 4, lang)
    expected = say(lang, "error.workshop.mixed", name=first, org="Acme", other=other, other_org="Globex")
    assert mixed.err.splitlines()[-1] == expected  # after what reading the export said (a question without column)
    one_org = export(tmp_path, ("Acme", every), ("Acme", ["4"]))
    run = cx("workshop", one_org, "--lang", lang, "--format", "json")
    assert run.code == 0, run.err
    share = Message("workshop.percent", value=round(CONTENT.questionnaire.scale.participant_min_answered * 100))
    left_out = Message("note.left_out", count=1, share=share, names=Message("where.row", name=one_org, row=3))
    assert "cxculture: " + left_out.said(CONTENT.speaker(lang)) in run.err.splitlines()
    assert ("50\u202f%" in run.err) == (lang == "fr")  # a share as each language writes it


@pytest.mark.parametrize("lang", ["fr", "en", "de"])
def test_a_broken_content_folder_with_a_third_language_is_said_in_each_of_its_languages(cx, tmp_path, lang):
    folder = write_german_content(tmp_path / "content")
    levels = yaml.safe_load((folder / "levels.yaml").read_text(encoding="utf-8"))
    levels["levels"][0]["number"] = "one"
    (folder / "levels.yaml").write_text(yaml.safe_dump(levels, allow_unicode=True), encoding="utf-8")
    run = cx("--content", folder, "levels", "--lang", lang)
    assert run.code == 2
    problem = Message("error.content.not_whole_number", path="levels[0].number", value='"one"')
    expected = Message("error.content.at", name=folder / "levels.yaml", problem=problem)
    assert run.err.splitlines() == ["cxculture: " + expected.said(Content(folder).speaker(lang))]
    assert (MARK in run.err) == (lang == "de")


SHIPPED = {name: yaml.safe_load((shipped_folder() / f"{name}.yaml").read_bytes()) for name in MODEL_FILES}
plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=4,
)


# pydantic's own words, and those the model's validators once raised, on a French run
PYDANTIC_ENGLISH = re.compile(r"input should|field required|value error|extra inputs|not a declared|every text", re.I)


@st.composite
def broken_files(draw: st.DrawFn) -> tuple[str, object]:
    """A shipped content file with one value somewhere replaced by any YAML value."""
    name = draw(st.sampled_from(sorted(SHIPPED)))
    data = copy.deepcopy(SHIPPED[name])
    parent, key = None, None
    node = data
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 4)):
        key = draw(st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node))))
        parent, node = node, node[key]
    value = draw(plain_values)
    if parent is None:
        return name, value
    parent[key] = value
    return name, data


@settings(max_examples=150, deadline=None)
@given(broken_files())
def test_any_broken_content_file_is_said_in_each_language_with_labels_only(broken):
    """Whatever a content file holds, each problem is a ui.yaml label: nothing of pydantic's own English."""
    name, data = broken
    languages = CONTENT.languages if name != "languages" else None
    try:
        validate(data, getattr(model, MODEL_FILES[name]), f"{name}.yaml", languages)
    except ContentError as error:
        assert error.problems  # noqa: PT017 - a property: either outcome is checked
        for problem in error.problems:
            inner = problem.fields["problem"]  # type: ignore[union-attr]
            assert isinstance(inner, Message) and inner.key in CONTENT.ui.labels, inner
            said = [inner.said(CONTENT.speaker(lang)) for lang in LANGS]
            assert said[0] != said[1]
            assert not PYDANTIC_ENGLISH.search(said[0]), said[0]
