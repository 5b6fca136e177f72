"""Result files: building, saving (never overwriting), partial files, and reading them back.

Shape (schema_version 1, stable; other commands and scripts read it)::

    {"schema_version": 1, "level": int, "perceived_level": int|null,
     "focus_areas": [{"id", "unlocks_level", "score", "met"}],
     "pillars": [{"id", "score"}], "answers": {...}, "org", "participant",
     "segment", "created_at", "lang", "content_id", "tool_version"}
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cxculture import __version__
from cxculture.answers import META_FIELDS, AnswerSet, check_value
from cxculture.errors import CxError, Message
from cxculture.fileio import write_atomic, write_new
from cxculture.lang import Lang
from cxculture.model import RESULT_SCHEMA_VERSION, AreaResult, Result
from cxculture.reading import parse_json, read_text
from cxculture.scoring import Scores

PARTIAL_SUFFIX = ".partial.json"
MAX_RESULT_BYTES = 5_000_000


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def build(scores: Scores, given: AnswerSet, ids: list[str], lang: Lang, content_id: str) -> Result:
    """The result record of a scored set of answers (every question id present)."""
    return Result(
        schema_version=RESULT_SCHEMA_VERSION,
        level=scores.level,
        perceived_level=scores.perceived_level,
        focus_areas=tuple(AreaResult(a.id, a.unlocks_level, a.score, a.met) for a in scores.focus_areas),
        pillars=scores.pillars,
        answers={qid: given.answers.get(qid) for qid in ids},
        org=given.org,
        participant=given.participant,
        segment=given.segment,
        created_at=now(),
        lang=lang,
        content_id=content_id,
        tool_version=__version__,
    )


def anonymous(result: Result) -> Result:
    """The result without the participant's name (``--anonymous``): what is saved names nobody."""
    return replace(result, participant=None)


IMPORT_FIELDS = ("wave", "wave_date", "response")  # optional fields of schema_version 1, set by import


def to_dict(result: Result) -> dict[str, object]:
    """The result as plain JSON data, keys in the documented order."""
    data = {name: getattr(result, name) for name in Result.__dataclass_fields__}
    for name in IMPORT_FIELDS:  # written only when set: a result of assess keeps its shape
        if data[name] is None:
            del data[name]
    data["focus_areas"] = [
        {"id": a.id, "unlocks_level": a.unlocks_level, "score": a.score, "met": a.met} for a in result.focus_areas
    ]
    data["pillars"] = [{"id": p.id, "score": p.score} for p in result.pillars]
    data["answers"] = dict(result.answers)
    return data


def to_json(result: Result) -> str:
    from cxculture.text import json_safe

    data = to_dict(result)
    text = _orjson_indented(data) if _orjson_writes_alike(result) else None
    if text is None:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    return json_safe(text) + "\n"


def _orjson_indented(data: dict[str, object]) -> str | None:
    """``json.dumps(data, ensure_ascii=False, indent=2)``'s very text, by orjson (about 20 times faster).

    For the room, which writes a result per submission while the next ones
    wait. ``None`` where orjson refuses the data (an integer past 64 bits, a
    lone surrogate) or is not installed: ``json`` then writes it or refuses it.
    """
    try:
        import orjson
    except ImportError:  # a platform without its wheel
        return None
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError
        return None


_PLAIN_ANSWERS = frozenset({int, type(None)})


def _orjson_writes_alike(result: Result) -> bool:
    """Whether orjson writes ``result``'s numbers as ``json`` does.

    Its floats differ under 1e-4 or from 1e16 (another notation), and it writes
    NaN and infinities as null where ``json`` refuses them; the scores are the
    only floats of a result, answers are whole numbers.
    """
    scores = [area.score for area in result.focus_areas] + [pillar.score for pillar in result.pillars]
    if not all(score is None or score == 0 or 1e-4 <= abs(score) < 1e16 for score in scores):  # NaN fails too
        return False
    return set(map(type, result.answers.values())) <= _PLAIN_ANSWERS


def to_line(result: Result) -> str:
    """The result as one line of a wave file (``wavefile``): ``to_json``'s fields and order, compact."""
    from cxculture.text import json_safe

    text = json.dumps(to_dict(result), ensure_ascii=False, separators=LINE_SEPARATORS, allow_nan=False)
    return json_safe(text) + "\n"


LINE_SEPARATORS = (",", ":")


def slug(text: str | None, fallback: str) -> str:
    """A file-name-safe form of a name (letters of any script are kept)."""
    if text is None or text.isascii():  # the common case, without the Unicode work
        normal = (text or "").lower()
    else:
        normal = unicodedata.normalize("NFKC", text).casefold()
        normal = "".join(c for c in unicodedata.normalize("NFD", normal) if unicodedata.category(c) != "Mn")
    cleaned = re.sub(r"[\W_]+", "-", normal).strip("-")[:40].strip("-")
    return cleaned or fallback


def file_stem(org: str | None, participant: str | None, created_at: str | None = None) -> str:
    date = (created_at or now())[:10]
    return f"{slug(org, 'org')}-{slug(participant, 'participant')}-{date}"


def save(result: Result, folder: Path, name: str | None = None) -> Path:
    """Save under ``<org>-<participant>-<date>.json``, adding a suffix rather than overwriting.

    ``name`` stands for the participant in the file name when there is none
    (the room numbers its anonymous answers: ``acme-room-007-<date>.json``).
    """
    stem = file_stem(result.org, result.participant or name, result.created_at)
    return write_new(folder, stem, ".json", to_json(result))


def save_partial(given: AnswerSet, folder: Path, lang: Lang, replace: Path | None = None) -> Path:
    """Keep the answers given so far, to go on later with ``--resume``; ``replace``: the partial file resumed."""
    data = {
        "partial": True,
        "org": given.org,
        "participant": given.participant,
        "segment": given.segment,
        "lang": lang,
        "created_at": now(),
        "answers": given.answers,
        "not_applicable": sorted(given.not_applicable),
    }
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if replace is not None:
        return write_atomic(replace, text, force=True)
    return write_new(folder, file_stem(given.org, given.participant), PARTIAL_SUFFIX, text)


def load(path: Path) -> Result:
    """Read and validate a result file, saying clearly what is wrong with it."""
    path = Path(path)
    text = read_text(path, what="result", limit=MAX_RESULT_BYTES)
    return parse(text, str(path))


def parse(text: str, where: str) -> Result:
    return from_data(parse_json(text, where), where)


SYNTHESIS_FIELDS = ("answers", *META_FIELDS, "created_at", "content_id", "wave", "wave_date")


def synthesis_fields(data: object, where: str) -> dict[str, Any]:
    """What a synthesis reads of a parsed result file, for thousands of files.

    The cheap structural checks of ``looks_complete`` accept the files this
    tool writes; anything else goes through ``from_data``, which words the
    error or accepts the file. One home for what a valid result is: here.
    """
    if looks_complete(data):
        return data  # type: ignore[return-value]
    result = from_data(data, where)
    return {name: getattr(result, name) for name in SYNTHESIS_FIELDS}


_NONE = type(None)
_ANSWER_TYPES = frozenset({int, _NONE})  # bool is its own type: true is not an answer
_ANSWER_VALUES = frozenset({None, 1, 2, 3, 4, 5})
_TEXTS = ("created_at", "content_id", "tool_version")
_TEXTS_OR_NONE = (*META_FIELDS, *IMPORT_FIELDS)
_TEXT_OR_NONE = frozenset({str, _NONE})


def looks_complete(data: object) -> bool:
    """A quick yes to a well-formed result (set operations over its values, no Python loop); no is not an error."""
    if type(data) is not dict:
        return False
    version, answers = data.get("schema_version"), data.get("answers")
    if type(version) is not int or version != RESULT_SCHEMA_VERSION or type(answers) is not dict:
        return False
    values = answers.values()
    if not (set(map(type, values)) <= _ANSWER_TYPES and set(values) <= _ANSWER_VALUES):
        return False
    if set(map(type, map(data.get, _TEXTS))) != {str}:
        return False
    if not set(map(type, map(data.get, _TEXTS_OR_NONE))) <= _TEXT_OR_NONE:
        return False
    perceived = data.get("perceived_level", 0)
    areas = data.get("focus_areas")
    return (
        isinstance(data.get("lang"), str)  # any code: a content that does not speak it reports in its own
        and type(data.get("level")) is int
        and (perceived is None or type(perceived) is int)
        and type(areas) is list
        and type(data.get("pillars")) is list
        and set(map(type, areas)) <= {dict}
    )


def from_data(data: object, where: str) -> Result:
    if not isinstance(data, dict) or "schema_version" not in data:
        if isinstance(data, dict) and data.get("partial"):
            raise CxError(key="error.result.partial", name=where)
        raise CxError(key="error.result.not_result", name=where)
    version = data["schema_version"]
    if type(version) is not int or version != RESULT_SCHEMA_VERSION:  # not true, not 1.0
        if type(version) is int and version > RESULT_SCHEMA_VERSION:
            raise CxError(key="error.result.newer", name=where, version=version, supported=RESULT_SCHEMA_VERSION)
        raise CxError(key="error.result.version", name=where, version=repr(version), supported=RESULT_SCHEMA_VERSION)
    if isinstance(data.get("answers"), dict):
        for qid, value in data["answers"].items():
            check_value(str(qid), value, where)
    from cxculture.loading import validate_result

    validated = validate_result(data)
    if isinstance(validated, Message):
        raise CxError(key="error.result.invalid", name=where, problem=validated)
    return validated
