"""The PowerPoint format: an editable deck (python-pptx, imported only here and only when used).

Slides: a title, the summary, native charts (radar, answer distributions,
levels, trends) whose numbers are the JSON figures (``briefing``), the agenda,
and one slide per step of the next move. ``--template BRAND.pptx`` gives the
consultant's masters, layouts and theme (its own slides are left out); the file
is hostile input, checked by ``formats.template`` before python-pptx opens it.
Text never overflows its box: each body is wrapped and given the largest font
size whose measured lines fit (DejaVu or Liberation Sans metrics when installed,
a wide estimate otherwise), and is marked to shrink on overflow as well.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxculture import briefing

if TYPE_CHECKING:
    from cxculture.formats import Subject
    from cxculture.lang import Language

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial.ttf",
    "C:/Windows/Fonts/arial.ttf",
)
LARGEST, SMALLEST = 24, 10  # body text sizes in points


# --- the template, a hostile file --------------------------------------------------


def _open(template: Path | None) -> Any:
    from pptx import Presentation

    if template is None:
        return Presentation()
    from cxculture.formats import template as brand

    data = brand.read(template)  # bounded and checked; python-pptx opens these bytes, not the file again
    try:
        deck = Presentation(io.BytesIO(data))
        for layout in deck.slide_layouts:  # what the deck uses of it, read once here to fail early
            list(layout.placeholders)
    except Exception as error:  # python-pptx raises many kinds on a malformed package
        raise brand.refuse(template, "error.template_unreadable", problem=type(error).__name__) from None
    slides = deck.slides._sldIdLst  # python-pptx has no public way to drop the template's own slides
    for slide in list(slides):
        deck.part.drop_rel(slide.rId)
        slides.remove(slide)
    return deck


# --- measuring text ---------------------------------------------------------------


REFERENCE = 100  # the size (pixels) at which each character's advance is measured once


@cache
def _font() -> Any:
    from PIL import ImageFont

    for path in FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, REFERENCE)
    return None


@cache
def _advance(char: str) -> float:
    """A character's width at 1 point (measured once; 0.6 em when no font file is found)."""
    font = _font()
    return 0.6 if font is None else float(font.getlength(char)) / REFERENCE


def text_width(text: str, size: int) -> float:
    """The width of ``text`` in points at ``size`` points (kerning left out, so 2 % is added)."""
    return sum(_advance(char) for char in text) * size * 1.02


def wrap(text: str, width: float, size: int) -> list[str]:
    """``text`` in lines no wider than ``width`` points (a longer word is cut)."""
    space = text_width(" ", size)
    lines: list[str] = []
    used = 0.0
    for word in text.split():
        needed = text_width(word, size)
        if lines and used + space + needed <= width:
            lines[-1] += f" {word}"
            used += space + needed
            continue
        while needed > width and len(word) > 1:
            cut = max(1, int(len(word) * width / needed))
            lines.append(word[:cut])
            word = word[cut:]
            needed = text_width(word, size)
        lines.append(word)
        used = needed
    return lines or [""]


def fitting_size(paragraphs: list[str], width: float, height: float, largest: int = LARGEST) -> int:
    """The largest size (points) at which the paragraphs, wrapped, fit ``width`` × ``height`` points."""
    for size in range(largest, SMALLEST - 1, -1):
        lines = sum(len(wrap(text, width, size)) for text in paragraphs)
        if lines * size * 1.2 + len(paragraphs) * size * 0.25 <= height:
            return size
    return SMALLEST


# --- building slides -------------------------------------------------------------------


