"""The PowerPoint deck: reopened with python-pptx, its native charts hold the JSON figures, text fits its boxes.

A consultant's template (``--template``) is tested in ``test_pptx_template.py``."""

from __future__ import annotations

import json

import pytest
import yaml
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_FILL
from pptx.util import Pt

from cxculture import formats
from cxculture.documents import percent
from cxculture.formats import pptx as deck_format
from cxculture.loading import Content
from helpers import LANGS, apart_in_greyscale, export_every_kind, grey


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    made = export_every_kind(tmp_path_factory.mktemp("pptx"), ".pptx", ".json")
    return {
        key: (Presentation(str(files[".pptx"])), json.loads(files[".json"].read_text(encoding="utf-8")))
        for key, files in made.items()
    }


def charts(deck):
    return {shape.name: shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart}


def series_values(chart):
    return {s.name: [None if v is None else float(v) for v in s.values] for s in chart.plots[0].series}


def titles(deck):
    return [slide.shapes.title.text_frame.text for slide in deck.slides]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_deck_opens_with_a_title_slide_and_one_slide_per_next_step(decks, kind, lang):
    deck, figures = decks[kind, lang]
    t = Content().speaker(lang)
    heads = titles(deck)
    assert (
        heads[0]
        == {
            "assessment": t("result.title"),
            "guide": t("guide.title", level=2, name=Content().levels.level(2).name(lang)),
            "workshop": t("workshop.title"),
            "comparison": t("compare.title"),
        }[kind]
    )
    if kind != "comparison":
        level = {"workshop": figures.get("level"), "assessment": figures.get("level"), "guide": 2}[kind]
        move = Content().levels.level(level).move
        steps = [t("guide.step", number=n, title=s.title(lang)) for n, s in enumerate(move.steps, start=1)]
        assert [h for h in heads if h in steps] == steps
    if kind != "guide":
        assert t("deliver.summary") in heads


@pytest.mark.parametrize("lang", LANGS)
def test_workshop_charts_are_native_and_hold_the_json_figures(decks, lang):
    deck, figures = decks["workshop", lang]
    t = Content().speaker(lang)
    found = charts(deck)
    assert found["radar"].chart_type == XL_CHART_TYPE.RADAR_MARKERS
    values = series_values(found["radar"])
    assert values[t("chart.group")] == [a["score"] for a in figures["focus_areas"]]
    for name, group in figures["segments"].items():
        if not group.get("suppressed"):
            assert values[name or t("workshop.no_segment")] == [a["score"] for a in group["focus_areas"]]
    assert found["levels"].chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(series_values(found["levels"]).values()) == [[float(v) for v in figures["levels"].values()]]
    heat = next(s for slide in deck.slides for s in slide.shapes if s.name == "heatmap").table
    assert len(heat.rows) == 1 + len(figures["focus_areas"])
    assert t("deliver.summary") in titles(deck) and t("workshop.agenda") in titles(deck)


@pytest.mark.parametrize("lang", LANGS)
def test_comparison_trend_is_a_native_line_chart_of_the_scores(decks, lang):
    deck, figures = decks["comparison", lang]
    found = charts(deck)
    assert found["trend"].chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(series_values(found["trend"]).values()) == [a["scores"] for a in figures["focus_areas"]]
    radar = list(series_values(found["radar"]).values())
    assert radar == [[a["before"] for a in figures["focus_areas"]], [a["after"] for a in figures["focus_areas"]]]


def _assert_text_fits(deck):
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            frame = shape.text_frame
            assert frame.word_wrap is True
            width = (shape.width - frame.margin_left - frame.margin_right) / Pt(1)
            height = (shape.height - frame.margin_top - frame.margin_bottom) / Pt(1)
            used = 0.0
            for paragraph in frame.paragraphs:
                size = paragraph.runs[0].font.size.pt
                lines = deck_format.wrap("".join(r.text for r in paragraph.runs), width, int(size))
                used += len(lines) * size * 1.2 + size * 0.25
            assert used <= height + 0.01, (shape.name, frame.text[:60])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", formats.KINDS)
def test_text_fits_its_box(decks, kind, lang):
    _assert_text_fits(decks[kind, lang][0])


def test_long_labels_shrink_to_fit(cx, tmp_path, content_copy):
    path = content_copy / "levels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    long = "Responsabilisation transversale des directions opérationnelles et fonctionnelles " * 3
    step = data["levels"][1]["move"]["steps"][0]
    step["title"] = {"fr": long, "en": long}
    step["actions"] = [{"fr": long, "en": long}] * 9
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    target = tmp_path / "deck.pptx"
    assert cx("--content", content_copy, "guide", "--level", "2", "--export", target).code == 0
    deck = Presentation(str(target))
    _assert_text_fits(deck)
    sizes = {
        r.font.size.pt
        for s in deck.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    }
    assert min(sizes) < deck_format.LARGEST


