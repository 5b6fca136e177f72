"""What the browser receives: the participant's page, the projector page, one script, one style sheet.

The pages are a shell; their texts (every one from ``ui.yaml`` and the content,
in every language the content declares) travel as JSON in a ``<script type="application/json">``
block, escaped so that no text can close it, and the script puts them on screen
with ``textContent`` only. Nothing is fetched from anywhere but this server.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib.resources import files

from cxculture.lang import Lang
from cxculture.loading import Content
from cxculture.room.collect import Settings

PAGE_LABELS = (
    "page_title", "welcome_title", "welcome_what", "welcome_cx", "welcome_time", "welcome_anonymous",
    "welcome_code", "language", "start", "segment_question", "segment_none", "progress", "back",
    "statement_hint", "send", "review", "sending", "send_failed", "closed", "thanks_title", "thanks_text",
    "your_level", "again", "projector_title", "projector_reveal", "projector_hide", "projector_too_few",
    "group_level",
)  # fmt: skip


@dataclass(frozen=True)
class Pages:
    """The room's pages, built once when it opens."""

    participant: bytes
    projector: bytes
    script: bytes
    style: bytes
    level_names: dict[Lang, dict[int, str]]

    def level_name(self, level: int, lang: Lang) -> str:
        return self.level_names[lang][level]


def build(content: Content, settings: Settings, code: str, lang: Lang) -> Pages:
    """Every page of a room, in ``lang`` first (the participant can switch)."""
    data = {
        "lang": lang,
        "code": code,
        "segments": list(settings.segments),
        "min_group": settings.min_group,
        "texts": {each: texts(content, settings, code, each) for each in content.languages.codes},
    }
    names = {each: {lv.number: lv.name(each) for lv in content.levels.levels} for each in content.languages.codes}
    title = content.ui.say("room.page_title", lang)
    return Pages(
        participant=shell(title, lang, "participant", data),
        projector=shell(title, lang, "projector", data),
        script=_asset("room.js"),
        style=_asset("room.css"),
        level_names=names,
    )


def quotes(content: Content, lang: Lang, seed: str) -> dict[int, str]:
    """The quote of each level offered to a participant, as the quote question shows it."""
    from cxculture.questionnaire import participant_quotes

    picked = participant_quotes(content, lang, seed)
    return {level: content.ui.say("quote.inline", lang, text=text) for level, text in picked.items()}


def texts(content: Content, settings: Settings, code: str, lang: Lang) -> dict[str, object]:
    """Every text the page shows in ``lang``."""
    questionnaire = content.questionnaire
    total = len(questionnaire.statements) + 1
    fields = {"org": settings.org, "code": code, "minutes": questionnaire.minutes(), "count": total}
    labels = {key: _label(content, key, lang, fields) for key in PAGE_LABELS}
    quote = questionnaire.quote_question
    scale = questionnaire.scale
    return {
        "labels": labels,
        "lang_name": content.languages[lang].name,  # its own name (languages.yaml), on its button
        "decimal_separator": content.languages[lang].decimal_separator,
        "glossary": [{"term": g.term(lang), "meaning": g.meaning(lang)} for g in questionnaire.glossary],
        "statements": [
            {"id": s.id, "text": s.text(lang), "applies_to": s.applies_to(lang) if s.applies_to else None}
            for s in questionnaire.statements
        ],
        "scale": [{"value": p.value, "label": p.label(lang)} for p in scale.points],
        "dont_know": scale.dont_know(lang),
        "not_applicable": scale.not_applicable(lang) if scale.not_applicable else None,
        "quote": {
            "id": quote.id,
            "prompt": quote.prompt(lang),
            "none": quote.none_of_these(lang),
            "quotes": [{"level": level, "text": text} for level, text in quotes(content, lang, code).items()],
        },
        "levels": {str(lv.number): lv.name(lang) for lv in content.levels.levels},
        "areas": {area.id: area.name(lang) for _, area in content.levels.focus_areas()},
    }


def _label(content: Content, key: str, lang: Lang, fields: dict[str, object]) -> str:
    """A label with the room's fields filled in; per-answer fields ({number}, {level}…) left for the page."""
    template = content.ui.labels[f"room.{key}"](lang)
    return template.format_map(_Keep(fields))


class _Keep(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def script_safe_json(data: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``<``, ``>`` or ``&`` in it."""
    text = json.dumps(data, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(char, escape)
    return text.replace("\u2029", "\\u2029")


def shell(title: str, lang: str, kind: str, data: object) -> bytes:
    """The HTML shell: the data block, the style sheet and the script, all from this server."""
    page = f"""<!doctype html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="room.css">
</head>
<body data-kind="{html.escape(kind)}">
<main id="app" aria-live="polite"></main>
<script type="application/json" id="cx-data">{script_safe_json(data)}</script>
<script src="room.js"></script>
</body>
</html>
"""
    return page.encode("utf-8")


def _asset(name: str) -> bytes:
    return files("cxculture.room").joinpath("static", name).read_bytes()
