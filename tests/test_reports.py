"""Markdown reports: assess / report / guide exports, their structure, lint, escaping, safe writing."""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml
from pymarkdown.api import PyMarkdownApi

import mdtools
from conftest import as_answered, run_subprocess
from cxculture.answers import question_ids
from cxculture.loading import Content
from cxculture.views import report
from mdtools import plain, tables, tokens

LANGS = ["fr", "en"]
FOCUS_AREAS = 8
NASTY = [
    "A|B | C",
    "*bold* and _under_",
    "# not a heading",
    "[x](http://e.vil)",
    "<script>alert(1)</script>",
    "`tick` ``two``",
    "&lt;b&gt; &amp;",
    "1. list",
    "- item",
    "---",
    "> quote",
    "http://e.vil www.e.vil jo@e.vil",
]


# --- helpers -----------------------------------------------------------------


def _say(lang):
    return Content().speaker(lang)


def _answers(tmp_path, value=3, quote=2, name="answers.json", **meta):
    ids = question_ids(Content().questionnaire)
    answers = as_answered(dict.fromkeys(ids[:-1], value))
    answers[ids[1]] = None  # one "don't know"
    answers[ids[-1]] = quote
    path = tmp_path / name
    path.write_text(json.dumps({**meta, "answers": answers}), encoding="utf-8")
    return path


def _flat(text):
    """Text as ``md`` shows it: on one line, French no-break spaces kept."""
    return re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip()


def _headings(text):
    return [title for _, title in mdtools.headings(text)]


def _all_tokens(parsed):
    for tok in parsed:
        yield tok
        yield from tok.children or []


def _assert_safe(text):
    kinds = {tok.type for tok in _all_tokens(tokens(text))}
    assert not kinds & {"html_inline", "html_block", "link_open", "image", "code_inline", "code_block", "fence"}


def _lint(text):
    result = PyMarkdownApi().disable_rule_by_identifier("md013").scan_string(text)
    problems = [
        f"{f.line_number}:{f.column_number} {f.rule_id} {f.rule_description}{f.extra_error_information or ''}"
        for f in result.scan_failures
    ]
    return problems + [str(e) for e in (*result.pragma_errors, *result.critical_errors)]


def _assert_clean_markdown(text):
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert _lint(text) == []
    _assert_safe(text)
    for header, rows in tables(text):
        assert all(len(row) == len(header) for row in rows), (header, rows)


def _assert_assessment(text, lang, *, top=False, content=None):
    content = content or Content()
    t = content.speaker(lang)
    headings = _headings(text)
    assert headings[0] == t("result.title")
    for key in ("report.scores", "result.pillars", "result.why", "result.quotes", "report.appendix"):
        assert t(key) in headings, key
    assert headings[-1] == t("report.appendix")
    assert any(h.startswith(t("result.level", level=0, name="")[:5]) for h in headings)
    if top:
        assert t("guide.sustain") in headings
    else:
        assert any(h.startswith(t("guide.to_reach", level=0, name="")[:8]) for h in headings)
    areas, pillars, answers = tables(text)
    assert areas[0] == [t("result.col_area"), t("result.col_unlocks"), t("result.col_score"), t("result.col_met")]
    assert len(areas[1]) == FOCUS_AREAS
    assert {row[3] for row in areas[1]} <= {t("result.yes"), t("result.no")}
    assert len(pillars[1]) == len(content.pillars.pillars)
    assert all(len(row[2]) == 5 and set(row[2]) <= {"█", "░"} for row in pillars[1])
    assert len(answers[1]) == len(question_ids(content.questionnaire))
    assert answers[1][0][1] == _flat(content.questionnaire.statements[0].text(lang))
    _assert_clean_markdown(text)


# --- exports -----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_assess_export_and_md(cx, tmp_path, lang):
    answers = _answers(tmp_path, org="Acme", participant="Jo", segment="managers")
    target = tmp_path / "acme.md"
    result = cx("assess", "--answers", answers, "--no-save", "--lang", lang, "--export", target)
    assert result.code == 0, result.err
    assert str(target) in result.err
    text = target.read_text(encoding="utf-8")
    _assert_assessment(text, lang)
    assert "Acme · Jo" in text and "managers" in text
    printed = cx("assess", "--answers", answers, "--no-save", "--lang", lang, "--format", "md")
    assert printed.code == 0 and printed.out == text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("value", [1, 5])
