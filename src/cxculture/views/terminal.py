"""Rich renderables for the terminal, built from localised documents.

Texts from content or users are wrapped in ``rich.text.Text`` so that square
brackets are never read as Rich markup. Styles only show on a colour terminal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from cxculture.lang import decimal
from cxculture.model import Speaker
from cxculture.views import EMPTY, FULL, NO_BREAK_STAND_INS, bar_fill, swap

if TYPE_CHECKING:  # ``t``: the labels in one language, which ``t.lang`` names
    from cxculture.documents import Doc
    from cxculture.model import Speaker as Say

_Doc = TypeVar("_Doc", bound="Doc | list[Doc]")


def for_screen(doc: _Doc, t: Say) -> tuple[_Doc, Say]:
    """``doc`` and the labels as the views give them to Rich: no line breaks at no-break spaces.

    (See ``views.NO_BREAK_STAND_INS``; ``screen.render`` puts the spaces back.)
    """
    return _unbreakable(doc), _ScreenSpeaker(t.ui, t.language)


def _unbreakable(value: Any) -> Any:
    if isinstance(value, str):
        return swap(value, NO_BREAK_STAND_INS)
    if isinstance(value, dict):
        return {key: _unbreakable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unbreakable(item) for item in value]
    return value


class _ScreenSpeaker(Speaker):
    """The labels, with their no-break spaces as ``for_screen`` gives them."""

    __slots__ = ()

    def __call__(self, key: str, **fields: object) -> str:
        return swap(super().__call__(key, **fields), NO_BREAK_STAND_INS)


HEADING = "bold cyan"
TITLE = "bold"


def pad(renderable: RenderableType, top: int = 0, left: int = 0, bottom: int = 0) -> RenderableType:
    """Space around a block, without padding lines to the full width."""
    return Padding(renderable, (top, 0, bottom, left), expand=False)


def title(text: str, subtitle: str | None = None) -> RenderableType:
    parts = [Text(text, style=TITLE)]
    if subtitle:
        parts.append(Text(subtitle, style="italic"))
    return Group(*parts)


def heading(text: str) -> RenderableType:
    return pad(Text(text, style=HEADING), top=1)


def paragraphs(texts: Iterable[str], indent: int = 0) -> RenderableType:
    return Group(*(pad(Text(t), top=1, left=indent) for t in texts))


def bullets(items: Iterable[str | RenderableType], marker: str = "•", indent: int = 2) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row(marker, Text(item) if isinstance(item, str) else item)
    return pad(grid, left=indent)


def numbered(items: Iterable[RenderableType], indent: int = 2) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column()
    for n, item in enumerate(items, start=1):
        grid.add_row(f"{n}.", item)
    return pad(grid, left=indent)


def labelled(label: str, text: str) -> Text:
    """``label`` in bold, then ``text`` (label already punctuated by ui.yaml)."""
    line = Text(label, style="bold")
    line.append(" ")
    line.append(text)
    return line


def levels_table(rows: list[Doc], t: Say) -> RenderableType:
    table = Table(title=t("levels.title"), show_lines=True, expand=True)
    table.add_column(t("levels.col_level"), justify="right", no_wrap=True)
    longest_word = max((len(w) for row in rows for w in row["name"].split()), default=8)
    table.add_column(t("levels.col_name"), style="bold", min_width=longest_word, max_width=longest_word + 4)
    table.add_column(t("levels.col_summary"), ratio=4)
    table.add_column(t("levels.col_focus"), ratio=3)
    for row in rows:
        focus = "\n".join(f"• {name}" for name in row["focus_areas"]) or "—"
        table.add_row(str(row["level"]), Text(row["name"]), Text(row["summary"]), Text(focus))
    return table


def quotes(items: list[Doc], t: Say, indent: int = 2) -> RenderableType:
    blocks = []
    for quote in items:
        said = Text(t("quote.inline", text=quote["text"]), style="italic")
        blocks.append(Group(said, Text(f"  — {quote['role']}", style="dim")))
    return pad(Group(*(pad(b, bottom=1) for b in blocks)), left=indent)


def move(next_move: Doc, t: Say) -> RenderableType:
    steps = [
        Group(
            Text(step["title"], style="bold"),
            Text(f"({step['focus_area_name']})", style="dim"),
            Text(step["summary"]),
            bullets(step["actions"], marker="–", indent=0),
        )
        for step in next_move["steps"]
    ]
    return Group(
        heading(t("guide.to_reach", level=next_move["level"], name=next_move["name"])),
        pad(Text(next_move["intro"]), left=2),
        heading(t("guide.focus_areas")),
        bullets(labelled(t("label", name=area["name"]), area["why"]) for area in next_move["focus_areas"]),
        heading(t("guide.steps")),
        numbered(pad(step, bottom=1) for step in steps),
    )


def guide(doc: Doc, t: Say) -> RenderableType:
    parts: list[RenderableType] = [
        title(t("guide.title", level=doc["level"], name=doc["name"]), doc["summary"]),
        paragraphs(doc["description"]),
        heading(t("guide.signs")),
        bullets(doc["signs"]),
        heading(t("guide.quotes")),
        quotes(doc["quotes"], t),
    ]
    if doc["next"]:
        parts.append(move(doc["next"], t))
    if doc["sustain"]:
        parts += [
            heading(t("guide.sustain")),
            pad(Text(doc["sustain"]["intro"]), left=2),
            Text(""),
            bullets(doc["sustain"]["practices"]),
        ]
    return Group(*parts)


def pillars(doc: Doc, t: Say) -> RenderableType:
    def section(key: str, entries: list[Doc]) -> RenderableType:
        return Group(heading(t(key)), bullets(labelled(t("label", name=e["name"]), e["summary"]) for e in entries))

    conditions = [
        Group(
            labelled(t("label", name=c["name"]), t("quote.inline", text=c["question"])), Text(c["summary"], style="dim")
        )
        for c in doc["customer_conditions"]
    ]
    return Group(
        title(t("pillars.title")),
        pad(Text(doc["intro"]), top=1),
        section("pillars.pillars", doc["pillars"]),
        section("pillars.values", doc["values"]),
        section("pillars.virtues", doc["virtues"]),
        heading(t("pillars.conditions")),
        bullets(conditions),
    )


def bar(score: float | None, threshold: float, width: int = 20) -> Text:
    """``████████░░░░`` for a score out of 5, green from ``threshold`` on (dots when there is no score)."""
    if score is None:
        return Text("·" * width, style="dim")
    filled = bar_fill(score, width)
    line = Text(FULL * filled, style="green" if score >= threshold else "yellow")
    line.append(EMPTY * (width - filled), style="dim")
    return line


def score_rows(rows: list[Doc], t: Say, threshold: float, *, mark_met: bool) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    if mark_met:
        grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    for row in rows:
        cells: list[RenderableType] = [
            Text(row["name"]),
            bar(row["score"], threshold),
            decimal(row["score"], t.language),
        ]
        if mark_met:
            cells.insert(0, Text(t("result.yes"), style="green") if row["met"] else Text(t("result.no"), style="red"))
        grid.add_row(*cells)
    return pad(grid, left=2)


def assessment(doc: Doc, t: Say) -> RenderableType:
    who = t("result.who", org=doc["org"] or "—", participant=doc["participant"] or "—")
    facts = [who, t("result.date", date=doc["date"]), doc["coverage"]]
    if doc["segment"]:
        facts.insert(1, t("result.segment", segment=doc["segment"]))
    level = doc["level"]
    perceived = doc["perceived"]
    parts: list[RenderableType] = [
        title(t("result.title"), " · ".join(facts)),
        pad(Text(t("result.level", level=level["number"], name=level["name"]), style="bold green"), top=1),
        Text(level["summary"]),
        Text(
            t("result.perceived", level=perceived["number"], name=perceived["name"])
            if perceived
            else t("result.perceived_none"),
            style="dim",
        ),
        heading(t("result.focus_areas")),
        score_rows(doc["focus_areas"], t, doc["threshold"], mark_met=True),
        heading(t("result.pillars")),
        score_rows(doc["pillars"], t, doc["threshold"], mark_met=False),
        heading(t("result.why")),
        bullets(doc["explanation"]),
    ]
    if doc["next"]:
        parts.append(move(doc["next"], t))
    if doc["sustain"]:
        parts += [heading(t("guide.sustain")), bullets(doc["sustain"]["practices"])]
    return Group(*parts)


def questions_table(rows: list[Doc], t: Say) -> RenderableType:
    table = Table(show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t("questions.col_id"), no_wrap=True, style="dim")
    table.add_column(t("questions.col_text"), ratio=3)
    table.add_column(t("questions.col_measures"), ratio=1)
    for n, row in enumerate(rows, start=1):
        notes = [t("questions.reverse")] if row["reverse"] else []
        notes += [row["applies_to"]] if row["applies_to"] else []
        text = Text(row["text"])
        for note in notes:
            text.append(f"\n({note})", style="dim")
        table.add_row(str(n), row["id"], text, Text(row["measures"]))
    return table


def workshop(doc: Doc, t: Say) -> RenderableType:
    """The workshop synthesis: group level, areas (met for whom, split or not), agenda, rules, segments."""
    level = doc["level"]
    facts = [t("workshop.participants", count=doc["participants"]), *([doc["wave"]] if doc.get("wave") else [])]
    parts: list[RenderableType] = [
        title(t("workshop.title"), " · ".join(facts)),
        *([Text(doc["left_out"], style="dim")] if doc["left_out"] else []),
        pad(Text(t("workshop.level", level=level["number"], name=level["name"]), style="bold green"), top=1),
        heading(t("workshop.focus_areas")),
        area_table(doc["focus_areas"], t),
        heading(t("workshop.agenda")),
    ]
    items = [
        Group(
            Text(item["reason"], style="bold"), *([Text(item["statement"], style="dim")] if item["statement"] else [])
        )
        for item in doc["agenda"]
    ]
    parts.append(
        numbered(pad(item, bottom=1) for item in items) if items else pad(Text(t("workshop.agenda_none")), left=2)
    )
    parts += [
        heading(t("workshop.pillars")),
        score_rows(doc["pillars"], t, doc["threshold"], mark_met=False),
        heading(t("workshop.levels")),
        bullets(doc["levels"]),
        heading(t("workshop.perceived")),
        bullets(doc["perceived"]),
    ]
    if doc["segments"]:
        parts += [heading(t("workshop.segments")), segments_table(doc["segments"], t)]
        if doc["gaps"]:
            parts += [heading(t("workshop.gaps")), bullets(doc["gaps"])]
    parts += [heading(t("workshop.statements")), statement_bars(doc["statements"], t)]
    parts += [heading(t("workshop.rules")), bullets(doc["rules"])]
    return Group(*parts)


def area_table(rows: list[Doc], t: Say) -> RenderableType:
    """Met mark, name (with the polarised mark), score, met for, scored, don't know."""
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
    table.add_column("")
    table.add_column(t("result.col_area"), ratio=1)
    table.add_column(t("result.col_score"), justify="right", no_wrap=True)
    table.add_column(t("workshop.col_met_share"), justify="right", no_wrap=True)
    table.add_column(t("workshop.col_scored"), justify="right", no_wrap=True)
    table.add_column(t("workshop.col_dont_know"), justify="right", no_wrap=True)
    for row in rows:
        mark = Text(t("result.yes"), style="green") if row["met"] else Text(t("result.no"), style="red")
        name = Text(row["name"])
        if row["polarised"]:
            name.append(f" {t('workshop.polarised')}", style="yellow")
        table.add_row(
            mark, name, decimal(row["score"], t.language), row["met_share"], str(row["scored"]), row["dont_know"]
        )
    return pad(table, left=1)


def segments_table(doc: Doc, t: Say) -> RenderableType:
    """Segments side by side; when they do not all fit the terminal, several tables, each repeating the areas."""
    return pad(_SegmentTables(doc, t), top=1)


class _SegmentTables:
    """Rich renderable: as many segment columns per table as the width allows (never a column dropped)."""

    def __init__(self, doc: Doc, t: Say) -> None:
        self.doc, self.t = doc, t

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        doc = self.doc
        area_width = min(30, max(len(r["name"]) for r in doc["rows"]))
        # a head on one line, its cells and borders: what a column needs for Rich never to crop the table
        widths = [max(6, len(head)) + 3 for head in doc["heads"]]
        room = max(1, options.max_width - area_width - 4)
        start = 0
        while start < len(widths):
            end, used = start, 0
            while end < len(widths) and (end == start or used + widths[end] <= room):
                used += widths[end]
                end += 1
            yield self._table(range(start, end), area_width)
            start = end

    def _table(self, columns: range, area_width: int) -> Table:
        doc, t = self.doc, self.t
        table = Table(show_lines=False, expand=False)
        table.add_column(t("result.col_area"), min_width=area_width)
        for c in columns:
            table.add_column(Text(doc["heads"][c]), justify="right")
        table.add_row(t("workshop.row_level"), *(doc["levels"][c] for c in columns), style="bold")
        for row in doc["rows"]:
            table.add_row(Text(row["name"]), *(row["scores"][c] for c in columns))
        return table