class Deck:
    """A presentation being built, with the layouts found in it."""

    def __init__(self, template: Path | None, language: Language) -> None:
        self.deck = _open(template)
        self.language = language
        layouts = list(self.deck.slide_layouts)
        self.title_layout = self._layout(layouts, {"title", "subtitle"}, 0)
        self.body_layout = self._layout(layouts, {"title", "body"}, 1)
        self.bare_layout = self._layout(layouts, {"title"}, 5, only=True)

    @staticmethod
    def _layout(layouts: list[Any], wanted: set[str], index: int, only: bool = False) -> Any:
        for layout in layouts:
            kinds = {_kind(p) for p in layout.placeholders} - {"date", "footer", "slide_number"}
            if (kinds == wanted) if only else wanted <= kinds:
                return layout
        return layouts[min(index, len(layouts) - 1)]

    def _slide(self, layout: Any, title: str) -> Any:
        slide = self.deck.slides.add_slide(layout)
        if slide.shapes.title is not None:
            _fill(slide.shapes.title, [title], largest=36)
        else:
            self._box(slide, [title], top=0.3, height=1.0, largest=32)
        return slide

    def title(self, title: str, subtitle: str) -> None:
        slide = self._slide(self.title_layout, title)
        body = [p for p in slide.placeholders if _kind(p) == "subtitle"]
        if body:
            _fill(body[0], [subtitle], largest=24)
        else:
            self._box(slide, [subtitle], top=4.0, height=1.5)

    def bullets(self, title: str, lines: list[str]) -> None:
        slide = self._slide(self.body_layout, title)
        body = [p for p in slide.placeholders if _kind(p) == "body"]
        if body:
            _fill(body[0], lines)
        else:
            self._box(slide, lines, top=1.5, height=5.5)

    def chart(self, chart: briefing.Chart) -> None:
        from pptx.chart.data import CategoryChartData
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Emu, Pt

        slide = self._slide(self.bare_layout, chart.title)
        left, top, width, height = self._area()
        if chart.kind == "heatmap":
            self._table(slide, chart, (left, top, width, height))
            return
        if chart.kind == "diverging":
            _diverging(slide, chart, (left, top, width, height))
            return
        data = CategoryChartData()  # type: ignore[no-untyped-call]
        data.categories = chart.categories
        for series in chart.series:
            data.add_series(series.name, list(series.values))  # type: ignore[no-untyped-call]
        kind = {
            "radar": XL_CHART_TYPE.RADAR_MARKERS,
            "lines": XL_CHART_TYPE.LINE_MARKERS,
            "bars": XL_CHART_TYPE.BAR_CLUSTERED,
            "shares": XL_CHART_TYPE.BAR_CLUSTERED,
        }[chart.kind]
        frame = slide.shapes.add_chart(kind, Emu(left), Emu(top), Emu(width), Emu(height), data)
        plot = frame.chart
        plot.font.size = Pt(11)
        plot.has_legend = len(chart.series) > 1
        if plot.has_legend:
            plot.legend.position = XL_LEGEND_POSITION.BOTTOM
            plot.legend.include_in_layout = False
        if chart.kind in ("radar", "lines"):
            plot.value_axis.minimum_scale, plot.value_axis.maximum_scale = 1, 5
            _series_looks(plot)
        if chart.kind in ("bars", "shares"):
            plot.category_axis.reverse_order = True  # first category on top, as in the report
        if chart.kind == "shares":
            _shares(plot, chart)
        frame.name = chart.ident

    def ladder(self, chart: briefing.Chart, mark: str) -> None:
        """The level ladder as editable shapes: one rectangle per level, the focus areas leading to it above."""
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.enum.text import MSO_ANCHOR
        from pptx.util import Emu, Pt

        from cxculture import charts

        slide = self._slide(self.bare_layout, chart.title)
        left, top, width, height = self._area()
        count = len(chart.categories)
        column, rise, base = width // count, int(height * 0.75) // count, top + height
        for i, (name, areas) in enumerate(zip(chart.categories, chart.groups, strict=True)):
            x, step_top = left + i * column, base - rise * (i + 1)
            fill, ink, dash = charts.step_look(i, chart.highlight)
            step = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Emu(x), Emu(step_top), Emu(column - Pt(3)), Emu(base - step_top)
            )
            step.name = f"ladder-step-{i + 1}"
            step.fill.solid()
            step.fill.fore_color.rgb = _rgb(fill)
            step.line.color.rgb, step.line.width = _rgb(charts.INK), Pt(2 if i == chart.highlight else 1)
            if dash:
                from pptx.enum.dml import MSO_LINE_DASH_STYLE

                step.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            step.shadow.inherit = False
            step.text_frame.vertical_anchor = MSO_ANCHOR.TOP
            _fill(step, [name, mark] if i == chart.highlight else [name], largest=14)
            _colour(step, ink)
            if areas:
                box = slide.shapes.add_textbox(
                    Emu(x), Emu(step_top - int(height * 0.24)), Emu(column), Emu(int(height * 0.24))
                )
                box.name = f"ladder-areas-{i + 1}"
                box.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
                _fill(box, [f"▲ {area}" for area in areas], largest=12)

    def _table(self, slide: Any, chart: briefing.Chart, box: tuple[int, int, int, int]) -> None:
        from pptx.util import Emu, Pt

        left, top, width, height = box
        rows, columns = len(chart.categories) + 1, len(chart.series) + 1
        shape = slide.shapes.add_table(rows, columns, Emu(left), Emu(top), Emu(width), Emu(height))
        shape.name = chart.ident
        table = shape.table
        from cxculture.lang import decimal

        def fmt(value: object) -> str:
            return decimal(value if isinstance(value, (int, float)) else None, self.language)

        cells = [["", *(s.name for s in chart.series)]]
        cells += [[name, *(fmt(s.values[r]) for s in chart.series)] for r, name in enumerate(chart.categories)]
        first = width * 0.4
        table.columns[0].width = Emu(int(first))
        for c in range(1, columns):
            table.columns[c].width = Emu(int((width - first) / (columns - 1)))
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                frame = table.cell(r, c).text_frame
                frame.word_wrap = True
                frame.text = value
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(12 if rows <= 10 else 10)

    def _area(self) -> tuple[int, int, int, int]:
        width, height = int(self.deck.slide_width), int(self.deck.slide_height)
        return int(width * 0.05), int(height * 0.2), int(width * 0.9), int(height * 0.75)

    def _box(self, slide: Any, lines: list[str], top: float, height: float, largest: int = LARGEST) -> None:
        from pptx.util import Emu, Inches

        width = int(self.deck.slide_width) * 0.9
        left = Emu(int(self.deck.slide_width * 0.05))
        shape = slide.shapes.add_textbox(left, Inches(top), Emu(int(width)), Inches(height))
        _fill(shape, lines, largest=largest)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.deck.save(out)
        return out.getvalue()


