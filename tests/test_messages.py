"""Errors, warnings and notes in the reader's language (``--lang``, else ``CXCULTURE_LANG``), from ui.yaml."""

from __future__ import annotations

import json

import pytest
import yaml

from conftest import as_answered, clean_env, run_subprocess
from cxculture.answers import question_ids
from cxculture.loading import Content

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