# Answers 1..5 of a statement: disagreement left of the centre line, agreement right;
# the glyphs differ, so the bar reads without colour too.
ANSWER_GLYPHS = (("█", "red"), ("▓", "red"), ("░", "dim"), ("▓", "green"), ("█", "green"))


def distribution_bar(counts: list[int], half: int = 15) -> Text:
    """A diverging bar of the answers 1..5 (``counts[:5]``), ``half`` cells each side of ``│``."""
    scored = counts[:5]
    total = sum(scored)
    cells: list[tuple[str, str]] = [(" ", "")] * (2 * half)
    if total:
        start = half - (scored[0] + scored[1] + scored[2] / 2) / total * half
        edge = start
        for count, mark in zip(scored, ANSWER_GLYPHS, strict=True):
            end = edge + count / total * half
            for cell in range(round(edge), round(end)):
                cells[cell] = mark
            edge = end
    line = Text()
    for n, (glyph, style) in enumerate(cells):
        if n == half:
            line.append("│")
        line.append(glyph, style=style)
    return line


def statement_bars(areas: list[Doc], t: Say) -> RenderableType:
    """Each area's statements: the text, then its answers as a bar and in words."""
    blocks: list[RenderableType] = []
    for area in areas:
        blocks.append(pad(Text(area["name"], style="bold"), top=1))
        for row in area["rows"]:
            words = Text(row["in_words"] or "—", style="dim")
            if row["polarised"]:
                words.append(f" {t('workshop.polarised')}", style="yellow")
            line = Table.grid(padding=(0, 2))
            line.add_column(no_wrap=True)
            line.add_column()
            line.add_row(distribution_bar(row["counts"]), words)
            blocks.append(pad(Group(Text(row["text"]), line), left=2))
    legend = Text(t("workshop.bar_legend"), style="dim")
    return Group(pad(legend, left=2), *blocks)