def test_assess_export_lowest_and_top_level(cx, tmp_path, lang, value):
    answers = _answers(tmp_path, value=value, quote=None)
    result = cx("assess", "--answers", answers, "--no-save", "--lang", lang, "--format", "md")
    assert result.code == 0, result.err
    _assert_assessment(result.out, lang, top=value == 5)
    assert _say(lang)("result.perceived_none") in result.out


@pytest.mark.parametrize("lang", LANGS)
def test_report_export_and_md_match_assess(cx, tmp_path, lang):
    answers = _answers(tmp_path, org="Acme", participant="Jo")
    results = tmp_path / "results"
    first = cx("assess", "--answers", answers, "--out", results, "--lang", lang, "--export", tmp_path / "a.md")
    assert first.code == 0, first.err
    (saved,) = results.glob("*.json")
    target = tmp_path / "b.md"
    again = cx("report", saved, "--lang", lang, "--export", target)
    assert again.code == 0, again.err
    text = target.read_text(encoding="utf-8")
    _assert_assessment(text, lang)
    assert text == (tmp_path / "a.md").read_text(encoding="utf-8")
    printed = cx("report", saved, "--lang", lang, "--format", "md")
    assert printed.code == 0 and printed.out == text


def test_report_in_the_other_language(cx, tmp_path):
    results = tmp_path / "results"
    assert cx("assess", "--answers", _answers(tmp_path), "--out", results, "--lang", "fr").code == 0
    (saved,) = results.glob("*.json")
    result = cx("report", saved, "--lang", "en", "--format", "md")
    assert result.code == 0, result.err
    _assert_assessment(result.out, "en")
    assert "Language: English" in result.out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_guide_export_and_md(cx, tmp_path, lang, number):
    target = tmp_path / f"level-{number}.md"
    result = cx("guide", "--level", number, "--lang", lang, "--export", target)
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    _assert_clean_markdown(text)
    t, level = _say(lang), Content().levels.level(number)
    headings = _headings(text)
    assert headings[0] == t("guide.title", level=number, name=level.name(lang))
    assert t("guide.signs") in headings and t("guide.quotes") in headings
    assert (t("guide.sustain") in headings) == (number == 5)
    steps = len(level.move.steps) if level.move else 0
    assert sum(h.startswith(t("guide.step", number=0, title="")[:4]) for h in headings) == steps
    printed = cx("guide", "--level", number, "--lang", lang, "--format", "md")
    assert printed.code == 0 and printed.out == text


def test_export_in_a_subprocess(tmp_path):
    target = tmp_path / "out.md"
    result = run_subprocess("assess", "--answers", _answers(tmp_path), "--no-save", "--lang", "en", "--export", target)
    assert result.code == 0, result.err
    _assert_assessment(target.read_text(encoding="utf-8"), "en")


# --- escaping ----------------------------------------------------------------


@pytest.mark.parametrize("value", NASTY)
def test_md_and_cell_show_text_literally(value):
    for filtered in (f"Some text {report.md(value)} here", report.md(value)):
        parsed = tokens(filtered + "\n")
        assert [t.type for t in parsed] == ["paragraph_open", "inline", "paragraph_close"]
        assert value in plain(parsed[1])
        assert [c.type for c in parsed[1].children] == ["text"]
    table = f"| a | b |\n| --- | --- |\n| {report.cell(value)} | {report.cell('')} |\n"
    ((_, rows),) = tables(table)
    assert rows == [[value, ""]]


def test_md_flattens_lines_but_keeps_french_no_break_spaces():
    assert report.md("a\nb\r\n\tc  d\u2028e") == "a b c d e"
    assert report.md("Groupe\u00a0: x") == "Groupe\u00a0: x"
    assert report.md("4.0") == "4.0" and report.md("2026-11-23") == "2026-11-23"
    assert report.md("(a)") == "(a)"
    assert report.cell("  ") == " "


@pytest.mark.parametrize("lang", LANGS)
def test_nasty_names_show_literally_in_the_report(cx, tmp_path, lang):
    org = "Acme | *Corp* _x_ # [x](http://e.vil)\n<script>alert(1)</script>"
    participant = "`Jo` &lt;b&gt; 1. ---"
    segment = "- lead|ers\n# top"
    result = cx(
        "assess",
        "--answers",
        _answers(tmp_path),
        "--no-save",
        "--lang",
        lang,
        "--format",
        "md",
        "--org",
        org,
        "--participant",
        participant,
        "--segment",
        segment,
    )
    assert result.code == 0, result.err
    _assert_assessment(result.out, lang)
    parsed = tokens(result.out)
    assert [tok.type for tok in parsed[:6]] == [
        "heading_open",
        "inline",
        "heading_close",
        "paragraph_open",
        "inline",
        "paragraph_close",
    ]
    who = plain(parsed[4])
    for expected in (_flat(org), participant, _flat(segment)):
        assert expected in who
    assert [child.type for child in parsed[4].children] == ["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_nasty_content_keeps_tables_whole(cx, content_copy, tmp_path, lang):
    nasty = "A | B *c* [x](http://e.vil) <b>d</b> &lt;\nnext"

    def edit(name, change):
        path = content_copy / f"{name}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def area(data):
        data["levels"][0]["move"]["focus_areas"][0]["name"] = {"fr": nasty, "en": nasty}

    def question(data):
        data["statements"][0]["text"] = {"fr": nasty, "en": nasty}

    edit("levels", area)
    edit("questionnaire", question)
    result = cx(
        "--content",
        content_copy,
        "assess",
        "--answers",
        _answers(tmp_path),
        "--no-save",
        "--lang",
        lang,
        "--format",
        "md",
    )
    assert result.code == 0, result.err
    _assert_assessment(result.out, lang, content=Content(content_copy))
    areas, _, answers = tables(result.out)
    flat = _flat(nasty)
    assert areas[1][0][0] == flat
    assert answers[1][0][1] == flat


# --- never lose a file -------------------------------------------------------


EXPORTS = {
    "assess": lambda tmp_path: ["assess", "--answers", _answers(tmp_path), "--no-save", "--lang", "en"],
    "guide": lambda tmp_path: ["guide", "--level", "2", "--lang", "fr"],
}


@pytest.mark.parametrize("kind", EXPORTS)
def test_existing_file_is_kept_without_force(cx, tmp_path, kind):
    target = tmp_path / "report.md"
    target.write_text("my notes\n", encoding="utf-8")
    result = cx(*EXPORTS[kind](tmp_path), "--export", target)
    assert result.code == 2
    assert "--force" in result.err and str(target) in result.err
    assert target.read_text(encoding="utf-8") == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".md", ".tmp")) == ["report.md"]

    result = cx(*EXPORTS[kind](tmp_path), "--export", target, "--force")
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8").startswith("# ")


def test_report_export_over_existing_file(cx, tmp_path):
    results = tmp_path / "results"
    assert cx("assess", "--answers", _answers(tmp_path), "--out", results, "--lang", "en").code == 0
    (saved,) = results.glob("*.json")
    target = tmp_path / "r.md"
    target.write_text("keep\n", encoding="utf-8")
    result = cx("report", saved, "--export", target)
    assert result.code == 2 and "--force" in result.err
    assert target.read_text(encoding="utf-8") == "keep\n"
    assert cx("report", saved, "--export", target, "--force").code == 0
    assert target.read_text(encoding="utf-8") != "keep\n"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("kind", EXPORTS)
def test_missing_folder_exits_2_with_a_message(cx, tmp_path, kind):
    target = tmp_path / "nowhere" / "report.md"
    result = cx(*EXPORTS[kind](tmp_path), "--export", target)
    assert result.code == 2
    assert "nowhere" in result.err and len(result.err.splitlines()) == 1  # in the language of the command line
    assert not target.parent.exists()


def test_export_to_a_folder_exits_2(cx, tmp_path):
    result = cx("guide", "--level", "1", "--export", tmp_path)
    assert result.code == 2 and "folder" in result.err


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_failed_export_leaves_the_old_file_intact(cx, tmp_path, monkeypatch, broken):
    target = tmp_path / "report.md"
    target.write_text("old report\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, broken, fail)
    result = cx(*EXPORTS["assess"](tmp_path), "--export", target, "--force")
    monkeypatch.undo()
    assert result.code != 0
    assert "Traceback" not in result.err
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "answers.json"] == ["report.md"]


def test_failed_rendering_leaves_the_old_file_intact(cx, tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("old report\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr(report, "render", fail)
    result = cx(*EXPORTS["assess"](tmp_path), "--export", target, "--force")
    assert result.code == 1 and "template broke" in result.err
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != "answers.json"] == ["report.md"]
