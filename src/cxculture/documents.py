"""Plain, localised documents built from content (and later results).

A document is a dict of strings, numbers and lists in one language: the one
input of every renderer (Rich for the terminal, Jinja2 for markdown, JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cxculture.lang import Lang, Language, decimal
from cxculture.model import Entry, Level, LevelsFile, PillarsFile

if TYPE_CHECKING:
    from cxculture.loading import Content
    from cxculture.model import Result
    from cxculture.model import Speaker as Say
    from cxculture.scoring import Scores

Doc = dict[str, Any]  # a document: plain data (str, numbers, lists, dicts) in one language


def levels_overview(levels: LevelsFile, lang: Lang) -> list[Doc]:
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


def level_guide(levels: LevelsFile, number: int, lang: Lang) -> Doc:
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


def next_move(levels: LevelsFile, number: int, lang: Lang) -> Doc | None:
    """The move from level ``number`` to the next one (``None`` at the top)."""
    return _next_move(levels.level(number), levels, lang)


def _next_move(level: Level, levels: LevelsFile, lang: Lang) -> Doc | None:
    move = level.move
    if move is None:
        return None
    areas = {area.id: area.name(lang) for area in move.focus_areas}
    return {
        "level": level.number + 1,
        "name": levels.level(level.number + 1).name(lang),
        "intro": move.intro(lang),
        "focus_areas": [{"id": area.id, "name": area.name(lang), "why": area.why(lang)} for area in move.focus_areas],
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


def _sustain(level: Level, lang: Lang) -> Doc | None:
    if level.sustain is None:
        return None
    return {
        "intro": level.sustain.intro(lang),
        "practices": [practice(lang) for practice in level.sustain.practices],
    }


def pillars_overview(pillars: PillarsFile, lang: Lang) -> Doc:
    """The second lens: pillars, values, virtues and customer conditions."""

    def entries(items: tuple[Entry, ...]) -> list[Doc]:
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


def assessment(content: Content, result: Result, scores: Scores, t: Say) -> Doc:
    """A scored assessment as a document: level, explanation, scores, next move, answers.

    ``content`` is a loaded ``Content``, ``result`` the ``Result`` record,
    ``scores`` the ``Scores`` it was built from, ``t`` the labels in its language.
    """
    lang = result.lang
    levels = content.levels
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
        "language": content.languages[lang].name,  # its own name, as languages.yaml declares it
        "content_id": result.content_id,
        "threshold": scores.threshold,
        "coverage": t("result.coverage", answered=scores.answered, statements=scores.statements),
        "level": {
            "number": level.number,
            "name": level.name(lang),
            "summary": level.summary(lang),
            "meaning": level.description[0](lang),
        },
        "perceived": None if perceived is None else {"number": perceived, "name": levels.level(perceived).name(lang)},
        "focus_areas": areas,
        "pillars": [{"id": p.id, "name": pillar_names[p.id], "score": p.score} for p in scores.pillars],
        "explanation": explanation(scores, area_names, t),
        "next": _next_move(level, levels, lang),
        "sustain": _sustain(level, lang),
        "quotes": [{"role": q.role(lang), "text": q.text(lang)} for q in level.quotes[:2]],
        "answers": _answer_rows(content, result.answers, lang, t),
    }


def explanation(scores: Scores, area_names: dict[str, str], t: Say) -> list[str]:
    """Why this level, in a few sentences: what holds it, and what is in place above."""
    threshold = decimal(scores.threshold, t.language)
    if not scores.holding:
        lines = [t("explain.top", level=scores.level, threshold=threshold)]
    else:
        lines = [t("explain.held", level=scores.level, next=scores.level + 1, threshold=threshold)]
        for area in scores.holding:
            name = area_names[area.id]
            if area.score is None:
                lines.append(t("explain.area_unanswered", name=name))
            else:
                lines.append(
                    t(
                        "explain.area_gap",
                        name=name,
                        score=decimal(area.score, t.language),
                        gap=decimal(area.gap, t.language),
                    )
                )
    if scores.above:
        names = ", ".join(area_names[a.id] for a in scores.above)
        lines.append(t("explain.above", areas=names))
    return lines


def _answer_rows(content: Content, answers: Mapping[str, int | None], lang: Lang, t: Say) -> list[Doc]:
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


def questions(content: Content, lang: Lang) -> list[Doc]:
    """The questionnaire as rows: id, text, what it measures, the level it unlocks."""
    area_levels = {area.id: (unlocks, area.name(lang)) for unlocks, area in content.levels.focus_areas()}
    pillar_names = {p.id: p.name(lang) for p in content.pillars.pillars}
    rows = []
    for statement in content.questionnaire.statements:
        if statement.focus_area is not None:
            unlocks, measures = area_levels[statement.focus_area]
        else:
            assert statement.pillar is not None  # the content checks give exactly one of focus_area and pillar
            unlocks, measures = None, pillar_names[statement.pillar]
        rows.append(
            {
                "id": statement.id,
                "text": statement.text(lang),
                "focus_area": statement.focus_area,
                "pillar": statement.pillar,
                "level": unlocks,
                "measures": measures,
                "reverse": statement.reverse,
                "applies_to": statement.applies_to(lang) if statement.applies_to else None,
            }
        )
    quote = content.questionnaire.quote_question
    rows.append(
        {
            "id": quote.id,
            "text": quote.prompt(lang),
            "focus_area": None,
            "pillar": None,
            "level": None,
            "measures": "—",
            "reverse": False,
            "applies_to": None,
        }
    )
    return rows


def survey_template(content: Content, lang: Lang, t: Say) -> str:
    """What to paste into a survey tool: each question with the exact text ``import`` recognises."""
    questionnaire, template = content.questionnaire, content.survey.template
    quote = questionnaire.quote_question
    scale = [p.label(lang) for p in questionnaire.scale.points] + [questionnaire.scale.dont_know(lang)]
    not_applicable = questionnaire.scale.not_applicable
    if not_applicable and any(s.applies_to for s in questionnaire.statements):
        scale.append(not_applicable(lang))
    first = {level.number: level.quotes[0].text(lang) for level in content.levels.levels}
    for own in reversed(quote.quotes):
        first[own.level] = own.text(lang)  # the quote question's own quotes come first
    quotes = [first[n] for n in sorted(first)] + [quote.none_of_these(lang)]
    blocks = [
        [t("survey.title")],
        [t("survey.segment", number=1), template.segment_question(lang)],
        [t("survey.grid", number=2), template.grid_prompt(lang)],
        [t("survey.rows"), *(s.text(lang) for s in questionnaire.statements)],
        [t("survey.columns"), *scale],
        [t("survey.quote", number=3), quote.prompt(lang)],
        [t("survey.choices"), *quotes],
    ]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def workshop(content: Content, figures: Doc, lang: Lang, t: Say) -> Doc:
    """The workshop figures with names and texts in one language, for rendering (no question id, no name)."""
    levels = content.levels
    area_names = {area.id: area.name(lang) for _, area in levels.focus_areas()}
    pillar_names = {p.id: p.name(lang) for p in content.pillars.pillars}
    statements = {s.id: s.text(lang) for s in content.questionnaire.statements}
    areas = [_area_row(a, area_names, t) for a in figures["focus_areas"]]
    left_out = figures.get("left_out", 0)
    rules = figures["rules"]
    wave = figures.get("wave") or {}
    return {
        "participants": figures["participants"],
        "threshold": rules["met_threshold"],
        "wave": t("workshop.wave", label=wave["label"], date=wave.get("date") or "—") if wave.get("label") else None,
        "left_out": t("workshop.left_out", count=left_out, share=percent(rules["participant_min_answered"], t))
        if left_out
        else None,
        "level": {"number": figures["level"], "name": levels.level(figures["level"]).name(lang)},
        "rules": _rule_lines(rules, figures, t),
        "levels": [
            t("workshop.level_count", level=n, name=levels.level(int(n)).name(lang), count=count)
            for n, count in figures["levels"].items()
            if count
        ],
        "perceived": _perceived_lines(figures["perceived_levels"], levels, lang, t),
        "focus_areas": areas,
        "statements": [
            {
                "name": area_names[a["id"]],
                "rows": [_statement_row(s, statements, t) for s in a["statements"]],
            }
            for a in figures["focus_areas"]
        ],
        "pillars": [{**p, "name": pillar_names[p["id"]]} for p in figures["pillars"]],
        "agenda": [_agenda_item(item, figures, area_names, statements, t) for item in figures["agenda"]],
        "segments": _segments(figures["segments"], area_names, t),
        "gaps": [_gap_line(gap, area_names, figures["segments"], t) for gap in figures["segment_gaps"]],
    }


def percent(share: float | None, t: Say) -> str:
    """A share as a whole percentage in the reader's language (``—`` when there is nothing to share)."""
    return "—" if share is None else t("workshop.percent", value=round(share * 100))


