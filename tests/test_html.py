"""The HTML report: one self-contained file per document kind, escaped, with charts drawn from the JSON figures."""

from __future__ import annotations

import json

import pytest

from cxculture import formats
from cxculture.documents import percent
from cxculture.loading import Content
from helpers import LANGS, NASTY, apart_in_greyscale, export_every_kind, grey
from htmltools import external_references, parse

SECTIONS = {
    "assessment": ["summary", "charts", "plan", "appendix"],
    "guide": ["summary", "plan"],
    "workshop": ["summary", "charts", "plan", "segments", "appendix"],
    "comparison": ["summary", "charts", "appendix"],
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Each kind in each language: (HTML text, JSON figures), made once for the module."""
    made = export_every_kind(tmp_path_factory.mktemp("html"), ".html", ".json")
    return {
        key: (files[".html"].read_text(encoding="utf-8"), json.loads(files[".json"].read_text(encoding="utf-8")))
        for key, files in made.items()
    }


def _points(svg, series_name=None):
    """``data-value``s of a chart's points (of one series when named), as floats or None."""
    groups = svg.find("g", class_="series")
    if series_name is not None:
        groups = [g for g in groups if g.attrs["data-name"] == series_name]
    return [[float(p.attrs["data-value"]) for p in g.find("g", class_="point")] for g in groups]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_one_self_contained_page_per_kind(exported, kind, lang):
    text, _ = exported[kind, lang]
    root = parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert root.first("html").attrs["lang"] == lang
    assert external_references(root, text) == []
    assert [s.attrs["id"] for s in root.find("section")] == SECTIONS[kind]
    assert len(root.find("h1")) == 1 and root.first("title").text().strip()
    assert "@page" in root.first("style").text() and "break-before: page" in root.first("style").text()
    for svg in root.find("svg"):
        labelled = svg.attrs["aria-labelledby"].split()
        assert svg.attrs["role"] == "img" and len(labelled) == 2
        assert svg.first("title").attrs["id"] == labelled[0] and svg.first("title").text().strip()
        assert svg.first("desc").attrs["id"] == labelled[1] and svg.first("desc").text().strip()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["assessment", "workshop"])
def test_names_with_markup_are_shown_as_text(exported, kind, lang):
    text, _ = exported[kind, lang]
    root = parse(text)
    assert root.find("script") == []
    assert NASTY in root.text()
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize("lang", LANGS)
def test_workshop_page_one_is_an_executive_summary(exported, lang):
    text, figures = exported["workshop", lang]
    content = Content()
    t = content.speaker(lang)
    summary = parse(text).first("section", id="summary")
    words = summary.text()
    level = content.levels.level(figures["level"])
    assert t("workshop.level", level=level.number, name=level.name(lang)) in words
    assert level.summary(lang) in words
    assert t("workshop.participants", count=figures["participants"]) in words
    assert figures["org"] == "Acme" and t("deliver.client", org="Acme") in words
    assert t("result.date", date=figures["created_at"][:10]) in words
    assert t("deliver.strongest") in words and t("deliver.agenda_top") in words
    strongest = summary.find("div")[1].find("li")
    assert len(strongest) == 3
    best = max(a["score"] for a in figures["focus_areas"] if a["score"] is not None)
    assert (
        strongest[0]
        .text()
        .endswith(t("chart.area_score", name="", score=f"{best:.1f}".replace(".", "," if lang == "fr" else ".")))
    )
    plan = parse(text).first("section", id="plan").text()
    assert (
        t("guide.to_reach", level=figures["level"] + 1, name=content.levels.level(figures["level"] + 1).name(lang))
        in plan
    )


@pytest.mark.parametrize("lang", LANGS)
def test_workshop_charts_are_the_json_figures(exported, lang):
    text, figures = exported["workshop", lang]
    t = Content().speaker(lang)
    root = parse(text)
    radar = root.first("svg", id="radar")
    series = radar.find("g", class_="series")
    assert series[0].attrs["data-name"] == t("chart.group")
    assert _points(radar, t("chart.group")) == [[a["score"] for a in figures["focus_areas"]]]
    shown = [n for n, g in figures["segments"].items() if not g.get("suppressed")]
    assert len(series) == 1 + len(shown)
    for name in shown:
        scores = [a["score"] for a in figures["segments"][name]["focus_areas"]]
        label = name or t("workshop.no_segment")
        assert _points(radar, label) == [scores]
        cells = [c for c in root.first("svg", id="heatmap").find("g", class_="cell") if c.attrs["data-column"] == label]
        assert [float(c.attrs["data-value"]) for c in cells] == scores
    bars = root.first("svg", id="levels").find("rect", class_="bar")
    assert [float(b.attrs["data-value"]) for b in bars] == list(figures["levels"].values())


@pytest.mark.parametrize("lang", LANGS)
def test_assessment_chart_is_the_result(exported, lang):
    text, figures = exported["assessment", lang]
    radar = parse(text).first("svg", id="radar")
    assert _points(radar) == [[a["score"] for a in figures["focus_areas"]]]


