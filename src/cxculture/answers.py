"""A participant's answers: the accepted values, and reading them from a file.

An answers file (YAML or JSON) is ``{org?, participant?, segment?, answers:
{question_id: 1..5 | null}}``. The quote question's answer is the level whose
quote was chosen (1..5) or null for "none of these". Partial files written on
Ctrl-C have the same shape, plus ``lang``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cxculture.errors import CxError, Message, shown
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
    not_applicable: set[str] = field(default_factory=set)  # null answers that were "doesn't apply to me"


def question_ids(questionnaire: QuestionnaireFile) -> list[str]:
    """Every question id, in the order they are asked."""
    return [s.id for s in questionnaire.statements] + [questionnaire.quote_question.id]


def check_value(question: str, value: object, where: str) -> int | None:
    """A valid answer (1..5 or None), or the project's error naming the question."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
        return value
    raise CxError(key="error.answers.value", name=where, question=question, value=shown(value))


def parse_file(path: Path) -> object:
    """Parse a JSON or YAML file into plain data, safely (no object-building tags)."""
    text = read_text(path, what="answers", limit=MAX_ANSWERS_BYTES)
    if not text.strip():
        raise CxError(key="error.answers.empty", name=path)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


def from_data(data: object, questionnaire: QuestionnaireFile, where: str) -> tuple[AnswerSet, list[str]]:
    """Validate parsed data; return the answers and the ids that were missing."""
    if not isinstance(data, dict):
        raise CxError(key="error.answers.shape", name=where, kind=_kind(data))
    given = data.get("answers")
    if not isinstance(given, dict):
        raise CxError(key="error.answers.answers", name=where, kind=_kind(given))
    known = question_ids(questionnaire)
    unknown = [str(key) for key in given if key not in known]
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise CxError(key="error.answers.unknown", name=where, ids=shown)
    answers = {qid: check_value(qid, given[qid], where) for qid in known if qid in given}
    missing = [qid for qid in known if qid not in given]
    meta = {name: _text_field(data, name, where) for name in META_FIELDS}
    lang = data.get("lang")
    answer_set = AnswerSet(answers, meta["org"], meta["participant"], meta["segment"], _code(lang))
    marked = data.get("not_applicable")  # partial files: which null answers were "doesn't apply to me"
    if isinstance(marked, list):
        answer_set.not_applicable = {qid for qid in marked if isinstance(qid, str) and answers.get(qid, 0) is None}
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
    raise CxError(key="error.answers.text", name=f"{where}: {name}", kind=_kind(value))


def check_name(value: str, where: str) -> str | None:
    """A name (org, participant, segment) on one line, without control characters; None when blank."""
    from cxculture.text import first_control

    found = first_control(value)
    if found is not None:
        raise CxError(key="error.name.control", name=where, code=f"U+{ord(found):04X}")
    if len(value) > MAX_NAME_CHARS:
        raise CxError(key="error.name.long", name=where, limit=MAX_NAME_CHARS)
    return value.strip() or None


def _kind(value: object) -> Message:
    """What sort of value was found, as a label ``kind.*``."""
    kinds = {dict: "mapping", list: "list", str: "text", bool: "boolean", type(None): "nothing"}
    return Message(f"kind.{kinds.get(type(value), 'number')}")
