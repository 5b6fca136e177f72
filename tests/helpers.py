"""What several test files share: the shipped content's ids, result and answers builders, prompt keys.

Imported after ``conftest`` has pointed the content cache at a temporary folder
(``pytest_configure``), so loading the content here writes nothing in the
user's cache.
"""

from __future__ import annotations

import json
from dataclasses import replace
from enum import StrEnum
from pathlib import Path

import yaml

from conftest import as_answered
from cxculture import results, session
from cxculture.answers import AnswerSet, question_ids
from cxculture.loading import Content, shipped_folder

CONTENT = Content()
IDS = question_ids(CONTENT.questionnaire)
QUOTE = CONTENT.questionnaire.quote_question.id
AREAS = [area.id for _, area in CONTENT.levels.focus_areas()]
TEAM_STATEMENTS = [s.id for s in CONTENT.questionnaire.statements if s.focus_area == "cross-functional-team"]
LANGS = list(CONTENT.languages.codes)  # every language the shipped content declares
NASTY = '<script>alert("x")</script> & Co'  # a name that must be shown as text everywhere


class Keyboard(StrEnum):
    """Keys as a terminal sends them to a prompt (pexpect's ``child.send``)."""

    ENTER = "\r"
    UP = "\x1b[A"
    DOWN = "\x1b[B"


def statements(area: str) -> list[str]:
    """The ids of the statements that measure focus area ``area``."""
    return [s.id for s in CONTENT.questionnaire.statements if s.focus_area == area]


# A third language for the tests: German (``de``), each text a copy of the English one marked ``(de)``,
# so that a test sees which language a line comes from; its numbers take a decimal comma.
MARK = "(de) "
GERMAN = {"code": "de", "name": "Deutsch", "decimal_separator": ",", "locales": ["de"]}


def with_german(data: object) -> object:
    """Every ``{fr, en}`` text gets a German one (a marked copy of the English); word lists too."""
    if isinstance(data, dict):
        data = {key: with_german(value) for key, value in data.items()}
        if {"fr", "en"} <= set(data) and isinstance(data["en"], str):
            data["de"] = MARK + data["en"]
        elif {"fr", "en"} <= set(data) and isinstance(data["en"], list):
            data["de"] = [MARK + word for word in data["en"]]
        return data
    if isinstance(data, list):
        return [with_german(item) for item in data]
    return data


def write_german_content(folder: Path) -> Path:
    """The shipped content plus German in ``folder``: every text translated, the language declared."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in shipped_folder().glob("*.yaml"):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        if source.name == "languages.yaml":
            data["languages"].append(GERMAN)
        else:
            data = with_german(data)
        (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def make(folder, value=4, *, areas=None, quote=None, segment=None, name="p", created_at=None, org="Acme", **extra):
    """Save a result: every statement scoring ``value``, ``areas`` overriding per focus area
    (its statements in order; those left out are not answered)."""
    answers = dict.fromkeys(IDS, value)
    for area, values in (areas or {}).items():
        answers.update(dict.fromkeys(statements(area), None))
        answers.update(zip(statements(area), values, strict=False))
    answers.update(extra)
    answers = as_answered(answers)
    answers[QUOTE] = quote
    result, _ = session.score(CONTENT, AnswerSet(answers, org, name, segment), "en")
    if created_at:
        result = replace(result, created_at=created_at)
    return results.save(result, folder)


def write_answers(folder: Path, answers: dict, name: str = "answers.yaml", **meta: object) -> Path:
    """An answers file (JSON or YAML by its name) as ``assess --answers`` reads it."""
    path = folder / name
    data = {**meta, "answers": answers}
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data), encoding="utf-8")
    return path


def kinds(tmp_path) -> dict[str, list]:
    """The command line of each document kind, with a nasty organisation and segment name."""
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"org": NASTY, "answers": dict.fromkeys(IDS, 3)}), encoding="utf-8")
    group = tmp_path / "group"
    for i, (value, segment) in enumerate([(2, NASTY), (4, NASTY), (3, "managers"), (5, "managers"), (4, None)]):
        make(group, value, name=f"p{i}", segment=segment, quote=value, areas={"cx-champions": [1, 5]})
    waves = [
        make(tmp_path / f"w{i}", value, name="jo", created_at=f"202{i}-01-01T09:00:00+00:00")
        for i, value in enumerate((2, 4, 3))
    ]
    return {
        "assessment": ["assess", "--answers", answers, "--no-save"],
        "guide": ["guide", "--level", "2"],
        "workshop": ["workshop", group, "--by-segment", "--min-group", "2"],
        "comparison": ["compare", *waves],
    }


def export_every_kind(tmp_path: Path, *suffixes: str) -> dict[tuple[str, str], dict[str, Path]]:
    """Every document kind exported in every language, once per suffix (``.html``, ``.json``…), as a user would."""
    from cxculture import formats
    from cxculture.cli import main

    args = kinds(tmp_path)
    made: dict[tuple[str, str], dict[str, Path]] = {}
    for kind in formats.KINDS:
        for lang in LANGS:
            made[kind, lang] = {}
            for suffix in suffixes:
                target = tmp_path / f"{kind}-{lang}{suffix}"
                assert main([str(a) for a in (*args[kind], "--lang", lang, "--export", target)]) == 0
                made[kind, lang][suffix] = target
    return made


def grey(colour: str) -> float:
    """How light a ``#rrggbb`` colour prints in greyscale, 0 (black) to 1 (white)."""
    red, green, blue = bytes.fromhex(colour.lstrip("#"))
    return (0.299 * red + 0.587 * green + 0.114 * blue) / 255


def apart_in_greyscale(looks: list[tuple[bool, float]]) -> bool:
    """Whether fills given as (hatched, grey level) can all be told apart: by hatching, or by 0.1 of grey."""
    return all(a[0] != b[0] or abs(a[1] - b[1]) >= 0.1 for i, a in enumerate(looks) for b in looks[i + 1 :])