def _rule_lines(rules: Doc, figures: Doc, t: Say) -> list[str]:
    lines = [
        t("workshop.rule_met", threshold=decimal(rules["met_threshold"], t.language)),
        t(
            "workshop.rule_polarised",
            share=percent(rules["polarised_share"], t),
            people=rules["polarised_min_people"],
            below=decimal(rules["polarised_below"], t.language),
            high=decimal(rules["polarised_from"], t.language),
            distance=decimal(rules["polarised_distance"], t.language),
        ),
        t("workshop.rule_coverage", share=percent(rules["area_min_answered"], t)),
    ]
    if figures["segments"]:
        lines.append(t("workshop.rule_min_group", count=figures["min_group"]))
    return lines


def _area_row(area: Doc, area_names: dict[str, str], t: Say) -> Doc:
    return {
        "id": area["id"],
        "name": area_names[area["id"]],
        "score": area["score"],
        "met": area["met"],
        "polarised": area["polarised"],
        "met_share": percent(area["met_share"], t),
        "scored": area["scored"],
        "dont_know": percent(area["dont_know_rate"], t),
    }


def _statement_row(statement: Doc, statements: dict[str, str], t: Say) -> Doc:
    counts = statement["distribution"]
    return {
        "text": statements[statement["id"]],
        "counts": [counts[key] for key in ("1", "2", "3", "4", "5", "dont_know")],
        "dont_know": percent(statement["dont_know_rate"], t),
        "polarised": statement["polarised"],
        "in_words": in_words(counts, t),
    }


