"""Languages are data: a content folder declaring a third language is spoken everywhere, with no code change.

The third language here is German (``de``, ``helpers.write_german_content``), its
texts generated from the English ones with a ``(de)`` mark so that the tests can
see which language each line comes from. Its numbers take a decimal comma, as
languages.yaml says.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from cxculture.loading import Content
from helpers import IDS, MARK, write_answers, write_german_content
from htmltools import parse
from mdtools import headings, lint, tables


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> Path:
    """The shipped content plus German: every text translated, the language declared."""
    return write_german_content(tmp_path_factory.mktemp("content-de"))


def copy_of(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(folder, target)
    return target


def test_the_shipped_languages_are_declared_once_with_their_own_names():
    languages = Content().languages
    assert languages.codes == ("fr", "en") and languages.default == "fr"
    assert [language.name for language in languages] == ["Français", "English"]  # capitalised, in their own words
    assert Content().levels.level(1).name.texts.keys() == {"fr", "en"}


def test_the_german_folder_is_valid(cx, german):
    check = cx("--content", german, "content", "check")
    assert check.code == 0, check.err
    assert Content(german).languages.codes == ("fr", "en", "de")


def test_guide_in_german(cx, german):
    level = Content(german).levels.level(2)
    run = cx("--content", german, "guide", "--level", "2", "--lang", "de")
    assert run.code == 0, run.err
    assert level.name("de").startswith(MARK) and level.name("de") in run.out
    assert MARK + "What you can observe" in run.out  # a ui.yaml label, in German too
    assert level.name("fr") not in run.out


def test_assess_answers_in_german_writes_numbers_with_a_decimal_comma(cx, german, tmp_path):
    answers = write_answers(tmp_path, dict.fromkeys(IDS[:-1], 4), lang="de")
    run = cx("--content", german, "assess", "--answers", answers, "--no-save", "--format", "md")
    assert run.code == 0, run.err  # the answers file names German: the report is in German
    assert lint(run.out) == []
    assert all(text.startswith(MARK) for _, text in headings(run.out))
    assert "Deutsch" in run.out  # the language line names it as languages.yaml does
    focus_areas = tables(run.out)[0][1]
    scores = [row[2] for row in focus_areas]
    assert scores and all("," in score and "." not in score for score in scores if score != "—")


def test_workshop_of_german_results_exported_as_markdown_and_html(cx, german, tmp_path):
    out = tmp_path / "results"
    for i, value in enumerate((2, 4, 5)):
        answers = write_answers(tmp_path, dict.fromkeys(IDS[:-1], value), name=f"a{i}.json", org="Acme")
        made = cx("--content", german, "assess", "--answers", answers, "--out", out, "--lang", "de", "--format", "json")
        assert made.code == 0, made.err
    assert {json.loads(path.read_text())["lang"] for path in out.glob("*.json")} == {"de"}
    run = cx("--content", german, "workshop", out, "--lang", "de", "--export", tmp_path / "w.md")
    assert run.code == 0, run.err
    assert MARK in run.out
    text = (tmp_path / "w.md").read_text(encoding="utf-8")
    assert lint(text) == [] and headings(text)
    assert all(heading.startswith(MARK) for _, heading in headings(text))
    html = cx("--content", german, "workshop", out, "--lang", "de", "--export", tmp_path / "w.html")
    assert html.code == 0, html.err
    root = parse((tmp_path / "w.html").read_text(encoding="utf-8"))
    assert root.first("html").attrs["lang"] == "de"
    assert root.first("h1").text().startswith(MARK)


def test_an_error_in_german(cx, german, tmp_path, monkeypatch):
    monkeypatch.setenv("CXCULTURE_LANG", "de")
    answers = write_answers(tmp_path, {})
    run = cx("--content", german, "assess", "--answers", answers, "--resume", answers)
    assert run.code == 2
    [line] = run.err.splitlines()
    assert line.startswith(f"cxculture: {MARK}")


def test_german_from_the_environment_and_the_locale(cx, german, monkeypatch):
    name = Content(german).levels.level(1).name
    monkeypatch.setenv("CXCULTURE_LANG", "de")
    assert name("de") in cx("--content", german, "guide", "--level", "1").out
    monkeypatch.delenv("CXCULTURE_LANG")
    monkeypatch.setenv("LANG", "de_AT.UTF-8")  # a locale whose prefix German lists
    assert name("de") in cx("--content", german, "guide", "--level", "1").out
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")  # no declared language: the content's default
    assert name("fr") in cx("--content", german, "guide", "--level", "1").out


def test_an_undeclared_language_is_refused_naming_the_declared_ones(cx, german):
    run = cx("--content", german, "guide", "--level", "1", "--lang", "it")
    assert run.code == 2
    [line] = run.err.splitlines()
    assert "--lang" in line and "'it'" in line.replace("«\u00a0", "'").replace("\u00a0»", "'")
    assert "fr | en | de" in line
    shipped = cx("guide", "--level", "1", "--lang", "de")  # German is not declared by the shipped content
    assert shipped.code == 2 and "fr | en" in shipped.err and "de" not in shipped.err.split("|")[-1]


@pytest.mark.usefixtures("english")
def test_a_text_missing_a_declared_language_is_named(cx, german, tmp_path):
    folder = copy_of(german, tmp_path)
    data = load(folder / "pillars.yaml")
    del data["pillars"][1]["summary"]["de"]
    dump(folder / "pillars.yaml", data)
    run = cx("--content", folder, "content", "check")
    assert run.code == 2
    assert f"{folder / 'pillars.yaml'}: pillars[1].summary: no 'de' text" in run.err


@pytest.mark.usefixtures("english")
def test_a_text_in_an_undeclared_language_is_refused(cx, content_copy):
    data = load(content_copy / "levels.yaml")
    data["levels"][0]["name"]["de"] = "Implizite Kultur"  # German is not declared in this folder
    dump(content_copy / "levels.yaml", data)
    run = cx("--content", content_copy, "levels")
    assert run.code == 2
    assert "levels[0].name: 'de' is not a declared language (languages.yaml declares fr | en)" in run.err


@pytest.mark.usefixtures("english")
def test_a_declared_language_needs_its_own_ui_and_survey_files(cx, german, tmp_path):
    folder = copy_of(german, tmp_path)
    (folder / "ui.yaml").unlink()
    run = cx("--content", folder, "guide", "--level", "1", "--lang", "de")
    assert run.code == 2
    assert "ui.yaml: file missing from the content folder" in run.err and "fr | en | de" in run.err


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(default="de"), "default: 'de' is not a declared language"),
        (lambda d: d["languages"][1].update(code="fr"), "languages[1].code: 'fr' is declared twice"),
        (lambda d: d["languages"][0].update(code="French"), "languages[0].code: 'French' is not a language code"),
        (lambda d: d["languages"][0].update(decimal_separator=""), "languages[0].decimal_separator"),
        (lambda d: d["languages"][0].pop("name"), "languages[0].name: field required"),
        (lambda d: d["languages"][0].update(plural="s"), "languages[0].plural: unknown field"),
    ],
)
def test_bad_language_declarations(cx, content_copy, change, expected):
    data = load(content_copy / "languages.yaml")
    change(data)
    dump(content_copy / "languages.yaml", data)
    run = cx("--content", content_copy, "content", "check")
    assert run.code == 2
    assert f"{content_copy / 'languages.yaml'}: {expected}" in run.err, run.err


def test_a_bad_language_declaration_is_said_in_french(cx, content_copy, monkeypatch):
    monkeypatch.setenv("CXCULTURE_LANG", "fr")
    data = load(content_copy / "languages.yaml")
    data["languages"][1]["code"] = "fr"
    dump(content_copy / "languages.yaml", data)
    run = cx("--content", content_copy, "content", "check")
    assert run.code == 2
    assert "languages[1].code\u00a0: «\u00a0fr\u00a0» est déclarée deux fois" in run.err, run.err


def test_the_french_marks_stay_on_their_line_because_languages_yaml_says_so(content_copy):
    label = Content(content_copy).ui.labels["report.language"]
    assert label("fr") == "Langue\u00a0: {name}"  # a no-break space before the colon
    data = load(content_copy / "languages.yaml")
    data["languages"][0]["no_break_before"] = ""
    dump(content_copy / "languages.yaml", data)
    assert Content(content_copy).ui.labels["report.language"]("fr") == "Langue : {name}"


def test_the_room_offers_every_declared_language_by_its_own_name(german, tmp_path):
    from cxculture.room.collect import Collector, Rejected, Settings
    from cxculture.room.page import texts

    content, settings = Content(german), Settings(org="Acme", out=tmp_path / "out")
    offered = {code: texts(content, settings, "x" * 32, code) for code in content.languages.codes}
    assert {code: page["lang_name"] for code, page in offered.items()} == {
        "fr": "Français",
        "en": "English",
        "de": "Deutsch",
    }
    assert [offered[code]["decimal_separator"] for code in ("fr", "en", "de")] == [",", ".", ","]
    answers = dict.fromkeys(IDS[:-1], 4)
    saved, _ = Collector(content, settings).accept(
        {"device": "d" * 16, "lang": "de", "segment": None, "answers": answers}
    )
    assert json.loads(Path(saved.path).read_text(encoding="utf-8"))["lang"] == "de"
    with pytest.raises(Rejected, match=r"use fr or en or de"):
        Collector(content, settings).accept({"device": "e" * 16, "lang": "it", "segment": None, "answers": answers})
