"""Which question each column of a survey export answers.

Owns matching column titles: a question's text in any language (ignoring case,
accents, punctuation, spacing, a leading number such as ``3.`` or ``Q3 -``, and
Google Forms' grid form ``Prompt [statement]``), the question ids, the names
``segment``/``org``/``participant``, and the survey tools' own columns
(``content/survey.yaml``: timestamp, response id, e-mail and name — never
stored —, the rest ignored); SurveyMonkey's second header row; ``MAP.yaml``
(``columns``, ``ignore``, ``labels``, ``date``), which overrides all of it;
and writing the inferred mapping as a ``MAP.yaml`` (``--print-map``).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxculture.answers import META_FIELDS, question_ids
from cxculture.errors import CxError, Message
from cxculture.survey.exports import Table

if TYPE_CHECKING:
    from cxculture.loading import Content
    from cxculture.model import Speaker

ROLES = ("timestamp", "response_id")  # metadata kept: when, and which response
PRIVATE = ("email", "name")  # never stored unless MAP.yaml maps the column to participant
IGNORE = "ignore"
MAX_DATE_PATTERN = 64
_APOSTROPHES = str.maketrans(dict.fromkeys("'’‘`´ʼ", " "))
GRID = re.compile(r"^(.*)\[([^\[\]]+)\]\s*$", re.DOTALL)
_NUMBERED = re.compile(r"^(?:q\s*)?\d+\s+(?=\S)")


def normal(text: str) -> str:
    """A label or title as compared: no accents, case, apostrophes or extra spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def title_key(text: str) -> str:
    """A column title as compared: its words only ("Q3 - Foo, bar?" and "q3 foo bar" are one)."""
    words = " ".join(re.findall(r"\w+", normal(text)))
    return words or text.strip()


@dataclass
class MapFile:
    """What a consultant's ``MAP.yaml`` says."""

    columns: dict[str, str] = field(default_factory=dict)  # title key → target
    labels: dict[str, int | None] = field(default_factory=dict)  # answer → value
    date: str | None = None


@dataclass
class Mapping:
    """The target of each column (``None``: not stored), and what the consultant should know."""

    targets: list[str | None]
    titles: list[str]
    date_langs: tuple[str, ...] = ()  # the languages whose date formats are tried, in order
    private: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    unknown: list[tuple[str, str | None]] = field(default_factory=list)  # title, closest question id


class Titles:
    """Every title the content and ``survey.yaml`` know, by ``title_key``."""

    def __init__(self, content: Content) -> None:
        questionnaire, survey = content.questionnaire, content.survey
        self.ids = question_ids(questionnaire)
        self.known: dict[str, tuple[str, str | None]] = {}  # key → (target or role, language)
        for role in survey.metadata:
            for lang, words in role.titles.words.items():
                for title in words:
                    self.known.setdefault(title_key(title), (role.role, lang))
        for name in META_FIELDS:
            for title in getattr(survey.fields, name).every():
                self.known[title_key(title)] = (name, None)
        self.texts: dict[str, str] = {}  # a question's text key → its id, for the closest match
        for statement in questionnaire.statements:
            for text in statement.text.every():
                self.texts[title_key(text)] = statement.id
        quote = questionnaire.quote_question
        for text in quote.prompt.every():
            self.texts[title_key(text)] = quote.id
        self.known.update((key, (qid, None)) for key, qid in self.texts.items())
        self.known.update((title_key(qid), (qid, None)) for qid in self.ids)
        self.response_cells = {title_key(word) for word in survey.response_cell.every()}

    def find(self, title: str, mapped: dict[str, str]) -> tuple[str, str | None] | None:
        """``(target or role, language)`` of a title, or ``None`` when nothing matches."""
        key = title_key(title)
        if key in mapped:
            return mapped[key], None
        for candidate in self._candidates(title, key):
            if candidate in self.known:
                return self.known[candidate]
        return None

    def _candidates(self, title: str, key: str) -> list[str]:
        keys = [key, _NUMBERED.sub("", key)]
        grid = GRID.match(title)
        if grid:
            inner = title_key(grid.group(2))
            keys += [inner, _NUMBERED.sub("", inner)]
        return keys

    def closest(self, title: str) -> str | None:
        key = title_key(title)
        found = difflib.get_close_matches(key, list(self.texts), n=1, cutoff=0.4)
        return self.texts[found[0]] if found else None


def header_titles(table: Table, titles: Titles) -> list[str]:
    """The title of each column; SurveyMonkey's two header rows become ``Question [row]``."""
    first = table.peek()
    if first is None or not any(title_key(cell) in titles.response_cells for cell in first[1] if cell.strip()):
        return [cell.strip() for cell in table.header]
    table.skip_first()
    combined, question = [], ""
    for top, below in zip(table.header, first[1] + [""] * len(table.header), strict=False):
        top, below = top.strip(), below.strip()
        question = top or question  # a grid's question stands above its first column only
        if not below or title_key(below) in titles.response_cells:
            combined.append(top or question)
        else:
            combined.append(f"{question} [{below}]" if question else below)
    return combined