def in_words(counts: dict[str, int], t: Say) -> str:
    """A distribution as people say it: "9 agree, 8 disagree, 4 don't know" (empty parts left out)."""
    parts = [
        ("workshop.agree", counts["4"] + counts["5"]),
        ("workshop.disagree", counts["1"] + counts["2"]),
        ("workshop.neutral", counts["3"]),
        ("workshop.dont_know", counts["dont_know"]),
    ]
    return ", ".join(t(key, count=n) for key, n in parts if n)


def _perceived_lines(counts: Doc, levels: LevelsFile, lang: Lang, t: Say) -> list[str]:
    lines = [
        t("workshop.level_count", level=n, name=levels.level(int(n)).name(lang), count=count)
        for n, count in counts.items()
        if n != "none" and count
    ]
    if counts.get("none"):
        lines.append(t("workshop.perceived_none", count=counts["none"]))
    return lines


def _agenda_item(item: Doc, figures: Doc, area_names: dict[str, str], statements: dict[str, str], t: Say) -> Doc:
    name = area_names[item["id"]]
    score, share = decimal(item["score"], t.language), percent(item["met_share"], t)
    if item["reason"] == "holding":
        reason = t("workshop.reason_holding", name=name, next=figures["level"] + 1, score=score, share=share)
    elif item["reason"] == "polarised":
        rules = figures["rules"]
        reason = t(
            "workshop.reason_polarised",
            name=name,
            below_share=percent(item["below_share"], t),
            below=decimal(rules["polarised_below"], t.language),
            above_share=percent(item["above_share"], t),
            high=decimal(rules["polarised_from"], t.language),
        )
    else:
        reason = t("workshop.reason_unmet", name=name, score=score, share=share)
    detail = None
    if item["statement"] is not None:
        detail = t(
            "workshop.statement",
            text=statements[item["statement"]],
            answers=in_words(item["statement_distribution"], t),
        )
    return {"id": item["id"], "reason": reason, "statement": detail}


def _segment_name(name: str, t: Say) -> str:
    from cxculture.workshop import NO_SEGMENT

    return t("workshop.no_segment") if name == NO_SEGMENT else name


def _segments(segments: Doc, area_names: dict[str, str], t: Say) -> Doc | None:
    """Segments side by side; a suppressed segment shows its head count and ``hidden`` cells."""
    if not segments:
        return None
    names = list(segments)
    shown = [s for s in segments.values() if not s["suppressed"]]
    area_ids = [a["id"] for a in shown[0]["focus_areas"]] if shown else list(area_names)
    hidden = t("workshop.hidden")

    def cell(name: str, index: int) -> str:
        group = segments[name]
        return hidden if group["suppressed"] else decimal(group["focus_areas"][index]["score"], t.language)

    return {
        "heads": [
            t("workshop.segment_head", name=_segment_name(n, t), count=segments[n]["participants"]) for n in names
        ],
        "levels": [hidden if segments[n]["suppressed"] else str(segments[n]["level"]) for n in names],
        "rows": [
            {"name": area_names[area_id], "scores": [cell(n, i) for n in names]} for i, area_id in enumerate(area_ids)
        ],
    }


def _gap_line(gap: Doc, area_names: dict[str, str], segments: Doc, t: Say) -> str:
    index = [a["id"] for a in segments[gap["high"]]["focus_areas"]].index(gap["id"])
    return t(
        "workshop.gap",
        name=area_names[gap["id"]],
        gap=decimal(gap["gap"], t.language),
        high=_segment_name(gap["high"], t),
        high_score=decimal(segments[gap["high"]]["focus_areas"][index]["score"], t.language),
        low=_segment_name(gap["low"], t),
        low_score=decimal(segments[gap["low"]]["focus_areas"][index]["score"], t.language),
    )


ARROWS = {"up": "↑", "down": "↓", "same": "=", "none": "—"}


def comparison(content: Content, figures: Doc, lang: Lang, t: Say) -> Doc:
    """The comparison figures with names in one language, for rendering."""
    from pathlib import Path

    levels = content.levels
    area_names = {area.id: area.name(lang) for _, area in levels.focus_areas()}
    level = figures["level"]
    pillar_names = {p.id: p.name(lang) for p in content.pillars.pillars}
    return {
        "files": [
            t(
                "compare.file",
                date=_wave_date(f),
                name=_wave_name(f, Path(f["path"]).name),
                level=f["level"],
                count="—" if f["participants"] is None else f["participants"],
            )
            for f in figures["files"]
        ],
        "level": t("compare.level", before=level["before"], after=level["after"]),
        "level_names": t(
            "compare.level_names",
            before_name=levels.level(level["before"]).name(lang),
            after_name=levels.level(level["after"]).name(lang),
        ),
        "focus_areas": [
            {
                "name": area_names[a["id"]],
                "before": a["before"],
                "after": a["after"],
                "change": _change(a, t.language),
                "trend": " → ".join(decimal(s, t.language) for s in a["scores"]),
            }
            for a in figures["focus_areas"]
        ],
        "pillars": [
            {
                "name": pillar_names[p["id"]],
                "before": p["before"],
                "after": p["after"],
                "change": _change(p, t.language),
                "trend": " → ".join(decimal(s, t.language) for s in p["scores"]),
            }
            for p in figures.get("pillars", [])
        ],
        "trend": figures["trend"],
        "changes": _status_lines(figures, area_names, t),
        "segments": [_compared_segment(row, t) for row in figures.get("segments", [])],
        "min_group": t("workshop.rule_min_group", count=figures.get("min_group", 0)),
    }


def _compared_segment(row: Doc, t: Say) -> Doc:
    """A segment over time: head counts, and its level unless it is too small to show."""
    hidden = t("workshop.hidden")
    counts = " → ".join("—" if n is None else str(n) for n in row["participants"])
    level = hidden if row["suppressed"] else t("compare.level_short", **row["level"])
    return {"name": _segment_name(row["name"], t), "participants": counts, "level": level}


def _wave_date(file: Doc) -> str:
    wave = file.get("wave") or {}
    return str(wave.get("date") or (file["created_at"] or "—")[:10])


def _wave_name(file: Doc, name: str) -> str:
    label = (file.get("wave") or {}).get("label")
    return f"{label} · {name}" if label else name


def _change(area: Doc, language: Language) -> str:
    if area["change"] is None:
        return ARROWS["none"]
    if area["direction"] == "same":
        return f"{ARROWS['same']} {decimal(0, language)}"
    sign = "+" if area["change"] > 0 else ""  # decimal() writes the minus
    return f"{ARROWS[area['direction']]} {sign}{decimal(area['change'], language)}"


def _status_lines(figures: Doc, area_names: dict[str, str], t: Say) -> list[str]:
    lines = []
    if figures["became_met"]:
        lines.append(t("compare.became_met", areas=", ".join(area_names[i] for i in figures["became_met"])))
    if figures["stopped_met"]:
        lines.append(t("compare.stopped_met", areas=", ".join(area_names[i] for i in figures["stopped_met"])))
    return lines or [t("compare.nothing_changed")]
