"""Plain, localised documents built from content (and later results).

A document is a dict of strings, numbers and lists in one language: the one
input of every renderer (Rich for the terminal, Jinja2 for markdown, JSON).
"""

from __future__ import annotations

from cxculture.model import Entry, Level, LevelsFile, PillarsFile


def levels_overview(levels: LevelsFile, lang: str) -> list[dict]:
    """One row per level: number, name, summary, focus areas to move up."""
    return [
        {
            "level": level.number,
            "name": level.name(lang),
            "summary": level.summary(lang),
            "focus_areas": [area.name(lang) for area in level.move.focus_areas] if level.move else [],
        }
        for level in levels.levels
    ]


def level_guide(levels: LevelsFile, number: int, lang: str) -> dict:
    """Everything the guide says of one level, in one language."""
    level = levels.level(number)
    return {
        "level": level.number,
        "name": level.name(lang),
        "summary": level.summary(lang),
        "description": [paragraph(lang) for paragraph in level.description],
        "signs": [sign(lang) for sign in level.signs],
        "quotes": [{"role": q.role(lang), "text": q.text(lang)} for q in level.quotes],
        "next": _next_move(level, levels, lang),
        "sustain": _sustain(level, lang),
    }


def next_move(levels: LevelsFile, number: int, lang: str) -> dict | None:
    """The move from level ``number`` to the next one (``None`` at the top)."""
    return _next_move(levels.level(number), levels, lang)


def _next_move(level: Level, levels: LevelsFile, lang: str) -> dict | None:
    move = level.move
    if move is None:
        return None
    areas = {area.id: area.name(lang) for area in move.focus_areas}
    return {
        "level": level.number + 1,
        "name": levels.level(level.number + 1).name(lang),
        "intro": move.intro(lang),
        "focus_areas": [
            {"id": area.id, "name": area.name(lang), "why": area.why(lang)} for area in move.focus_areas
        ],
        "steps": [
            {
                "number": n,
                "focus_area": step.focus_area,
                "focus_area_name": areas[step.focus_area],
                "title": step.title(lang),
                "summary": step.summary(lang),
                "actions": [action(lang) for action in step.actions],
            }
            for n, step in enumerate(move.steps, start=1)
        ],
    }


def _sustain(level: Level, lang: str) -> dict | None:
    if level.sustain is None:
        return None
    return {
        "intro": level.sustain.intro(lang),
        "practices": [practice(lang) for practice in level.sustain.practices],
    }


def pillars_overview(pillars: PillarsFile, lang: str) -> dict:
    """The second lens: pillars, values, virtues and customer conditions."""

    def entries(items: tuple[Entry, ...]) -> list[dict]:
        return [{"id": e.id, "name": e.name(lang), "summary": e.summary(lang)} for e in items]

    return {
        "intro": pillars.intro(lang),
        "pillars": entries(pillars.pillars),
        "values": entries(pillars.values),
        "virtues": entries(pillars.virtues),
        "customer_conditions": [
            {"id": c.id, "name": c.name(lang), "question": c.question(lang), "summary": c.summary(lang)}
            for c in pillars.customer_conditions
        ],
    }
