"""The foundation: package entry points, content, levels / guide / pillars / content commands."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import clean_env, run_subprocess
from cxculture.loading import Content

LANGS = ["fr", "en"]


def test_version_and_python_m(tmp_path):
    result = run_subprocess("--version", cwd=tmp_path)
    assert result.code == 0
    assert re.fullmatch(r"cxculture \d+\.\d+\.\d+\n", result.out)


def test_guide_from_another_directory_in_a_subprocess(tmp_path):
    result = run_subprocess("guide", "--level", "3", "--lang", "en", cwd=tmp_path)
    assert result.code == 0, result.err
    level3 = Content().levels.level(3)
    assert level3.name("en") in result.out
    assert level3.quotes[0].role("en") in result.out
    assert "\x1b[" not in result.out  # no colour on a pipe


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_guide_every_level_in_both_languages(cx, number, lang):
    level = Content().levels.level(number)
    result = cx("guide", "--level", number, "--lang", lang)
    assert result.code == 0, result.err
    flat = " ".join(result.out.split())
    assert level.name(lang) in flat
    for quote in level.quotes:
        assert quote.role(lang) in flat
    for sign in level.signs:
        assert " ".join(sign(lang).split()) in flat
    if level.move:
        for area in level.move.focus_areas:
            assert area.name(lang) in flat
        for step in level.move.steps:
            assert step.title(lang) in flat
    else:
        for practice in level.sustain.practices:
            assert " ".join(practice(lang).split()) in flat


def test_guide_lines_fit_80_columns(cx):
    result = cx("guide", "--level", "2", "--lang", "fr")
    assert max(len(line) for line in result.out.splitlines()) <= 80


@pytest.mark.parametrize("lang", LANGS)
def test_guide_json(cx, lang):
    result = cx("guide", "--level", "2", "--format", "json", "--lang", lang)
    assert result.code == 0
    doc = json.loads(result.out)
    level = Content().levels.level(2)
    assert doc["level"] == 2
    assert doc["name"] == level.name(lang)
    assert len(doc["quotes"]) >= 3
    assert doc["next"]["level"] == 3
    assert [a["id"] for a in doc["next"]["focus_areas"]] == ["cross-functional-team", "cx-strategy-for-every-team"]
    assert [s["number"] for s in doc["next"]["steps"]] == [1, 2]
    assert all(s["actions"] for s in doc["next"]["steps"])
    assert doc["sustain"] is None


def test_guide_json_top_level_sustains(cx):
    doc = json.loads(cx("guide", "--level", "5", "--format", "json", "--lang", "en").out)
    assert doc["next"] is None
    assert len(doc["sustain"]["practices"]) >= 3


@pytest.mark.parametrize("lang", LANGS)
def test_guide_markdown_structure(cx, lang):
    result = cx("guide", "--level", "1", "--format", "md", "--lang", lang)
    assert result.code == 0
    tokens = MarkdownIt("commonmark").enable("table").parse(result.out)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    level = Content().levels.level(1)
    assert headings[0].startswith(("Niveau 1", "Level 1"))
    assert sum(1 for h in headings if h.startswith(("Étape", "Step"))) == len(level.move.steps)
    assert not any(t.type in ("html_block", "html_inline") for t in tokens)


@pytest.mark.parametrize("lang", LANGS)
def test_levels_table(cx, lang):
    result = cx("levels", "--lang", lang)
    assert result.code == 0
    words = set(re.findall(r"\w+", result.out))
    for level in Content().levels.levels:
        assert set(re.findall(r"\w+", level.name(lang))) <= words  # a name may wrap in its cell
    assert max(len(line) for line in result.out.splitlines()) <= 80


@pytest.mark.parametrize("lang", LANGS)
def test_pillars(cx, lang):
    result = cx("pillars", "--lang", lang)
    assert result.code == 0
    flat = " ".join(result.out.split())
    pillars = Content().pillars
    assert len(pillars.pillars) == 6 and len(pillars.values) == 3
    assert len(pillars.virtues) == 4 and len(pillars.customer_conditions) == 4
    for entry in (*pillars.pillars, *pillars.values, *pillars.virtues, *pillars.customer_conditions):
        assert entry.name(lang) in flat


def test_pillars_json(cx):
    doc = json.loads(cx("pillars", "--format", "json", "--lang", "en").out)
    assert [c["id"] for c in doc["customer_conditions"]] == [
        "expectations",
        "resolution",
        "personalisation",
        "time-and-effort",
    ]


def test_shipped_content_is_complete():
    content = Content()
    assert content.check() == []
    ids = [area.id for _, area in content.levels.focus_areas()]
    assert ids == [
        "cx-champions",
        "company-values",
        "cross-functional-team",
        "cx-strategy-for-every-team",
        "customer-centric-roles",
        "cx-leader",
        "continuous-cx-training",
        "employee-journey",
    ]
    for level in content.levels.levels:
        assert len(level.quotes) >= 3
        assert len({q.role("en") for q in level.quotes}) == len(level.quotes)
        if level.move:
            assert len(level.move.focus_areas) == 2 and len(level.move.steps) == 2


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("args", "accepted"),
    [
        (["guide", "--level", "0"], "use a number from 1 to 5"),
        (["guide", "--level", "6"], "use a number from 1 to 5"),
        (["guide", "--level", "x"], "use a number from 1 to 5"),
        (["guide", "--level", "3", "--lang", "de"], "fr | en"),
        (["levels", "--lang", "de"], "fr | en"),
        (["guide", "--level", "3", "--format", "pdf"], "text, json, md"),
        (["guide"], "--level"),
        (["guide", "--level", "3", "--bogus"], "--bogus"),
    ],
)
def test_bad_values_exit_2_with_one_line(cx, args, accepted):
    result = cx(*args)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert accepted in result.err
    assert "Traceback" not in result.err


def test_lang_from_environment(cx, monkeypatch):
    name_en = Content().levels.level(1).name("en")
    monkeypatch.setenv("CXCULTURE_LANG", "en")
    assert name_en in cx("guide", "--level", "1").out
    monkeypatch.delenv("CXCULTURE_LANG")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert name_en in cx("guide", "--level", "1").out
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert Content().levels.level(1).name("fr") in cx("guide", "--level", "1").out
    monkeypatch.setenv("CXCULTURE_LANG", "xx")
    assert cx("guide", "--level", "1").code == 2


def test_default_language_is_french(cx, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert Content().levels.level(2).name("fr") in cx("guide", "--level", "2").out


def _edit(folder, name, change):
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_custom_content_folder_is_used(cx, content_copy):
    def rename(data):
        data["levels"][2]["name"] = {"fr": "Niveau maison", "en": "House level"}

    _edit(content_copy, "levels", rename)
    result = cx("--content", content_copy, "guide", "--level", "3", "--lang", "en")
    assert result.code == 0, result.err
    assert "House level" in result.out
    assert "House level" not in cx("guide", "--level", "3", "--lang", "en").out


def test_content_check_ok(cx, content_copy):
    result = cx("content", "check", content_copy)
    assert result.code == 0
    assert "valid" in result.out


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        (
            "levels",
            lambda d: d["levels"][2]["quotes"][0].pop("role"),
            "levels.yaml: levels[2].quotes[0].role: field required",
        ),
        ("levels", lambda d: d["levels"][0]["name"].pop("en"), "levels.yaml: levels[0].name: no 'en' text"),
        (
            "levels",
            lambda d: d["levels"][1]["summary"].update(fr="  "),
            "levels.yaml: levels[1].summary: the 'fr' text is empty",
        ),
        ("levels", lambda d: d["levels"][0].update(sumary="x"), "levels.yaml: levels[0].sumary: unknown field"),
        (
            "levels",
            lambda d: d["levels"][1]["move"]["focus_areas"][0].update(id="cx-champions"),
            "duplicate id 'cx-champions'",
        ),
        (
            "levels",
            lambda d: d["levels"][0]["move"]["focus_areas"][0].update(id="CX Champions"),
            "is not a kebab-case id",
        ),
        ("levels", lambda d: d["levels"].pop(), "expected the numbers 1 to 5"),
        (
            "questionnaire",
            lambda d: d["statements"][0].update(focus_area="ghost-area"),
            "'ghost-area' is not defined in levels.yaml",
        ),
        ("pillars", lambda d: d["pillars"][0].update(id="values-x", name=5), "pillars[0].name: expected a mapping"),
    ],
)
def test_broken_content_names_file_and_field(cx, content_copy, name, change, expected):
    _edit(content_copy, name, change)
    result = cx("content", "check", content_copy)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.err
    used = cx("--content", content_copy, "levels" if name == "levels" else "pillars")
    if name != "questionnaire":
        assert used.code == 2 and expected in used.err


@pytest.mark.usefixtures("english")
def test_content_missing_file_and_invalid_yaml(cx, content_copy):
    (content_copy / "pillars.yaml").unlink()
    (content_copy / "levels.yaml").write_text("levels: [unclosed", encoding="utf-8")
    result = cx("content", "check", content_copy)
    assert result.code == 2
    assert "levels.yaml: invalid YAML at line " in result.err
    assert "pillars.yaml: file missing" in result.err


@pytest.mark.usefixtures("english")
def test_content_folder_not_found(cx, tmp_path):
    result = cx("--content", tmp_path / "nope", "levels")
    assert result.code == 2 and "content folder not found" in result.err


def test_content_schema(cx):
    result = cx("content", "schema")
    schemas = json.loads(result.out)
    assert set(schemas) == {
        "languages.yaml",
        "levels.yaml",
        "pillars.yaml",
        "questionnaire.yaml",
        "ui.yaml",
        "survey.yaml",
    }
    one = json.loads(cx("content", "schema", "levels").out)
    assert "Level" in one["$defs"] and "levels" in one["properties"]
    assert cx("content", "schema", "nope").code == 2


def test_cache_is_used_and_survives_a_read_only_folder(cx, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CXCULTURE_CACHE_DIR", str(cache))
    assert cx("levels").code == 0
    assert list(cache.glob("*.marshal"))
    assert cx("levels").code == 0
    (cache / "junk").mkdir()
    for cached in cache.glob("*.marshal"):
        cached.write_bytes(b"not marshal data")
    cache.chmod(0o500)
    try:
        assert cx("levels").code == 0
    finally:
        cache.chmod(0o700)


def test_content_id_is_the_scored_files_sha256_whatever_the_cache_holds(tmp_path, monkeypatch):
    """The cache spares OpenSSL on a warm start; a damaged or planted entry is worked out again."""
    import hashlib
    import marshal

    from cxculture.loading import SCORED_FILES, Content

    cache = tmp_path / "cache"
    monkeypatch.setenv("CXCULTURE_CACHE_DIR", str(cache))
    digest = hashlib.sha256(b"".join((Content().folder / f"{name}.yaml").read_bytes() for name in SCORED_FILES))
    expected = "sha256:" + digest.hexdigest()[:16]
    before = set(cache.glob("*.marshal"))
    assert Content().content_id == expected
    kept = set(cache.glob("*.marshal")) - before
    assert len(kept) == 1 and marshal.loads(next(iter(kept)).read_bytes()) == expected
    assert Content().content_id == expected  # from the cache
    for planted in (marshal.dumps("sha256:0000000000000000 and more"), marshal.dumps(["x"]), b"junk"):
        next(iter(kept)).write_bytes(planted)
        assert Content().content_id == expected


def test_no_colour_with_no_color_even_on_force_terminal(tmp_path):
    result = run_subprocess("levels", cwd=tmp_path, env=clean_env(FORCE_COLOR="1"))
    assert result.code == 0
    assert "\x1b[" in result.out  # styles (bold) stay: NO_COLOR is about colour
    assert not re.search(r"\x1b\[(?:\d+;)*(?:3[0-8]|9[0-7])(?:;\d+)*m", result.out)


@pytest.mark.parametrize("command", [["guide", "--level", "2"], ["pillars"], ["questions"]])
def test_french_marks_never_start_a_line_on_screen(cx, monkeypatch, command):
    """« », ?, !, : and ; stay on the line of their word, whatever the terminal width."""
    starts = []
    for width in range(36, 101, 4):
        monkeypatch.setenv("COLUMNS", str(width))
        run = cx(*command, "--lang", "fr")
        assert run.code == 0, run.err
        starts += [
            (width, line) for line in run.out.splitlines() if line.lstrip().startswith(("?", "!", ":", ";", "»"))
        ]
    assert starts == []