def map_columns(
    table: Table,
    content: Content,
    map_file: MapFile,
    where: str,
    *,
    allow_unknown: bool = False,
    anonymous: bool = False,
) -> Mapping:
    """The target of each column of ``table``; an unknown column is an error unless ``allow_unknown``.

    ``anonymous`` (``import --anonymous``, as ``results.anonymous`` for assess): a
    participant column is not stored either.
    """
    titles = Titles(content)
    header = header_titles(table, titles)
    mapping = Mapping(targets=[], titles=header, date_langs=content.languages.codes)
    for title in header:
        found = titles.find(title, map_file.columns) if title else (IGNORE, None)
        target, lang = found if found is not None else (None, None)
        if found is None:
            mapping.unknown.append((title, titles.closest(title)))
        elif target in PRIVATE or (anonymous and target == "participant"):
            mapping.private.append(title)
            target = None
        elif target == IGNORE:
            if title:
                mapping.ignored.append(title)
            target = None
        elif target == "timestamp" and lang is not None:
            mapping.date_langs = (lang, *(code for code in content.languages.codes if code != lang))
        mapping.targets.append(target)
    if mapping.unknown and not allow_unknown:
        raise CxError(key="error.map.unknown", name=where, columns=_unknown_columns(mapping.unknown))
    seen = [t for t in mapping.targets if t is not None]
    twice = sorted({t for t in seen if seen.count(t) > 1})
    if twice:
        raise CxError(key="error.map.twice", name=where, targets=", ".join(twice))
    return mapping


def _unknown_columns(unknown: list[tuple[str, str | None]]) -> list[Message | str]:
    """The first three unknown columns (with the closest question, if any), and how many more."""
    shown: list[Message | str] = [
        Message("error.map.closest", title=repr(_short(title)), id=closest) if closest else repr(_short(title))
        for title, closest in unknown[:3]
    ]
    if len(unknown) > 3:
        shown.append(Message("error.map.more", count=len(unknown) - 3))
    return shown


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# --- MAP.yaml ---------------------------------------------------------------------


def read_map(path: Path | None, content: Content) -> MapFile:
    """``MAP.yaml`` checked: every target known, labels 1..5 or null, a date pattern."""
    if path is None:
        return MapFile()
    from cxculture.answers import parse_file
    from cxculture.survey.cells import label_key

    data = parse_file(Path(path))
    if not isinstance(data, dict) or not set(data) <= {"columns", "ignore", "labels", "date"}:
        raise CxError(key="error.map.shape", name=path)
    known = {*question_ids(content.questionnaire), *META_FIELDS, *ROLES, IGNORE}
    result = MapFile()
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise CxError(key="error.map.columns", name=path)
    for title, target in columns.items():
        if not isinstance(target, str) or target not in known:
            raise CxError(key="error.map.target", name=path, title=_short(str(title)), value=_short(repr(target)))
        result.columns[title_key(str(title))] = target
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        raise CxError(key="error.map.ignore", name=path)
    result.columns.update((title_key(str(title)), IGNORE) for title in ignore)
    labels = data.get("labels") or {}
    if not isinstance(labels, dict):
        raise CxError(key="error.map.labels", name=path)
    for label, value in labels.items():
        if value is not None and (type(value) is not int or not 1 <= value <= 5):
            raise CxError(key="error.map.label", name=path, title=_short(str(label)), value=_short(repr(value)))
        result.labels[label_key(str(label))] = value
    date = data.get("date")
    if date is not None and (not isinstance(date, str) or "%" not in date or len(date) > MAX_DATE_PATTERN):
        raise CxError(key="error.map.date", name=path)
    result.date = date
    return result


def map_yaml(mapping: Mapping, where: str, date_format: str | None, t: Speaker) -> str:
    """The mapping as a ``MAP.yaml`` the consultant can edit and give with ``--map`` (comments said by ``t``)."""
    lines = ["# " + t("map.intro", name=json.dumps(where, ensure_ascii=False))]
    lines.append("columns:")
    for title, target in zip(mapping.titles, mapping.targets, strict=True):
        if target is not None:
            lines.append(f"  {_quoted(title)}: {target}")
    for title, closest in mapping.unknown:
        lines.append(f"  # {_quoted(title)}: {closest or 'QUESTION-ID'}   # " + t("map.unknown"))
    ignored = mapping.private + mapping.ignored
    lines.append("ignore:" + ("" if ignored else " []"))
    lines += [f"  - {_quoted(title)}" for title in ignored]
    lines.append("labels: {}   # " + t("map.labels"))
    lines.append(f"date: {_quoted(date_format)}" if date_format else "# date: '%d/%m/%Y %H:%M:%S'")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
