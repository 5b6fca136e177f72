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
from cxculture.fileio import read_text
from cxculture.lang import Lang, is_lang
from cxculture.model import QuestionnaireFile

MAX_ANSWERS_BYTES = 1_000_000
META_FIELDS = ("org", "participant", "segment")  # who answered: the names an answers or result file may hold


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
    shown = json.dumps(value, ensure_ascii=False) if _is_json(value) else repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    raise CxError(f"{where}: answers.{question}: {shown} is not accepted; use a whole number 1 to 5, or null")


def _is_json(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def parse_file(path: Path) -> object:
    """Parse a JSON or YAML file into plain data, safely (no object-building tags)."""
    text = read_text(path, what="answers file", limit=MAX_ANSWERS_BYTES)
    if not text.strip():
        raise CxError(f"{path}: the file is empty")
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return _parse_yaml(text, path)
    except json.JSONDecodeError as error:
        raise CxError(f"{path}: invalid JSON: line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise CxError(f"{path}: nested too deeply to be an answers file") from None


def _parse_yaml(text: str, path: Path) -> object:
    import yaml

    from cxculture.loading import yaml_problem

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise CxError(f"{path}: invalid YAML: {yaml_problem(error)}") from None


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
    answer_set = AnswerSet(answers, meta["org"], meta["participant"], meta["segment"], lang if is_lang(lang) else None)
    return answer_set, missing


def load(path: Path, questionnaire: QuestionnaireFile) -> tuple[AnswerSet, list[str]]:
    """Read an answers (or partial) file."""
    return from_data(parse_file(Path(path)), questionnaire, str(path))


def _text_field(data: dict[str, object], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is None or isinstance(value, str):
        return value.strip() or None if isinstance(value, str) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise CxError(f"{where}: {name}: expected a text, got {_kind(value)}")


def _kind(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a text", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )
