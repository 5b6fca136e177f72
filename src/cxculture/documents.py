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


def assessment(content, result, scores, t) -> dict:
    """A scored assessment as a document: level, explanation, scores, next move, answers.

    ``content`` is a loaded ``Content``, ``result`` the ``Result`` record,
    ``scores`` the ``Scores`` it was built from, ``t`` the labels in its language.
    """
    lang = result.lang
    levels, questionnaire = content.levels, content.questionnaire
    area_names = {area.id: area.name(lang) for _, area in levels.focus_areas()}
    pillar_names = {p.id: p.name(lang) for p in content.pillars.pillars}
    level = levels.level(scores.level)
    areas = [
        {
            "id": a.id,
            "name": area_names[a.id],
            "unlocks_level": a.unlocks_level,
            "score": a.score,
            "met": a.met,
            "gap": a.gap,
            "answered": a.answered,
            "statements": a.statements,
        }
        for a in scores.focus_areas
    ]
    perceived = scores.perceived_level
    return {
        "org": result.org,
        "participant": result.participant,
        "segment": result.segment,
        "date": result.created_at[:10],
        "created_at": result.created_at,
        "lang": lang,
        "content_id": result.content_id,
        "threshold": scores.threshold,
        "level": {
            "number": level.number,
            "name": level.name(lang),
            "summary": level.summary(lang),
            "meaning": level.description[0](lang),
        },
        "perceived": None
        if perceived is None
        else {"number": perceived, "name": levels.level(perceived).name(lang)},
        "focus_areas": areas,
        "pillars": [{"id": p.id, "name": pillar_names[p.id], "score": p.score} for p in scores.pillars],
        "explanation": explanation(scores, area_names, t),
        "next": _next_move(level, levels, lang),
        "sustain": _sustain(level, lang),
        "quotes": [{"role": q.role(lang), "text": q.text(lang)} for q in level.quotes[:2]],
        "answers": _answer_rows(content, result.answers, lang, t),
    }


def explanation(scores, area_names: dict[str, str], t) -> list[str]:
    """Why this level, in a few sentences: what holds it, and what is in place above."""
    threshold = _number(scores.threshold)
    if not scores.holding:
        lines = [t("explain.top", level=scores.level, threshold=threshold)]
    else:
        lines = [t("explain.held", level=scores.level, next=scores.level + 1, threshold=threshold)]
        for area in scores.holding:
            name = area_names[area.id]
            if area.score is None:
                lines.append(t("explain.area_unanswered", name=name))
            else:
                lines.append(t("explain.area_gap", name=name, score=f"{area.score:.1f}", gap=f"{area.gap:.1f}"))
    if scores.above:
        names = ", ".join(area_names[a.id] for a in scores.above)
        lines.append(t("explain.above", areas=names))
    return lines


def _number(value: float) -> str:
    return f"{value:g}"


def _answer_rows(content, answers: dict, lang: str, t) -> list[dict]:
    questionnaire = content.questionnaire
    labels = {point.value: point.label(lang) for point in questionnaire.scale.points}
    rows = []
    for statement in questionnaire.statements:
        value = answers.get(statement.id)
        rows.append(
            {
                "id": statement.id,
                "question": statement.text(lang),
                "value": value,
                "answer": questionnaire.scale.dont_know(lang) if value is None else f"{value} · {labels[value]}",
            }
        )
    quote = questionnaire.quote_question
    chosen = answers.get(quote.id)
    rows.append(
        {
            "id": quote.id,
            "question": quote.prompt(lang),
            "value": chosen,
            "answer": quote.none_of_these(lang)
            if chosen is None
            else t("answer.quote_level", level=chosen, text=content.levels.level(chosen).quotes[0].text(lang)),
        }
    )
    return rows


def questions(content, lang: str) -> list[dict]:
    """The questionnaire as rows: id, text, what it measures, the level it unlocks."""
    area_levels = {area.id: (unlocks, area) for unlocks, area in content.levels.focus_areas()}
    pillar_names = {p.id: p.name(lang) for p in content.pillars.pillars}
    rows = []
    for statement in content.questionnaire.statements:
        unlocks, area = area_levels.get(statement.focus_area, (None, None))
        rows.append(
            {
                "id": statement.id,
                "text": statement.text(lang),
                "focus_area": statement.focus_area,
                "pillar": statement.pillar,
                "level": unlocks,
                "measures": area.name(lang) if area else pillar_names[statement.pillar],
            }
        )
    quote = content.questionnaire.quote_question
    rows.append(
        {"id": quote.id, "text": quote.prompt(lang), "focus_area": None, "pillar": None, "level": None, "measures": "—"}
    )
    return rows