@pytest.mark.parametrize("lang", LANGS)
def test_workshop_answer_distribution_is_a_native_diverging_bar_chart_of_the_counts(decks, lang):
    """Disagreement left of the centre line (negative), agreement right, the neutral answer split across it;
    the axis and the labels show absolute percentages, and the neutral answer has one legend entry."""
    deck, figures = decks["workshop", lang]
    scale = Content().questionnaire.scale.points
    chart = charts(deck)["answers"]
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    statements = [s for a in figures["focus_areas"] for s in a["statements"]]
    texts = {s.id: s.text(lang) for s in Content().questionnaire.statements}
    assert list(chart.plots[0].categories) == [texts[s["id"]] for s in statements]

    def shares(key, factor):
        counts = [(s["distribution"][key], sum(s["distribution"][k] for k in "12345")) for s in statements]
        return [pytest.approx(factor * n / total if total else 0) for n, total in counts]

    series = [(s.name, list(s.values)) for s in chart.plots[0].series]
    label = {str(p.value): p.label(lang) for p in scale}
    assert series == [
        (label["3"], shares("3", -0.5)),
        (label["2"], shares("2", -1)),
        (label["1"], shares("1", -1)),
        (label["3"], shares("3", 0.5)),
        (label["4"], shares("4", 1)),
        (label["5"], shares("5", 1)),
    ]
    for index, statement in enumerate(statements):  # each bar spans all its answers (none: only "don't know")
        answered = any(statement["distribution"][k] for k in "12345")
        assert sum(abs(values[index]) for _, values in series) == pytest.approx(1 if answered else 0)
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale) == (-1, 1)
    assert axis.tick_labels.number_format == "0%;0%" and not axis.tick_labels.number_format_is_linked
    legend = chart.legend._element.xpath("c:legendEntry[c:delete/@val='1']/c:idx/@val")
    assert legend == ["3"]
    hatched = [s.format.fill.type for s in chart.plots[0].series]
    assert hatched == [
        MSO_FILL.SOLID,
        MSO_FILL.PATTERNED,
        MSO_FILL.PATTERNED,
        MSO_FILL.SOLID,
        MSO_FILL.SOLID,
        MSO_FILL.SOLID,
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_met_areas_are_a_native_bar_chart_of_each_areas_met_share(decks, lang):
    deck, figures = decks["workshop", lang]
    t = Content().speaker(lang)
    chart = charts(deck)["met"]
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    areas = figures["focus_areas"]
    assert list(series_values(chart).values()) == [[a["met_share"] for a in areas]]
    (series,) = chart.plots[0].series
    notes = [point.data_label.text_frame.text for point in series.points]
    assert notes == [f"{percent(a['met_share'], t)} ({a['met_count']}/{a['scored']})" for a in areas]
    axis = chart.value_axis
    assert (axis.minimum_scale, axis.maximum_scale, axis.tick_labels.number_format) == (0, 1, "0%")


@pytest.mark.parametrize("lang", LANGS)
def test_guide_deck_has_the_level_ladder_as_editable_shapes(decks, lang):
    deck, _ = decks["guide", lang]  # helpers.kinds: guide --level 2
    content = Content()
    t = content.speaker(lang)
    (slide,) = [s for s in deck.slides if s.shapes.title.text_frame.text == t("chart.ladder")]
    shapes = {shape.name: shape for shape in slide.shapes}
    for level in content.levels.levels:
        step = shapes[f"ladder-step-{level.number}"]
        lines = step.text_frame.text.split("\n")
        assert lines[0] == t("chart.level", level=level.number, name=level.name(lang))
        current = level.number == 2
        assert (lines[1:] == [t("chart.ladder_mark")]) is current
        assert (str(step.fill.fore_color.rgb) == "1F4E79") is current
        if level.move is not None:
            areas = shapes[f"ladder-areas-{level.number + 1}"].text_frame.text.split("\n")
            assert areas == [f"▲ {a.name(lang)}" for a in level.move.focus_areas]
    assert "ladder-areas-1" not in shapes


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["workshop", "comparison"])
def test_native_charts_read_in_greyscale(decks, kind, lang):
    """Lines differ by dash and marker; the agreement scale's sides by hatching or shade."""
    deck, _ = decks[kind, lang]
    for name, chart in charts(deck).items():
        series = list(chart.plots[0].series)
        if chart.chart_type in (XL_CHART_TYPE.RADAR_MARKERS, XL_CHART_TYPE.LINE_MARKERS):
            looks = [(s.format.line.dash_style, s.marker.style) for s in series]
            assert len(set(looks)) == len(looks), name
        if name == "answers":
            fills = {}
            for s in series:
                fill = s.format.fill
                hatched = fill.type == MSO_FILL.PATTERNED
                fills[s.name] = (hatched, grey(str(fill.back_color.rgb if hatched else fill.fore_color.rgb)))
            assert len(fills) == 5 and apart_in_greyscale(list(fills.values()))
