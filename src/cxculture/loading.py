"""Finding, reading and validating a content folder (shipped or a consultant's own).

Each file is parsed only when a command needs it. Raw YAML is validated by
pydantic into the records of ``model``; cross-references are then checked.
Validated files are cached (plain values keyed by the file's hash, never
pickle; see ``cache``) in the user's own cache folder, so that a warm start
needs neither PyYAML nor pydantic.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cxculture import __version__, reading
from cxculture.errors import ContentError, CxError, Message, shown
from cxculture.reading import read_bytes

Problem = str | Message  # one problem of a content file: a message said in the reader's language (a text as it is)

if TYPE_CHECKING:  # the model is imported only when a file must be parsed or rebuilt
    from pydantic import TypeAdapter
    from pydantic_core import ErrorDetails

    from cxculture import model
    from cxculture.lang import Lang, Languages

_T = TypeVar("_T")

MODEL_FILES = {
    "languages": "LanguagesFile",
    "levels": "LevelsFile",
    "pillars": "PillarsFile",
    "questionnaire": "QuestionnaireFile",
    "ui": "UiFile",
    "survey": "SurveyFile",
}
OPTIONAL_FILES = ("languages", "ui", "survey")  # a custom folder may leave them out: the shipped ones are used
MODEL_PATH = Path(__file__).with_name("model.py")
SCORED_FILES = ("levels", "pillars", "questionnaire")
LEVEL_COUNT = 5
MAX_CONTENT_BYTES = 5_000_000  # per file; the shipped levels.yaml has 57 KB
CONTENT_ID = re.compile(r"sha256:[0-9a-f]{16}")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def shipped_folder() -> Path:
    """The content shipped in the wheel (``cxculture/content``), else a source checkout's.

    The package's own folder is what ``importlib.resources.files("cxculture")``
    gives for an installed wheel; reading ``__file__`` directly spares its import.
    """
    packaged = Path(__file__).parent / "content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "content"


class Content:
    """A content folder; each file is loaded and validated on first use.

    Every text is validated against the languages the folder declares
    (``languages.yaml``, else the shipped one): one entry per declared language.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.custom = folder is not None
        self.folder = Path(folder) if folder is not None else shipped_folder()
        if self.custom and not self.folder.is_dir():
            raise ContentError([Message("error.content.not_found", name=self.folder)])

    @cached_property
    def languages(self) -> Languages:
        """The declared languages (cheap: a warm start reads them without PyYAML, pydantic or the model)."""
        path = self._path("languages")
        return _load_languages(
            path, self._where("languages") if path.parent == self.folder else "content/languages.yaml"
        )

    def speaker(self, lang: Lang) -> model.Speaker:
        """The labels of ``ui.yaml`` in ``lang`` (a declared language), with how it writes numbers."""
        return self.ui.speaker(self.languages[lang])

    @cached_property
    def levels(self) -> model.LevelsFile:
        from cxculture.model import LevelsFile

        levels = self._load("levels", LevelsFile)
        _raise_if(self._where("levels"), check_levels(levels))
        return levels

    @cached_property
    def pillars(self) -> model.PillarsFile:
        from cxculture.model import PillarsFile

        pillars = self._load("pillars", PillarsFile)
        _raise_if(self._where("pillars"), check_pillars(pillars))
        return pillars

    @cached_property
    def questionnaire(self) -> model.QuestionnaireFile:
        from cxculture.model import QuestionnaireFile

        questionnaire = self._load("questionnaire", QuestionnaireFile)
        problems = check_questionnaire(questionnaire, self.levels, self.pillars)
        _raise_if(self._where("questionnaire"), problems)
        return questionnaire

    def fingerprint(self, *names: str) -> bytes:
        """The raw bytes of the named files and of the languages: what a rendering of them depends on."""
        return b"\0".join(_read_bytes(self._path(name), self._where(name)) for name in ("languages", *names))

    def _path(self, name: str) -> Path:
        if name in OPTIONAL_FILES and not (self.folder / f"{name}.yaml").exists():
            return shipped_folder() / f"{name}.yaml"
        return self.folder / f"{name}.yaml"

    def _shipped(self, name: str, cls: type[_T]) -> _T:
        """A shipped file a custom folder leaves out: only when the folder speaks the shipped languages."""
        shipped = _shipped_languages() if self.custom else self.languages
        if self.languages.codes != shipped.codes:
            needed = Message(
                "error.content.needed",
                name=self._where(name),
                declared=self.languages.listed(),
                file=f"{name}.yaml",
                shipped=shipped.listed(),
            )
            raise ContentError([needed])
        return _load_file(shipped_folder() / f"{name}.yaml", cls, f"content/{name}.yaml", self.languages)

    @cached_property
    def ui(self) -> model.UiFile:
        from cxculture.model import UiFile

        if not self.custom or not (self.folder / "ui.yaml").exists():
            return self._shipped("ui", UiFile)
        shipped_where = "content/ui.yaml"
        shipped = _load_file(shipped_folder() / "ui.yaml", UiFile, shipped_where, _shipped_languages())
        custom = self._load("ui", UiFile)
        missing = sorted(set(shipped.labels) - set(custom.labels))
        _raise_if(self._where("ui"), [Message("error.content.required", path=f"labels.{key}") for key in missing])
        _raise_if(self._where("ui"), check_labels(custom, shipped))
        return custom

    @cached_property
    def survey(self) -> model.SurveyFile:
        """How survey exports are read (``import``); the shipped file unless the folder has one."""
        from cxculture.model import SurveyFile

        if self._path("survey").parent == self.folder:
            where, survey = self._where("survey"), self._load("survey", SurveyFile)
        else:
            where, survey = "content/survey.yaml", self._shipped("survey", SurveyFile)
        _raise_if(where, check_survey(survey))
        return survey

    @cached_property
    def content_id(self) -> str:
        """A short hash of the files that decide a score: same id, same scoring (cached by their checksum)."""
        raws = [_read_bytes(self.folder / f"{name}.yaml", self._where(name)) for name in SCORED_FILES]
        key = _cache_key("content_id", *raws)
        kept = _cache_load(key)
        if type(kept) is str and CONTENT_ID.fullmatch(kept):
            return kept
        import hashlib  # here only: its OpenSSL costs a start more than the files' checksum

        digest = hashlib.sha256()
        for raw in raws:
            digest.update(raw)
        found = "sha256:" + digest.hexdigest()[:16]
        _cache_put(key, found)
        return found

    def check(self) -> list[Problem | CxError]:
        """Every problem of the folder, one line each (empty when all is well)."""
        problems: list[Problem | CxError] = []
        for name in ("languages", "levels", "pillars", "questionnaire", "ui", "survey"):
            try:
                getattr(self, name)
            except ContentError as error:
                problems.extend(p for p in error.problems if p not in problems)
        return problems

    def _where(self, name: str) -> str:
        path = self.folder / f"{name}.yaml"
        return f"content/{name}.yaml" if not self.custom else str(path)

    def _load(self, name: str, cls: type[_T]) -> _T:
        return _load_file(self.folder / f"{name}.yaml", cls, self._where(name), self.languages)