def comparison(doc: Doc, t: Say) -> RenderableType:
    """Level then → now, each focus area's and pillar's change, what became met, segments over time."""
    parts: list[RenderableType] = [
        title(t("compare.title")),
        heading(t("compare.files")),
        bullets(doc["files"]),
        pad(Text(doc["level"], style="bold green"), top=1),
        Text(doc["level_names"]),
        heading(t("compare.focus_areas")),
        pad(change_table(doc["focus_areas"], t("result.col_area"), doc["trend"], t), top=1),
        pad(bullets(doc["changes"], indent=0), top=1),
    ]
    if doc["pillars"]:
        parts += [
            heading(t("compare.pillars")),
            pad(change_table(doc["pillars"], t("result.col_pillar"), doc["trend"], t), top=1),
        ]
    if doc["segments"]:
        table = Table(show_lines=False, expand=False)
        for key in ("compare.col_segment", "compare.col_participants", "compare.col_level"):
            table.add_column(t(key), no_wrap=key != "compare.col_segment")
        for row in doc["segments"]:
            table.add_row(Text(row["name"]), row["participants"], row["level"])
        parts += [heading(t("compare.segments")), pad(table, top=1), pad(Text(doc["min_group"], style="dim"), top=1)]
    return Group(*parts)


def change_table(rows: list[Doc], first: str, trend: bool, t: Say) -> RenderableType:
    """Name, before, after, change (and the trend over three files or more)."""
    table = Table(show_lines=False, expand=False)
    table.add_column(first, ratio=1)
    table.add_column(t("compare.col_before"), justify="right", no_wrap=True)
    table.add_column(t("compare.col_after"), justify="right", no_wrap=True)
    table.add_column(t("compare.col_change"), justify="right", no_wrap=True)
    if trend:
        table.add_column(t("compare.col_trend"), no_wrap=True)
    for row in rows:
        before, after = decimal(row["before"], t.language), decimal(row["after"], t.language)
        cells = [Text(row["name"]), before, after, row["change"]]
        if trend:
            cells.append(row["trend"])
        table.add_row(*cells)
    return table