def _diverging(slide: Any, chart: briefing.Chart, box: tuple[int, int, int, int]) -> None:
    """Answers per statement as a native diverging stacked bar chart: disagreement left of 0, agreement right.

    The values are signed shares (``briefing.diverging_sides``); axis and labels
    show them as absolute percentages (number format ``0%;0%``). The middle point,
    split across the centre, has one legend entry. Colours and hatching are the
    HTML report's, so the sides read apart in greyscale.
    """
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_TICK_LABEL_POSITION
    from pptx.util import Emu, Pt

    from cxculture import charts

    sides = briefing.diverging_sides(chart)
    data = CategoryChartData(number_format=ABSOLUTE_PERCENT)  # type: ignore[no-untyped-call]
    data.categories = chart.categories
    for _, series in sides:
        data.add_series(series.name, list(series.values))  # type: ignore[no-untyped-call]
    left, top, width, height = box
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, Emu(left), Emu(top), Emu(width), Emu(height), data)
    frame.name = chart.ident
    plot = frame.chart
    plot.font.size = Pt(10)
    bars = plot.plots[0]
    bars.gap_width, bars.overlap = 40, 100
    axis = plot.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = -1, 1, 0.25
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = ABSOLUTE_PERCENT, False
    axis.has_major_gridlines = True
    categories = plot.category_axis
    categories.reverse_order = True  # first statement on top, as in the report
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW  # names at the left edge, not on the centre line
    for (point, _), series in zip(sides, bars.series, strict=True):
        _scale_fill(series.format.fill, charts.SCALE_COLOURS[point], charts.SCALE_HATCH[point])
        series.format.line.color.rgb = _rgb(charts.INK)
        series.format.line.width = Pt(0.5)
        labels = series.data_labels
        labels.number_format, labels.number_format_is_linked = ABSOLUTE_PERCENT + ";", False
        labels.show_value = True
        labels.font.size = Pt(9)
        labels.font.color.rgb = _rgb(charts.SCALE_TEXT[point])
        _hide_small_labels(series, [abs(v or 0) for v in series.values])
    plot.has_legend = True
    plot.legend.position, plot.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    middle = [i for i, (point, _) in enumerate(sides) if [p for p, _ in sides].count(point) > 1]
    for index in middle[1:]:  # the middle point's second half: one legend entry is enough
        _hide_legend_entry(plot, index)


