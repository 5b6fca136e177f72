"""The PowerPoint deck: reopened with python-pptx, its native charts hold the JSON figures, text fits its boxes,
a consultant's template gives the masters, and a hostile template is refused."""

from __future__ import annotations

import json
import zipfile

import pytest
import yaml
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Pt

from cxculture import formats
from cxculture.formats import pptx as deck_format
from cxculture.loading import Content
from helpers import LANGS, export_every_kind


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
    t = Content().ui.speaker(lang)
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
    t = Content().ui.speaker(lang)
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


def _template(path, layout_prefix="Brand"):
    deck = Presentation()
    for layout in deck.slide_layouts:
        layout.name = f"{layout_prefix} {layout.name}"
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    slide.shapes.add_textbox(0, 0, Pt(100), Pt(30)).text_frame.text = "TEMPLATE SLIDE"
    deck.save(str(path))
    return path


def test_template_gives_the_masters_and_none_of_its_slides(cx, tmp_path):
    template = _template(tmp_path / "brand.pptx")
    target = tmp_path / "deck.pptx"
    result = cx("guide", "--level", "3", "--lang", "fr", "--export", target, "--template", template)
    assert result.code == 0, result.err
    deck = Presentation(str(target))
    assert all(slide.slide_layout.name.startswith("Brand ") for slide in deck.slides)
    assert not any("TEMPLATE SLIDE" in s.text_frame.text for sl in deck.slides for s in sl.shapes if s.has_text_frame)
    assert len(deck.slides) >= 4


def _zip(path, names):
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing.pptx", "no such file"),
        (lambda p: (p / "brand.pptx").write_text("not a zip") and p / "brand.pptx", "not a zip archive"),
        (lambda p: _zip(p / "brand.pptx", ["[Content_Types].xml", "word/document.xml"]), "no ppt/presentation.xml"),
        (lambda p: _zip(p / "brand.pptx", ["[Content_Types].xml", "ppt/presentation.xml"]), "cannot be read"),
        (lambda p: _template(p / "brand.potx"), "give a .pptx file"),
        (lambda p: p, "no such file"),
    ],
    ids=["missing", "not-zip", "not-pptx", "broken-pptx", "other-extension", "folder"],
)
def test_a_hostile_template_is_refused_in_one_line(cx, tmp_path, make, expected):
    template = make(tmp_path)
    target = tmp_path / "deck.pptx"
    result = cx("guide", "--level", "3", "--export", target, "--template", template)
    assert result.code == 2, result.err
    assert expected in result.err and len(result.err.splitlines()) == 1 and "Traceback" not in result.err
    assert not target.exists()


def test_an_oversized_template_is_refused_before_it_is_read(cx, tmp_path, monkeypatch):
    monkeypatch.setattr(deck_format, "MAX_TEMPLATE_BYTES", 1000)
    result = cx("guide", "--level", "3", "--export", tmp_path / "d.pptx", "--template", _template(tmp_path / "b.pptx"))
    assert result.code == 2 and "larger than" in result.err


def test_workshop_answer_distribution_is_a_stacked_bar_chart_of_the_counts(decks):
    deck, figures = decks["workshop", "en"]
    chart = charts(deck)["answers"]
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED_100
    statements = [s for a in figures["focus_areas"] for s in a["statements"]]
    values = list(series_values(chart).values())
    assert values == [[float(s["distribution"][k]) for s in statements] for k in ("1", "2", "3", "4", "5")]
