"""Reading the cells of a survey export: answers, the quote question, names and dates.

Owns the answers people give: 1 to 5 (``4.0`` too), ``5 - Tout à fait
d'accord``, the scale's labels in each language, the synonyms and "don't know"
words of ``content/survey.yaml`` and ``labels:`` of ``MAP.yaml``; the quote
question answered by a quote's text in any language (or an unambiguous start
of it), its level number, or "none of these"; names without control
characters; and the timestamps of the survey tools (``survey.yaml``'s
``dates``, or ``date:`` of ``MAP.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from cxculture.errors import Message
from cxculture.survey.mapping import normal

if TYPE_CHECKING:
    from cxculture.loading import Content

BAD = object()  # a cell that is not accepted
MAX_NAME_CHARS = 200
MIN_PREFIX = 12  # characters of a quote's start that may stand for the whole quote
_NUMBER = re.compile(r"^([1-5])(?:[.,]0+)?$")
_NUMBER_AND_LABEL = re.compile(r"^([1-5])\s*[-–—:.)]\s*(\S.*)$", re.DOTALL)
_ZONE = re.compile(r"\s*(?:\(?(?:UTC|GMT)\)?)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*$", re.IGNORECASE)
_QUOTE_MARKS = "\"'«»“”„‘’ \u00a0"


def label_key(text: str) -> str:
    """An answer as compared: letters and digits only ("Don't know" = "dont know" = "DONT KNOW")."""
    return "".join(c for c in normal(text) if c.isalnum())


class Cells:
    """What each cell means, made once per import; remembers each distinct cell it read."""

    def __init__(self, content: Content, labels: dict[str, int | None]) -> None:
        questionnaire, survey = content.questionnaire, content.survey
        scale: dict[str, int | None] = {"": None}
        not_answered = [t for t in (questionnaire.scale.dont_know, questionnaire.scale.not_applicable) if t]
        for word in (*survey.dont_know.every(), *(word for text in not_answered for word in text.every())):
            scale[label_key(word)] = None
        for synonym in survey.synonyms:
            scale.update((label_key(word), synonym.value) for word in synonym.words.every())
        for point in questionnaire.scale.points:
            scale.update((label_key(word), point.value) for word in (*point.label.every(), *point.aliases))
        scale.update(labels)
        self.scale = scale
        none = questionnaire.quote_question.none_of_these
        self.none_of_these = {label_key(w) for w in (*none.every(), *survey.none_of_these.every())}
        quotes = [(level.number, quote.text) for level in content.levels.levels for quote in level.quotes]
        quotes += [(quote.level, quote.text) for quote in questionnaire.quote_question.quotes]
        self.quotes = {label_key(said): level for level, text in quotes for said in text.every()}
        self.statement_cache: dict[str, object] = {}
        self.quote_cache: dict[str, object] = {}

    def statement(self, cell: str) -> object:
        """1..5, ``None`` (don't know, empty) or ``BAD``."""
        found = self.statement_cache.get(cell, BAD)
        if found is BAD:
            found = self.statement_cache[cell] = self._statement(cell.strip())
        return found

    def _statement(self, value: str) -> object:
        number = _NUMBER.match(value)
        if number:
            return int(number.group(1))
        both = _NUMBER_AND_LABEL.match(value)
        if both:
            said = self.scale.get(label_key(both.group(2)), BAD)
            return int(both.group(1)) if said == int(both.group(1)) else BAD
        return self.scale.get(label_key(value), BAD)

    def quote(self, cell: str) -> object:
        """The level of the chosen quote, ``None`` (none of these, empty) or ``BAD``."""
        found = self.quote_cache.get(cell, BAD)
        if found is BAD:
            found = self.quote_cache[cell] = self._quote(cell.strip().strip(_QUOTE_MARKS))
        return found

    def _quote(self, value: str) -> object:
        number = _NUMBER.match(value)
        if number:
            return int(number.group(1))
        key = label_key(value)
        if not key or key in self.none_of_these:
            return None
        if key in self.quotes:
            return self.quotes[key]
        if len(key) >= MIN_PREFIX:
            levels = {level for text, level in self.quotes.items() if text.startswith(key)}
            if len(levels) == 1:
                return levels.pop()
        return BAD


def name_problem(cell: str) -> Message | None:
    """Why a name (org, participant, segment) cannot be kept, or ``None``."""
    if len(cell) > MAX_NAME_CHARS:
        return Message("error.import.name_long", count=len(cell), limit=MAX_NAME_CHARS)
    bad = next((c for c in cell if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\t\n"), None)
    if bad is not None:
        return Message("error.import.name_control", code=f"U+{ord(bad):04X}")
    return None


class Dates:
    """A timestamp column's cells as ISO 8601 moments; the format is the first that reads a cell."""

    def __init__(self, formats: list[str]) -> None:
        self.formats = formats
        self.cache: dict[str, str | None] = {}

    def read(self, cell: str) -> str | None:
        """``created_at`` for a cell (``None``: not a date in any known format)."""
        if cell not in self.cache:
            self.cache[cell] = self._read(cell.strip())
        return self.cache[cell]

    def _read(self, value: str) -> str | None:
        if not value:
            return None
        zone = None
        found = _ZONE.search(value)
        if found and found.group(0).strip():
            value = value[: found.start()]
            if found.group(2):
                minutes = int(found.group(2)) * 60 + int(found.group(3) or 0)
                sign = -1 if found.group(1) == "-" else 1
                zone = timezone(timedelta(minutes=sign * minutes)) if minutes < 24 * 60 else None
            else:
                zone = UTC
        moment = _iso(value)
        for pattern in self.formats:
            if moment is not None:
                break
            try:
                moment = datetime.strptime(value, pattern)
            except ValueError:
                continue
        if moment is None:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
        return moment.isoformat(timespec="seconds")


def _iso(value: str) -> datetime | None:
    if not value[:4].isdigit() or len(value) < 10 or value[4] != "-":
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