def _raise_if(where: str, problems: Sequence[str | Message]) -> None:
    if problems:
        raise ContentError([Message("error.content.at", name=where, problem=problem) for problem in problems])


def _read_bytes(path: Path, where: str) -> bytes:
    if not os.path.lexists(path):
        raise ContentError([Message("error.content.missing", name=where)])
    try:
        return read_bytes(path, what="yaml", limit=MAX_CONTENT_BYTES, where=where)
    except CxError as error:
        raise ContentError([error]) from None


def _load_file(path: Path, cls: type[_T], where: str, languages: Languages) -> _T:
    raw = _read_bytes(path, where)
    key = _cache_key(f"{cls.__name__}|{languages!r}", raw)  # valid for these languages only
    cached = _cache_get(key, cls)
    if cached is not None:
        return cached
    loaded = validate(parse_yaml(raw, where), cls, where, languages)
    _cache_put(key, _to_plain(loaded))
    return loaded


def _load_languages(path: Path, where: str) -> Languages:
    """``languages.yaml`` as ``lang.Languages``; cached as the plain values it is built from."""
    from cxculture.lang import Languages

    raw = _read_bytes(path, where)
    key = _cache_key("languages", raw)
    cached = _cache_load(key)
    if type(cached) is dict:
        try:
            return Languages(cached)
        except (KeyError, TypeError, ValueError, AttributeError):  # stale or damaged: validate again
            pass
    from cxculture.model import LanguagesFile

    declared = validate(parse_yaml(raw, where), LanguagesFile, where)
    _raise_if(where, check_languages(declared))
    plain = declared.plain()
    _cache_put(key, plain)
    return Languages(plain)