@pytest.mark.parametrize("lang", LANGS)
def test_comparison_radar_and_trend_are_the_json_figures(exported, lang):
    text, figures = exported["comparison", lang]
    root = parse(text)
    before, after = _points(root.first("svg", id="radar"))
    assert before == [a["before"] for a in figures["focus_areas"]]
    assert after == [a["after"] for a in figures["focus_areas"]]
    assert figures["trend"] is True
    assert _points(root.first("svg", id="trend")) == [a["scores"] for a in figures["focus_areas"]]
    moments = [p.attrs["data-moment"] for p in root.first("svg", id="trend").find("g", class_="point")][:3]
    assert moments == [f["created_at"][:10] for f in figures["files"]]


@pytest.mark.parametrize("lang", LANGS)
def test_answer_distribution_chart_is_each_statements_distribution(exported, lang):
    text, figures = exported["workshop", lang]
    rows = parse(text).first("svg", id="answers").find("g", class_="row")
    statements = [s for a in figures["focus_areas"] for s in a["statements"]]
    assert len(rows) == len(statements)
    for row, statement in zip(rows, statements, strict=True):
        counts = [int(r.attrs["data-value"]) for r in row.find("rect", class_="segment")]
        assert counts == [statement["distribution"][k] for k in ("1", "2", "3", "4", "5")]


@pytest.mark.parametrize("lang", LANGS)
def test_met_areas_chart_is_each_areas_met_share_with_its_head_count(exported, lang):
    text, figures = exported["workshop", lang]
    content = Content()
    t = content.speaker(lang)
    svg = parse(text).first("svg", id="met")
    bars = svg.find("rect", class_="bar")
    areas = figures["focus_areas"]
    assert [float(b.attrs["data-value"]) for b in bars] == [a["met_share"] for a in areas]
    names = {area.id: area.name(lang) for _, area in content.levels.focus_areas()}
    assert [b.attrs["data-label"] for b in bars] == [names[a["id"]] for a in areas]
    written = [node.text() for node in svg.find("text") if "/" in node.text()]
    assert written == [f"{percent(a['met_share'], t)} ({a['met_count']}/{a['scored']})" for a in areas]
    alternative = svg.first("desc").text()
    assert all(f"{names[a['id']]} {note}" in alternative for a, note in zip(areas, written, strict=True))
    assert svg.first("title").text() == t(
        "chart.met", threshold=str(figures["rules"]["met_threshold"]).replace(".", "," if lang == "fr" else ".")
    )


@pytest.mark.parametrize("lang", LANGS)
def test_guide_draws_the_level_ladder_with_the_focus_areas_leading_to_each_level(exported, lang):
    text, _ = exported["guide", lang]  # helpers.kinds: guide --level 2
    content = Content()
    t = content.speaker(lang)
    svg = parse(text).first("section", id="summary").first("svg", id="ladder")
    steps = svg.find("g", class_="step")
    levels = content.levels.levels
    assert [int(s.attrs["data-level"]) for s in steps] == [level.number for level in levels]
    assert [s.attrs["data-current"] for s in steps] == ["true" if level.number == 2 else "false" for level in levels]
    leading = [[], *([a.name(lang) for a in level.move.focus_areas] for level in levels[:-1])]
    for step, level, areas in zip(steps, levels, leading, strict=True):
        label = t("chart.level", level=level.number, name=level.name(lang))
        mark = [t("chart.ladder_mark")] if level.number == 2 else []
        assert " ".join(n.text() for n in step.find("text", class_="name")) == " ".join([label, *mark])
        written = " ".join(n.text() for n in step.find("text", class_="area")).replace("▲ ", "\n").split("\n")
        assert [" ".join(line.split()) for line in written if line.strip()] == areas
        assert int(step.attrs["data-value"]) == len(areas)
    alternative = svg.first("desc").text()
    assert all(area in alternative for areas in leading for area in areas)
    assert t("chart.ladder_here", level=t("chart.level", level=2, name=levels[1].name(lang))) in alternative


def _line_look(group):
    """A series' dash pattern and marker shape (its tag, and a polygon's corner count)."""
    outline = next(n for n in group.iter() if n.tag in ("polygon", "path"))
    point = group.first("g", class_="point")
    marker = next(n for n in point.iter() if n.tag in ("circle", "rect", "polygon"))
    return outline.attrs.get("stroke-dasharray", ""), marker.tag, len(marker.attrs.get("points", "").split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_charts_read_in_greyscale(exported, kind, lang):
    """Lines differ by dash and marker, agreement points by hatching or shade, and every value is written."""
    text, _ = exported[kind, lang]
    root = parse(text)
    for svg in root.find("svg"):
        looks = [_line_look(group) for group in svg.find("g", class_="series")]
        assert len(set(looks)) == len(looks), svg.attrs["id"]
        fills = {}
        for segment in svg.find("rect", class_="segment"):
            fills[segment.attrs["data-point"]] = segment.attrs["fill"]
        if fills:
            patterns = {p.attrs["id"]: p for p in svg.find("pattern")}
            shades = []
            for point in sorted(fills):
                fill = fills[point]
                if fill.startswith("url(#"):
                    base = patterns[fill[5:-1]].first("rect").attrs["fill"]
                    shades.append((True, grey(base)))
                else:
                    shades.append((False, grey(fill)))
            assert len(shades) == 5 and apart_in_greyscale(shades)
        for cell in svg.find("g", class_="cell"):
            assert cell.first("text").text().strip()