def _shares(plot: Any, chart: briefing.Chart) -> None:
    """Shares from 0 to 100 %, each bar labelled with its note (share and head count)."""
    from pptx.util import Pt

    axis = plot.value_axis
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 1, 0.25
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "0%", False
    (series,) = plot.plots[0].series
    for point, note in zip(series.points, chart.notes, strict=False):
        label = point.data_label
        label.text_frame.text = note
        label.font.size = Pt(10)


ABSOLUTE_PERCENT = "0%;0%"  # negative shares (the disagreeing side) shown without their sign
SMALL_LABEL = 0.06  # a segment narrower than this share of a bar keeps its value out of its label


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    red, green, blue = bytes.fromhex(colour.lstrip("#"))
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]  # python-pptx leaves it untyped


DASHES = {"": "SOLID", "6 3": "DASH", "2 3": "ROUND_DOT", "8 3 2 3": "DASH_DOT", "1 2": "SQUARE_DOT"}


def _series_looks(plot: Any) -> None:
    """Each line the HTML report's colour, dash and marker (``charts.SERIES``): apart in greyscale print."""
    from pptx.enum.chart import XL_MARKER_STYLE
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.util import Pt

    from cxculture import charts

    for index, series in enumerate(plot.plots[0].series):
        colour, dash, shape = charts.SERIES[index % len(charts.SERIES)]
        line = series.format.line
        line.color.rgb, line.width = _rgb(colour), Pt(2.25)
        line.dash_style = MSO_LINE_DASH_STYLE[DASHES[dash]]
        series.marker.style, series.marker.size = XL_MARKER_STYLE[shape.upper()], 7
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = _rgb(colour)
        series.marker.format.line.color.rgb = _rgb(colour)


def _colour(shape: Any, colour: str) -> None:
    for paragraph in shape.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = _rgb(colour)


def _scale_fill(fill: Any, colour: str, hatch: str | None) -> None:
    from pptx.enum.dml import MSO_PATTERN_TYPE

    if hatch is None:
        fill.solid()
        fill.fore_color.rgb = _rgb(colour)
        return
    fill.patterned()
    fill.pattern = MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL
    fill.fore_color.rgb, fill.back_color.rgb = _rgb(hatch), _rgb(colour)


def _hide_small_labels(series: Any, shares: list[float]) -> None:
    """Delete the data label of each point too narrow to hold it (python-pptx has no call for it)."""
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls

    labels = series._element.get_or_add_dLbls()
    for index, share in reversed(list(enumerate(shares))):
        if share < SMALL_LABEL:
            labels.insert(0, parse_xml(f'<c:dLbl {nsdecls("c")}><c:idx val="{index}"/><c:delete val="1"/></c:dLbl>'))


def _hide_legend_entry(plot: Any, index: int) -> None:
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls, qn

    legend = plot.legend._element
    entry = parse_xml(f'<c:legendEntry {nsdecls("c")}><c:idx val="{index}"/><c:delete val="1"/></c:legendEntry>')
    position = legend.find(qn("c:legendPos"))
    legend.insert(0 if position is None else list(legend).index(position) + 1, entry)


_PLACEHOLDERS = {"TITLE": "title", "CENTER_TITLE": "title", "SUBTITLE": "subtitle", "BODY": "body", "OBJECT": "body"}


def _kind(placeholder: Any) -> str:
    """A placeholder's role: title, subtitle, body, or another name (date, footer…)."""
    name = getattr(placeholder.placeholder_format.type, "name", "OBJECT")
    return _PLACEHOLDERS.get(name, name.lower())


def _fill(shape: Any, lines: list[str], largest: int = LARGEST) -> None:
    """Put ``lines`` in ``shape``'s text frame, wrapped, at the largest size that fits its box."""
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    frame = shape.text_frame
    frame.word_wrap = True
    inner_w = (shape.width - frame.margin_left - frame.margin_right) / 12700
    inner_h = (shape.height - frame.margin_top - frame.margin_bottom) / 12700
    size = fitting_size(lines, inner_w, inner_h, largest)
    frame.clear()
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.size = Pt(size)
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE


# --- the slides of each kind ---------------------------------------------------------


def render(subject: Subject) -> bytes:
    deck = Deck(subject.template, subject.t.language)
    SLIDES[subject.kind](deck, subject)
    return deck.save()


def _steps(deck: Deck, move: dict[str, Any] | None, t: Any) -> None:
    if move is None:
        return
    for step in move["steps"]:
        deck.bullets(t("guide.step", number=step["number"], title=step["title"]), [step["summary"], *step["actions"]])


def _assessment(deck: Deck, subject: Subject) -> None:
    t, doc = subject.t, subject.doc
    who = t("result.who", org=doc["org"] or "—", participant=doc["participant"] or "—")
    deck.title(t("result.title"), f"{who} · {t('result.date', date=doc['date'])}")
    summary = briefing.assessment_summary(doc, t)
    level = t("result.level", level=doc["level"]["number"], name=doc["level"]["name"])
    deck.bullets(t("deliver.summary"), [level, doc["level"]["meaning"], *summary["strongest"], *summary["holding"]])
    for chart in briefing.assessment_charts(doc, t):
        deck.chart(chart)
    _steps(deck, doc["next"], t)


def _guide(deck: Deck, subject: Subject) -> None:
    t, doc = subject.t, subject.doc
    deck.title(t("guide.title", level=doc["level"], name=doc["name"]), doc["summary"])
    for chart in briefing.guide_charts(subject.content, doc["level"], t):
        deck.ladder(chart, t("chart.ladder_mark"))
    deck.bullets(t("guide.signs"), doc["signs"])
    deck.bullets(t("guide.quotes"), [t("quote.inline", text=q["text"]) + f" — {q['role']}" for q in doc["quotes"][:2]])
    if doc["next"]:
        areas = doc["next"]["focus_areas"]
        deck.bullets(t("guide.focus_areas"), [f"{t('label', name=a['name'])} {a['why']}" for a in areas])
    _steps(deck, doc["next"], t)
    if doc["sustain"]:
        deck.bullets(t("guide.sustain"), doc["sustain"]["practices"])


def _workshop(deck: Deck, subject: Subject) -> None:
    t, doc = subject.t, subject.doc
    figures: Any = subject.figures
    content = subject.content
    summary = briefing.workshop_summary(content, figures, doc, t)
    facts = [t("workshop.participants", count=summary["participants"])]
    if summary["date"]:
        facts.insert(0, t("result.date", date=summary["date"]))
    if summary["wave"]:
        facts.insert(0, t("deliver.wave", wave=summary["wave"]))
    if summary["client"]:
        facts.insert(0, t("deliver.client", org=summary["client"]))
    deck.title(t("workshop.title"), " · ".join(facts))
    level = summary["level"]
    lines = [t("workshop.level", level=level["number"], name=level["name"]), level["meaning"]]
    lines += [t("deliver.strongest") + " — " + "; ".join(summary["strongest"])]
    if summary["holding"]:
        lines += [t("deliver.holding", threshold=summary["threshold"]) + " — " + "; ".join(summary["holding"])]
    deck.bullets(t("deliver.summary"), lines)
    for chart in briefing.workshop_charts(content, figures, doc, t):
        deck.chart(chart)
    agenda = [item["reason"] for item in doc["agenda"]] or [t("workshop.agenda_none")]
    deck.bullets(t("workshop.agenda"), agenda[:8])
    _steps(deck, briefing.plan(content, figures["level"], subject.lang)["next"], t)


def _comparison(deck: Deck, subject: Subject) -> None:
    t, doc = subject.t, subject.doc
    deck.title(t("compare.title"), f"{doc['level']} · {doc['level_names']}")
    deck.bullets(t("deliver.summary"), [doc["level"], doc["level_names"], *doc["changes"]])
    for chart in briefing.comparison_charts(subject.content, subject.figures, doc, t):  # type: ignore[arg-type]
        deck.chart(chart)


SLIDES = {"assessment": _assessment, "guide": _guide, "workshop": _workshop, "comparison": _comparison}