def _shipped_languages() -> Languages:
    return _load_languages(shipped_folder() / "languages.yaml", "content/languages.yaml")


def parse_yaml(raw: bytes, where: str) -> object:
    """Parse a content file safely (``reading.parse_yaml``: no tag builds an object, bounded)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError([Message("error.read.not_utf8", name=where, byte=error.start)]) from None
    try:
        return reading.parse_yaml(text, where)
    except CxError as error:
        raise ContentError([error]) from None


def validate(data: object, cls: type[_T], where: str, languages: Languages | None = None) -> _T:
    """Validate parsed data into ``cls``; every problem becomes ``where: path: message``.

    Each text is checked against ``languages`` (``model.Text``): the file
    describing the languages is the only one validated without them.
    """
    import pydantic

    try:
        return _adapter(cls).validate_python(data, context={"languages": languages})
    except pydantic.ValidationError as error:
        raise ContentError(
            [Message("error.content.at", name=where, problem=describe(e)) for e in error.errors()]
        ) from None


def describe(error: ErrorDetails) -> Message:
    """``levels[2].quotes[0].role: field required`` from one pydantic error, in the reader's words.

    A refusal of the model's own validators (``model.refusal``) is its label and
    fields; pydantic's own errors are said by kind (``_SCHEMA_PROBLEMS``), naming
    the value found; an unusual kind is named by its code.
    """
    path = format_path(error["loc"]) or "—"
    kind, context = error["type"], error.get("ctx") or {}
    if kind.startswith("error."):
        return Message(kind, path=path, **context)
    value = shown(error["input"])
    if kind == "literal_error":
        accepted = ", ".join(re.findall(r"'([^']*)'", str(context.get("expected", "")))) or "—"
        return Message("error.content.not_allowed", path=path, value=value, accepted=accepted)
    return Message(_SCHEMA_PROBLEMS.get(kind, "error.content.schema"), path=path, value=value, kind=kind)


_SCHEMA_PROBLEMS = {
    "missing": "error.content.required",
    "missing_argument": "error.content.required",
    "extra_forbidden": "error.content.unknown_field",
    "unexpected_keyword_argument": "error.content.unknown_field",
    "string_type": "error.content.not_text",
    "string_too_short": "error.content.empty_text",
    "int_type": "error.content.not_whole_number",
    "int_parsing": "error.content.not_whole_number",
    "int_from_float": "error.content.not_whole_number",
    "float_type": "error.content.not_number",
    "float_parsing": "error.content.not_number",
    "bool_type": "error.content.not_boolean",
    "bool_parsing": "error.content.not_boolean",
    "list_type": "error.content.not_list",
    "tuple_type": "error.content.not_list",
    "dict_type": "error.content.not_mapping",
    "model_type": "error.content.not_mapping",
    "dataclass_type": "error.content.not_mapping",
    "dataclass_exact_type": "error.content.not_mapping",
}


def format_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(cls: type[_T]) -> TypeAdapter[_T]:
    import pydantic

    if cls not in _ADAPTERS:
        _ADAPTERS[cls] = pydantic.TypeAdapter(cls)
    return _ADAPTERS[cls]


def validate_result(data: object) -> model.Result | Message:
    """A ``Result`` from parsed JSON, or its first problem (``level: expected a whole number, got "high"``)."""
    import pydantic

    try:
        from cxculture.model import Result

        result = _adapter(Result).validate_python(data)
    except pydantic.ValidationError as error:
        return describe(error.errors()[0])
    return result


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one content file, for editors."""
    from cxculture import model

    schema: dict[str, Any] = _adapter(getattr(model, MODEL_FILES[name])).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"cxculture {name}.yaml"
    return schema


# --- checks beyond the types ------------------------------------------------


def check_languages(declared: model.LanguagesFile) -> list[Problem]:
    """Codes that look like language codes, once each; a default among them; a one-character separator."""
    from cxculture.lang import CODE

    problems: list[Problem] = [] if declared.languages else [Message("error.languages.none")]
    codes: list[str] = []
    for i, entry in enumerate(declared.languages):
        where = f"languages[{i}]"
        if not CODE.match(entry.code):
            problems.append(Message("error.languages.code", path=f"{where}.code", value=entry.code))
        elif entry.code in codes:
            problems.append(Message("error.languages.twice", path=f"{where}.code", value=entry.code))
        codes.append(entry.code)
        if not entry.name.strip():
            problems.append(Message("error.languages.name", path=f"{where}.name"))
        if len(entry.decimal_separator) != 1 or entry.decimal_separator.isdigit():
            problems.append(
                Message("error.languages.separator", path=f"{where}.decimal_separator", value=entry.decimal_separator)
            )
        problems += [
            Message("error.languages.locale", path=f"{where}.locales", value=prefix)
            for prefix in entry.locales
            if prefix.lower() != prefix or not prefix
        ]
    if declared.default not in codes:
        problems.append(Message("error.languages.default", value=declared.default, accepted=", ".join(codes)))
    return problems


def check_survey(survey: model.SurveyFile) -> list[Problem]:
    problems: list[Problem] = [
        Message("error.content.outside", path=f"synonyms[{i}].value", value=s.value, low=1, high=LEVEL_COUNT)
        for i, s in enumerate(survey.synonyms)
        if not 1 <= s.value <= LEVEL_COUNT
    ]
    problems += [
        Message("error.content.no_directive", path="dates", value=repr(pattern))
        for pattern in survey.dates.every()
        if "%" not in pattern
    ]
    return problems


def check_levels(levels: model.LevelsFile) -> list[Problem]:
    problems: list[Problem] = []
    numbers = [level.number for level in levels.levels]
    if numbers != list(range(1, LEVEL_COUNT + 1)):
        problems.append(Message("error.content.numbered", path="levels", high=LEVEL_COUNT, value=numbers))
        return problems
    seen: set[str] = set()
    for i, level in enumerate(levels.levels):
        where = f"levels[{i}]"
        if not level.quotes:
            problems.append(Message("error.content.at_least_one", path=f"{where}.quotes"))
        if level.number < LEVEL_COUNT and level.move is None:
            problems.append(Message("error.content.move_required", path=f"{where}.move", level=level.number + 1))
        if level.number == LEVEL_COUNT and level.sustain is None:
            problems.append(Message("error.content.sustain_required", path=f"{where}.sustain"))
        if level.number == LEVEL_COUNT and level.move is not None:
            problems.append(Message("error.content.top_move", path=f"{where}.move"))
        if level.move:
            problems += _check_move(level.move, f"{where}.move", seen)
    return problems


def _check_move(move: model.Move, where: str, seen: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not move.focus_areas:
        problems.append(Message("error.content.at_least_one", path=f"{where}.focus_areas"))
    ids = []
    for j, area in enumerate(move.focus_areas):
        problems += _check_id(area.id, f"{where}.focus_areas[{j}].id", seen)
        ids.append(area.id)
    for j, step in enumerate(move.steps):
        if step.focus_area not in ids:
            path = f"{where}.steps[{j}].focus_area"
            problems.append(
                Message("error.content.step_area", path=path, value=step.focus_area, accepted=", ".join(ids))
            )
    return problems


def _check_id(value: str, where: str, seen: set[str]) -> list[Problem]:
    if not KEBAB.match(value):
        return [Message("error.content.not_kebab", path=where, value=value)]
    if value in seen:
        return [Message("error.content.duplicate_id", path=where, value=value)]
    seen.add(value)
    return []


def check_labels(ui: model.UiFile, shipped: model.UiFile) -> list[Problem]:
    """Each label is a ``str.format`` pattern: only the plain ``{name}`` fields its shipped label has.

    No attribute or index access (``{org.__class__}``), no conversion (``!r``),
    no format spec (``{name:>900000000}`` would allocate gigabytes).
    """
    import string

    problems: list[Problem] = []
    for key, text in ui.labels.items():
        allowed = label_fields(shipped.labels[key]) if key in shipped.labels else set()
        for lang, pattern in text.texts.items():
            where = f"labels.{key}.{lang}"
            try:
                parsed = list(string.Formatter().parse(pattern))
            except ValueError:
                problems.append(Message("error.content.brace", path=where))
                continue
            for _, field, spec, conversion in parsed:
                if field is None:
                    continue
                if spec or conversion or not field.isidentifier():
                    problems.append(Message("error.content.field_form", path=where, value=f"{{{field}}}"))
                elif field not in allowed:
                    known = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "—"
                    problems.append(
                        Message("error.content.field_unknown", path=where, value=f"{{{field}}}", accepted=known)
                    )
    return problems


def label_fields(text: model.Text) -> set[str]:
    """The ``{fields}`` of a label, in any of its languages."""
    import string

    return {field for pattern in text.every() for _, field, _, _ in string.Formatter().parse(pattern) if field}


def check_pillars(pillars: model.PillarsFile) -> list[Problem]:
    problems: list[Problem] = []
    for section in ("pillars", "values", "virtues", "customer_conditions"):
        seen: set[str] = set()
        entries = getattr(pillars, section)
        if not entries:
            problems.append(Message("error.content.at_least_one", path=section))
        for i, entry in enumerate(entries):
            problems += _check_id(entry.id, f"{section}[{i}].id", seen)
    return problems


def check_questionnaire(
    questionnaire: model.QuestionnaireFile,
    levels: model.LevelsFile,
    pillars: model.PillarsFile,
) -> list[Problem]:
    problems = _check_scale(questionnaire.scale)
    areas = [area.id for _, area in levels.focus_areas()]
    pillar_ids = [pillar.id for pillar in pillars.pillars]
    seen: set[str] = {questionnaire.quote_question.id}
    problems += _check_id(questionnaire.quote_question.id, "quote_question.id", set())
    for i, statement in enumerate(questionnaire.statements):
        where = f"statements[{i}]"
        problems += _check_id(statement.id, f"{where}.id", seen)
        if (statement.focus_area is None) == (statement.pillar is None):
            problems.append(Message("error.content.area_or_pillar", path=where))
        else:
            field, value, known, file = (
                ("focus_area", statement.focus_area, areas, "levels.yaml")
                if statement.focus_area is not None
                else ("pillar", statement.pillar, pillar_ids, "pillars.yaml")
            )
            if value not in known:
                problems.append(
                    Message(
                        "error.content.undefined",
                        path=f"{where}.{field}",
                        value=value,
                        file=file,
                        accepted=", ".join(known),
                    )
                )
        if statement.applies_to is not None and questionnaire.scale.not_applicable is None:
            problems.append(Message("error.content.needs_not_applicable", path=f"{where}.applies_to"))
    measured = {s.focus_area for s in questionnaire.statements}
    for area in areas:
        if area not in measured:
            problems.append(Message("error.content.area_unmeasured", path="statements", value=area))
    problems += _check_quotes(questionnaire.quote_question)
    return problems


def _check_quotes(question: model.QuoteQuestion) -> list[Problem]:
    """The quote question's own quotes, when given, cover every level and only those."""
    if not question.quotes:
        return []
    levels = {quote.level for quote in question.quotes}
    problems: list[Problem] = [
        Message(
            "error.content.outside",
            path=f"quote_question.quotes[{i}].level",
            value=quote.level,
            low=1,
            high=LEVEL_COUNT,
        )
        for i, quote in enumerate(question.quotes)
        if not 1 <= quote.level <= LEVEL_COUNT
    ]
    missing = [str(n) for n in range(1, LEVEL_COUNT + 1) if n not in levels]
    if missing:
        problems.append(Message("error.content.quote_levels", path="quote_question.quotes", value=", ".join(missing)))
    return problems


def _check_scale(scale: model.Scale) -> list[Problem]:
    problems: list[Problem] = []
    values = [point.value for point in scale.points]
    if values != [1, 2, 3, 4, 5]:
        problems.append(Message("error.content.numbered", path="scale.points", high=5, value=values))
    if not 1 <= scale.met_threshold <= 5:
        problems.append(
            Message("error.content.outside", path="scale.met_threshold", value=scale.met_threshold, low=1, high=5)
        )
    for name in ("polarised_below", "polarised_from"):
        if not 1 <= getattr(scale, name) <= 5:
            problems.append(
                Message("error.content.outside", path=f"scale.{name}", value=getattr(scale, name), low=1, high=5)
            )
    if scale.polarised_below > scale.polarised_from:
        problems.append(Message("error.content.polarised_order", path="scale.polarised_below"))
    for name in ("polarised_share", "area_min_answered", "participant_min_answered"):
        if not 0 < getattr(scale, name) <= 1:
            problems.append(Message("error.content.share", path=f"scale.{name}", value=getattr(scale, name)))
    if not 0 < scale.polarised_distance <= 4:
        problems.append(
            Message(
                "error.content.outside", path="scale.polarised_distance", value=scale.polarised_distance, low=0, high=4
            )
        )
    if scale.polarised_min_people < 1:
        problems.append(
            Message(
                "error.content.at_least", path="scale.polarised_min_people", value=scale.polarised_min_people, low=1
            )
        )
    return problems


# --- cache of validated files -----------------------------------------------
#
# A validated file is kept as plain values in ``marshal`` format: a record is a
# list ``[class name, *field values]``, its tuples and dicts stay tuples and
# dicts. Loading rebuilds records only from the model's record classes and
# checks their shape; nothing in the file can name code to run. ``cache.read``
# only returns a file the current user alone could have written.


def _cache_key(kind: str, *raws: bytes) -> str:
    from cxculture import cache

    model_stamp = os.stat(MODEL_PATH).st_mtime_ns
    salt = f"{__version__}|{kind}|{model_stamp}|{sys.version_info[:2]}".encode()
    return cache.key(salt, *raws)


def _cache_path(key: str) -> Path | None:
    from cxculture import cache

    folder = cache.folder()
    return None if folder is None else folder / f"{key}.marshal"


def _cache_load(key: str) -> object:
    """The plain values cached under ``key`` (None when there are none, or damaged ones)."""
    import marshal

    from cxculture import cache

    path = _cache_path(key)
    data = cache.read(path) if path is not None else None
    if data is None:
        return None
    try:
        return marshal.loads(data)  # noqa: S302 - plain values, see above
    except (ValueError, TypeError, EOFError):
        return None


def _cache_get(key: str, cls: type[_T]) -> _T | None:
    plain = _cache_load(key)
    if plain is None:
        return None
    try:
        loaded = _from_plain(plain, _record_classes())
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):  # stale or damaged
        return None
    return loaded if type(loaded) is cls else None


