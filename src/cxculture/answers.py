"""A participant's answers: the accepted values, and reading them from a file.

An answers file (YAML or JSON) is ``{org?, participant?, segment?, answers:
{question_id: 1..5 | null}}``. The quote question's answer is the level whose
quote was chosen (1..5) or null for "none of these". Partial files written on
Ctrl-C have the same shape, plus ``lang``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from cxculture.errors import CxError
from cxculture.lang import CODE, Lang
from cxculture.model import QuestionnaireFile
from cxculture.reading import parse_json, parse_yaml, read_text

MAX_ANSWERS_BYTES = 1_000_000
META_FIELDS = ("org", "participant", "segment")  # who answered: the names an answers or result file may hold
MAX_NAME_CHARS = 200


@dataclass
class AnswerSet:
    """Answers given so far, with who gave them; ``answers`` keeps questionnaire order."""

    answers: dict[str, int | None] = field(default_factory=dict)
    org: str | None = None
    participant: str | None = None
    segment: str | None = None
    lang: Lang | None = None
    anonymous: bool = False  # no participant name is asked for or kept


def question_ids(questionnaire: QuestionnaireFile) -> list[str]:
    """Every question id, in the order they are asked."""
    return [s.id for s in questionnaire.statements] + [questionnaire.quote_question.id]


def check_value(question: str, value: object, where: str) -> int | None:
    """A valid answer (1..5 or None), or the project's error naming the question."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    shown = _kind(value) if isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False, default=str)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    raise CxError(f"{where}: answers.{question}: {shown} is not accepted; use a whole number 1 to 5, or null")


def parse_file(path: Path) -> object:
    """Parse a JSON or YAML file into plain data, safely (no object-building tags)."""
    text = read_text(path, what="answers file", limit=MAX_ANSWERS_BYTES)
    if not text.strip():
        raise CxError(f"{path}: the file is empty")
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def from_data(data: object, questionnaire: QuestionnaireFile, where: str) -> tuple[AnswerSet, list[str]]:
    """Validate parsed data; return the answers and the ids that were missing."""
    if not isinstance(data, dict):
        raise CxError(f"{where}: expected a mapping with an 'answers' mapping, got {_kind(data)}")
    given = data.get("answers")
    if not isinstance(given, dict):
        raise CxError(f"{where}: answers: expected a mapping of question id to 1..5 or null, got {_kind(given)}")
    known = question_ids(questionnaire)
    unknown = [str(key) for key in given if key not in known]
    if unknown:
        raise CxError(
            f"{where}: answers: unknown question id {', '.join(repr(u) for u in unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''}; see 'cxculture questions' for the ids"
        )
    answers = {qid: check_value(qid, given[qid], where) for qid in known if qid in given}
    missing = [qid for qid in known if qid not in given]
    meta = {name: _text_field(data, name, where) for name in META_FIELDS}
    lang = data.get("lang")
    answer_set = AnswerSet(answers, meta["org"], meta["participant"], meta["segment"], _code(lang))
    return answer_set, missing


def _code(lang: object) -> Lang | None:
    """The language a file names, if it looks like a code (``session`` keeps it if the content speaks it)."""
    return lang if isinstance(lang, str) and CODE.match(lang) else None


def load(path: Path, questionnaire: QuestionnaireFile) -> tuple[AnswerSet, list[str]]:
    """Read an answers (or partial) file."""
    return from_data(parse_file(Path(path)), questionnaire, str(path))


def _text_field(data: dict[str, object], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        return check_name(value, f"{where}: {name}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise CxError(f"{where}: {name}: expected a text, got {_kind(value)}")


def check_name(value: str, where: str) -> str | None:
    """A name (org, participant, segment) on one line, without control characters; None when blank."""
    from cxculture.text import first_control

    found = first_control(value)
    if found is not None:
        raise CxError(f"{where}: contains the control character U+{ord(found):04X}; use plain text")
    if len(value) > MAX_NAME_CHARS:
        raise CxError(f"{where}: longer than {MAX_NAME_CHARS} characters")
    return value.strip() or None


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )
