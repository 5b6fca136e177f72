"""What the client deliverables (HTML report, PowerPoint deck) add to a document.

A summary for page 1, the plan (the guide's next move and a few quotes), the
method in one paragraph, and the data of each chart: categories and named
series of numbers, taken from the JSON figures and nothing else, in one
language. The HTML format draws them as SVG (``charts``), the deck as native
charts. Pure functions of content, figures and labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cxculture.charts import Series
from cxculture.documents import Doc
from cxculture.lang import Lang, decimal


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart's data: ``kind`` (radar, diverging, bars, shares, heatmap, lines, ladder), categories and series."""

    kind: str
    ident: str
    title: str
    desc: str
    categories: list[str]
    series: list[Series]
    threshold: float | None = None
    labels: list[str] = field(default_factory=list)  # the scale's points, for a diverging chart
    notes: list[str] = field(default_factory=list)  # what each category's value is written as (shares)
    groups: list[list[str]] = field(default_factory=list)  # names under each category (a ladder's focus areas)
    highlight: int | None = None  # the category shown as "this one" (a ladder's level)


def _values_text(categories: list[str], values: list[Any], fmt: Any) -> str:
    return "; ".join(f"{name} {fmt(value)}" for name, value in zip(categories, values, strict=True))


def _score(t: Any) -> Any:
    return lambda value: decimal(value, t.language)


def radar(ident: str, title: str, areas: list[str], series: list[Series], t: Any, threshold: float) -> Chart:
    desc = " ".join(
        t("chart.series_desc", name=s.name, values=_values_text(areas, list(s.values), _score(t))) for s in series
    )
    return Chart("radar", ident, title, desc, areas, series, threshold)


# --- assessment -----------------------------------------------------------------


def assessment_charts(doc: Doc, t: Any) -> list[Chart]:
    areas = [a["name"] for a in doc["focus_areas"]]
    who = doc["participant"] or t("chart.participant")
    charts = [
        radar(
            "radar",
            t("chart.radar"),
            areas,
            [Series(who, [a["score"] for a in doc["focus_areas"]])],
            t,
            doc["threshold"],
        )
    ]
    pillars = [p["name"] for p in doc["pillars"]]
    scores = [p["score"] for p in doc["pillars"]]
    charts.append(
        Chart(
            "bars",
            "pillars",
            t("result.pillars"),
            t("chart.series_desc", name=who, values=_values_text(pillars, scores, _score(t))),
            pillars,
            [Series(who, scores)],
        )
    )
    return charts


def assessment_summary(doc: Doc, t: Any) -> Doc:
    met = [a for a in doc["focus_areas"] if a["score"] is not None]
    strongest = sorted(met, key=lambda a: -a["score"])[:3]
    return {
        "strongest": [t("chart.area_score", name=a["name"], score=decimal(a["score"], t.language)) for a in strongest],
        "holding": doc["explanation"],
    }


# --- workshop -------------------------------------------------------------------


def _shown_segments(figures: Doc) -> dict[str, Doc]:
    """The segments whose figures may be shown (small ones are suppressed by the workshop figures)."""
    return {
        name: group
        for name, group in (figures.get("segments") or {}).items()
        if not group.get("suppressed") and group.get("focus_areas")
    }


def _segment_label(name: str, t: Any) -> str:
    from cxculture.workshop import NO_SEGMENT

    return t("workshop.no_segment") if name == NO_SEGMENT else name


def workshop_charts(content: Any, figures: Doc, doc: Doc, t: Any) -> list[Chart]:
    """Radar (group, and each segment shown), met areas, answers per statement, individual levels, segment heat map."""
    areas = [a["name"] for a in doc["focus_areas"]]
    ids = [a["id"] for a in figures["focus_areas"]]
    segments = _shown_segments(figures)
    series = [Series(t("chart.group"), [a["score"] for a in figures["focus_areas"]])]
    for name, group in segments.items():
        by_id = {a["id"]: a["score"] for a in group["focus_areas"]}
        series.append(Series(_segment_label(name, t), [by_id.get(i) for i in ids]))
    threshold = content.questionnaire.scale.met_threshold
    charts = [radar("radar", t("chart.radar"), areas, series, t, threshold), met_areas(figures, areas, t, threshold)]
    distribution = statement_distribution(content, figures, t)
    if distribution is not None:
        charts.append(distribution)
    levels = content.levels
    names = [t("chart.level", level=n, name=levels.level(int(n)).name(t.lang)) for n in figures["levels"]]
    counts = [figures["levels"][n] for n in figures["levels"]]
    charts.append(
        Chart(
            "bars",
            "levels",
            t("chart.levels"),
            t("chart.series_desc", name=t("workshop.levels"), values=_values_text(names, counts, str)),
            names,
            [Series(t("workshop.levels"), counts)],
        )
    )
    if segments:
        columns = list(series[1:])
        charts.append(
            Chart(
                "heatmap",
                "heatmap",
                t("chart.heatmap"),
                " ".join(
                    t("chart.series_desc", name=s.name, values=_values_text(areas, list(s.values), _score(t)))
                    for s in columns
                ),
                areas,
                columns,
            )
        )
    return charts


def met_areas(figures: Doc, areas: list[str], t: Any, threshold: float) -> Chart:
    """How widely each focus area is met: the share of the participants scored on it whose own score meets it."""
    from cxculture.documents import percent

    shares = [a["met_share"] for a in figures["focus_areas"]]
    notes = [
        t("chart.met_note", share=percent(a["met_share"], t), count=a["met_count"], total=a["scored"])
        for a in figures["focus_areas"]
    ]
    title = t("chart.met", threshold=decimal(threshold, t.language))
    desc = t("chart.series_desc", name=t("chart.met_series"), values=_values_text(areas, notes, str))
    return Chart("shares", "met", title, desc, areas, [Series(t("chart.met_series"), shares)], notes=notes)


def statement_distribution(content: Any, figures: Doc, t: Any) -> Chart | None:
    """Answers 1..5 per statement, when the workshop figures carry each statement's distribution."""
    texts = {s.id: s.text(t.lang) for s in content.questionnaire.statements}
    rows = [
        s
        for area in figures["focus_areas"]
        for s in area.get("statements") or []
        if isinstance(s, dict) and isinstance(s.get("distribution"), dict)
    ]
    if not rows:
        return None
    scale = [p.label(t.lang) for p in content.questionnaire.scale.points]
    keys = [str(p.value) for p in content.questionnaire.scale.points]
    series = [
        Series(label, [row["distribution"].get(key, 0) for row in rows]) for key, label in zip(keys, scale, strict=True)
    ]
    names = [str(texts.get(row["id"], row["id"])) for row in rows]
    desc = t("chart.distribution_desc", count=len(rows))
    return Chart("diverging", "answers", t("chart.distribution"), desc, names, series, labels=scale)