def _cache_put(key: str, plain: object) -> None:
    import marshal

    from cxculture import cache

    path = _cache_path(key)
    if path is not None:
        cache.write(path, marshal.dumps(plain))  # type: ignore[arg-type] # plain values only


def _to_plain(value: object) -> object:
    from cxculture.model import Record

    if isinstance(value, Record):
        return [type(value).__name__, *(_to_plain(getattr(value, name)) for name in value.__dataclass_fields__)]
    if isinstance(value, tuple):
        return tuple(_to_plain(item) for item in value)
    if isinstance(value, dict):
        return {key: _to_plain(item) for key, item in value.items()}
    return value


_PLAIN = (str, int, float, bool, type(None))


def _from_plain(value: object, classes: dict[str, type[Any]]) -> object:
    kind = type(value)
    if isinstance(value, list):
        name, fields = value[0], value[1:]
        cls = classes[name]
        if len(fields) != len(cls.__dataclass_fields__):
            raise ValueError(f"{name}: {len(fields)} fields")
        return cls(*(_from_plain(item, classes) for item in fields))
    if kind is tuple:
        return tuple(_from_plain(item, classes) for item in value)  # type: ignore[attr-defined]
    if kind is dict:
        items = value.items()  # type: ignore[attr-defined]
        if all(type(key) is str and type(item) is str for key, item in items):
            return value  # texts by language (``model.Text``): the most common mapping, kept as it is
        if not all(type(key) is str for key, _ in items):
            raise TypeError("a key that is not a text")
        return {key: _from_plain(item, classes) for key, item in items}
    if kind in _PLAIN:
        return value
    raise TypeError(f"{kind.__name__} is not plain data")


def _record_classes() -> dict[str, type[Any]]:
    """The allow-list: every record class of the model, by name."""
    from cxculture import model

    return {
        name: cls
        for name, cls in vars(model).items()
        if isinstance(cls, type) and issubclass(cls, model.Record) and cls is not model.Record
    }