def diverging_sides(chart: Chart) -> list[tuple[int, Series]]:
    """A diverging chart as a stacked bar chart draws it: each answer's share of a statement's answers, signed.

    The disagreeing points are negative, nearest the centre first (a stacked bar
    chart stacks negative values outwards in series order); the middle point of
    an odd scale is split in two halves across the centre line; then the agreeing
    points, positive. Each series comes with the index of its scale point.
    """
    points = len(chart.series)
    totals = [sum(int(s.values[r] or 0) for s in chart.series) for r in range(len(chart.categories))]

    def shares(point: int, factor: float) -> Series:
        values = [
            factor * int(v or 0) / total + 0.0 if total else 0.0  # + 0.0: no -0.0
            for v, total in zip(chart.series[point].values, totals, strict=True)
        ]
        return Series(chart.series[point].name, values)

    middle = [points // 2] if points % 2 else []
    low = range(points // 2 - 1, -1, -1)
    high = range((points + 1) // 2, points)
    return [
        *((m, shares(m, -0.5)) for m in middle),
        *((p, shares(p, -1)) for p in low),
        *((m, shares(m, 0.5)) for m in middle),
        *((p, shares(p, 1)) for p in high),
    ]


def workshop_summary(content: Any, figures: Doc, doc: Doc, t: Any) -> Doc:
    """Page 1 of a workshop report: who, when, the level and what it means, strengths, what holds it, agenda."""
    lang = t.lang
    levels = content.levels
    level = levels.level(figures["level"])
    perceived = {k: v for k, v in figures["perceived_levels"].items() if k != "none" and v}
    top = max(perceived, key=lambda k: (perceived[k], -int(k))) if perceived else None
    scored = [(a, f) for a, f in zip(doc["focus_areas"], figures["focus_areas"], strict=True) if f["score"] is not None]
    strongest = sorted(scored, key=lambda pair: -pair[1]["score"])[:3]
    threshold = content.questionnaire.scale.met_threshold
    unlocks = {area.id: n for n, area in levels.focus_areas()}
    holding = [
        t("chart.area_score", name=a["name"], score=decimal(f["score"], t.language))
        for a, f in zip(doc["focus_areas"], figures["focus_areas"], strict=True)
        if unlocks.get(f["id"]) == figures["level"] + 1 and not f["met"]
    ]
    wave = figures.get("wave")
    if not isinstance(wave, dict):  # a wave is {label, date} (import --wave/--date)
        wave = {"label": wave, "date": None}
    created = figures.get("created_at") or ""
    return {
        "client": figures.get("org"),
        "wave": wave.get("label"),
        "date": wave.get("date") or created[:10] or None,
        "participants": figures["participants"],
        "level": {"number": level.number, "name": level.name(lang), "meaning": level.summary(lang)},
        "perceived": None
        if top is None
        else {"number": int(top), "name": levels.level(int(top)).name(lang), "count": perceived[top]},
        "strongest": [
            t("chart.area_score", name=a["name"], score=decimal(f["score"], t.language)) for a, f in strongest
        ],
        "holding": holding,
        "threshold": decimal(threshold, t.language),
        "agenda": [item["reason"] for item in doc["agenda"][:3]],
    }


def plan(content: Any, number: int, lang: Lang) -> Doc:
    """The guide's next move from level ``number`` (or how to keep the top level) and two quotes of it."""
    from cxculture import documents

    guide = documents.level_guide(content.levels, number, lang)
    return {"next": guide["next"], "sustain": guide["sustain"], "quotes": guide["quotes"][:2]}


# --- guide ------------------------------------------------------------------------


def guide_charts(content: Any, number: int, t: Any) -> list[Chart]:
    """The level ladder: each level, the focus areas that lead to it, the level the guide describes."""
    levels = content.levels.levels
    names = [t("chart.level", level=level.number, name=level.name(t.lang)) for level in levels]
    groups = [[], *([area.name(t.lang) for area in level.move.focus_areas] if level.move else [] for level in levels)]
    groups = groups[: len(levels)]
    counts = [len(areas) for areas in groups]
    steps = " ".join(
        t("chart.ladder_step", level=name, areas="; ".join(areas)) if areas else f"{name}."
        for name, areas in zip(names, groups, strict=True)
    )
    desc = f"{steps} {t('chart.ladder_here', level=names[number - 1])}"
    series = [Series(t("guide.focus_areas"), counts)]
    return [Chart("ladder", "ladder", t("chart.ladder"), desc, names, series, groups=groups, highlight=number - 1)]


# --- comparison -----------------------------------------------------------------


def comparison_charts(content: Any, figures: Doc, doc: Doc, t: Any) -> list[Chart]:
    """Radar of the first and last snapshots; trend lines over three snapshots or more."""
    areas = [a["name"] for a in doc["focus_areas"]]
    moments = [_moment(f, i, t) for i, f in enumerate(figures["files"])]
    first, last = figures["focus_areas"], figures["focus_areas"]
    series = [
        Series(moments[0], [a["before"] for a in first]),
        Series(moments[-1], [a["after"] for a in last]),
    ]
    threshold = content.questionnaire.scale.met_threshold
    charts = [radar("radar", t("chart.radar_compare"), areas, series, t, threshold)]
    if figures["trend"]:
        trends = [Series(name, list(a["scores"])) for name, a in zip(areas, figures["focus_areas"], strict=True)]
        charts.append(
            Chart(
                "lines",
                "trend",
                t("chart.trend"),
                " ".join(
                    t("chart.series_desc", name=s.name, values=_values_text(moments, list(s.values), _score(t)))
                    for s in trends
                ),
                moments,
                trends,
            )
        )
    return charts


def _moment(file: Doc, index: int, t: Any) -> str:
    created = file.get("created_at")
    return created[:10] if isinstance(created, str) and created else t("chart.moment", number=index + 1)


def method(content: Any, t: Any) -> str:
    return str(t("deliver.method_text", threshold=decimal(content.questionnaire.scale.met_threshold, t.language)))
