"""The culture model and its files as typed, immutable records.

These are plain dataclasses so that importing them is cheap (start-up matters);
pydantic validates raw YAML into them in ``loading`` and derives their JSON
Schema, so the types below are the single description of every content file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, dataclass_transform

from cxculture.lang import Lang

if TYPE_CHECKING:  # pydantic is imported only when a file is validated
    from pydantic_core import CoreSchema, PydanticCustomError
    from pydantic_core.core_schema import ValidationInfo

    from cxculture.lang import Language, Languages


class Record:
    """Base of every record: a value, never changed once built; unknown keys are refused.

    Records are ``@record``: slotted dataclasses whose equality and repr are
    written once here. They are not ``frozen=True``: that generates five methods
    per class with ``exec`` and routes every field through ``object.__setattr__``;
    for the model's two dozen classes it took 19 ms of every start (7 ms now,
    benchmarks/startup.py). Fields hold tuples, strings and numbers, and no code
    assigns to a record after building it.
    """

    __slots__ = ()
    __pydantic_config__ = {"extra": "forbid"}  # noqa: RUF012 - pydantic reads it; a ClassVar would be a dataclass field

    __dataclass_fields__: ClassVar[dict[str, Any]]

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__dataclass_fields__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__dataclass_fields__)
        return f"{type(self).__name__}({fields})"


_R = TypeVar("_R", bound=Record)


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[_R]) -> type[_R]:
    """Make ``cls`` a record: a slotted dataclass whose equality and repr come from ``Record``."""
    return dataclass(slots=True, eq=False, repr=False)(cls)


@record
class Text(Record):
    """A text a reader sees: one entry per language declared in ``languages.yaml``, no other.

    Written in YAML as ``{fr: …, en: …}``. Validation (``loading``, which hands
    pydantic the declared languages) refuses a missing, empty or undeclared
    language, and keeps each language's marks on their line
    (``Language.spaced``): ``text(lang)`` is what the reader sees.
    """

    texts: dict[str, str]

    def __call__(self, lang: Lang) -> str:
        return self.texts[lang]

    def every(self) -> tuple[str, ...]:
        """The text in every language."""
        return tuple(self.texts.values())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: object) -> CoreSchema:
        from pydantic_core import core_schema

        texts = core_schema.dict_schema(core_schema.str_schema(), core_schema.str_schema())
        return core_schema.with_info_after_validator_function(_text_in_every_language, texts)


def _text_in_every_language(texts: dict[str, str], info: ValidationInfo) -> Text:
    languages: Languages = (info.context or {})["languages"]
    _refuse_undeclared(texts, languages)
    for code in languages.codes:
        if code not in texts:
            raise refusal("error.content.text_missing", value=code, accepted=languages.listed())
        if not texts[code].strip():
            raise refusal("error.content.text_empty", value=code)
    return Text({code: languages[code].spaced(texts[code]) for code in languages.codes})


def refusal(key: str, **fields: str) -> PydanticCustomError:
    """A validator's refusal as a ``ui.yaml`` label and its fields, for ``loading`` to say in the reader's language.

    The label is the error's type and the fields its context; the path is pydantic's.
    """
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(key, key, fields)


def _refuse_undeclared(by_language: dict[str, Any], languages: Languages) -> None:
    unknown = [code for code in by_language if code not in languages]
    if unknown:
        code = unknown[0] if len(unknown[0]) <= 40 else unknown[0][:37] + "..."  # a key of any length: a code is short
        raise refusal("error.content.undeclared_language", value=code, accepted=languages.listed())


# --- languages.yaml ----------------------------------------------------------
# ``loading`` validates the file into these records (and derives its JSON
# Schema), then keeps their plain values: ``lang.Languages`` is built from
# them, so that choosing a language never imports this module.


@record
class LanguageEntry(Record):
    """One declared language (``lang.Language`` at run time)."""

    code: str
    name: str  # its own name, as its speakers write it: the language menus and reports show it
    decimal_separator: str  # "," writes 3.5 as 3,5
    locales: tuple[str, ...] = ()  # locale prefixes that choose it; none: its code
    no_break_before: str = ""  # marks kept on the line of the word before them
    no_break_after: str = ""  # marks kept on the line of the word after them


@record
class LanguagesFile(Record):
    """``languages.yaml``: the languages every text is written in, and the default one."""

    default: str
    languages: tuple[LanguageEntry, ...]

    def plain(self) -> dict[str, object]:
        """The values ``lang.Languages`` is built from (and the cache keeps)."""
        entries = [{name: getattr(entry, name) for name in entry.__dataclass_fields__} for entry in self.languages]
        return {"default": self.default, "languages": entries}


# --- levels.yaml -------------------------------------------------------------


@record
class Quote(Record):
    """Something an employee typically says at a level, and who says it."""

    role: Text
    text: Text


@record
class FocusArea(Record):
    """One of the areas to work on to move up a level; ``id`` is stable kebab-case."""

    id: str
    name: Text
    why: Text


@record
class Step(Record):
    """A numbered step of a move, tied to one of the move's focus areas."""

    focus_area: str
    title: Text
    summary: Text
    actions: tuple[Text, ...]


@record
class Move(Record):
    """What it takes to go from a level to the next one."""

    intro: Text
    focus_areas: tuple[FocusArea, ...]
    steps: tuple[Step, ...]


@record
class Sustain(Record):
    """For the top level: the practices that keep a mature culture alive."""

    intro: Text
    practices: tuple[Text, ...]


@record
class Level(Record):
    """One maturity level: what it looks and sounds like, and how to move on."""

    number: int
    name: Text
    summary: Text
    description: tuple[Text, ...]
    signs: tuple[Text, ...]
    quotes: tuple[Quote, ...]
    move: Move | None = None
    sustain: Sustain | None = None


@record
class LevelsFile(Record):
    """``levels.yaml``: the five levels, in order."""

    levels: tuple[Level, ...]

    def level(self, number: int) -> Level:
        return self.levels[number - 1]

    def focus_areas(self) -> list[tuple[int, FocusArea]]:
        """Every focus area with the level it unlocks, lowest move first."""
        return [(level.number + 1, area) for level in self.levels if level.move for area in level.move.focus_areas]


# --- pillars.yaml ------------------------------------------------------------


@record
class Entry(Record):
    """A named idea of the second lens (a pillar, a value or a virtue)."""

    id: str
    name: Text
    summary: Text


@record
class CustomerCondition(Record):
    """A condition a customer judges the company on, with the customer's question."""

    id: str
    name: Text
    question: Text
    summary: Text


@record
class PillarsFile(Record):
    """``pillars.yaml``: pillars, values, virtues and customer conditions."""

    intro: Text
    pillars: tuple[Entry, ...]
    values: tuple[Entry, ...]
    virtues: tuple[Entry, ...]
    customer_conditions: tuple[CustomerCondition, ...]


# --- questionnaire.yaml ------------------------------------------------------


@record
class ScalePoint(Record):
    """One point of the agreement scale (1 strongly disagree … 5 strongly agree)."""

    value: int
    label: Text
    aliases: tuple[str, ...] = ()  # other labels a survey export may use for this point (older wordings)


@record
class Scale(Record):
    """The answer scale and the thresholds the scoring and the group figures use.

    Polarisation (a group split, not a lone outlier): at least
    ``polarised_share`` of those with a score, and at least
    ``polarised_min_people`` people, below ``polarised_below``; as many at
    ``polarised_from`` or above; each of them at least ``polarised_distance``
    from the group's score. Coverage: a focus area is scored when at least
    ``area_min_answered`` of its statements are answered; a participant counts
    in a synthesis when at least ``participant_min_answered`` of all statements
    are answered.
    """

    points: tuple[ScalePoint, ...]
    dont_know: Text
    not_applicable: Text | None = None  # offered by statements with ``applies_to``; counts as not answered
    met_threshold: float = 3.5
    polarised_below: float = 2.5
    polarised_from: float = 3.5
    polarised_share: float = 0.25
    polarised_min_people: int = 2
    polarised_distance: float = 0.5
    area_min_answered: float = 0.5
    participant_min_answered: float = 0.5


@record
class Statement(Record):
    """A statement rated on the scale; it measures one focus area or one pillar.

    ``reverse``: worded the other way round, so agreeing means a less mature
    culture (scoring turns the answer round). ``applies_to``: only some people can
    judge it (who, shown with the statement); the others answer "doesn't apply to me".
    """

    id: str
    text: Text
    focus_area: str | None = None
    pillar: str | None = None
    reverse: bool = False
    applies_to: Text | None = None


@record
class GlossaryEntry(Record):
    """A word a participant may not know, explained on the welcome screen."""

    term: Text
    meaning: Text


@record
class ParticipantQuote(Record):
    """A short quote of the quote question: what someone at ``level`` might say."""

    level: int
    role: Text
    text: Text


@record
class QuoteQuestion(Record):
    """'Which of these sounds most like your workplace?' (one quote per level)."""

    id: str
    prompt: Text
    none_of_these: Text
    quotes: tuple[ParticipantQuote, ...] = ()  # none: the first quote of each level in levels.yaml


@record
class QuestionnaireFile(Record):
    """``questionnaire.yaml``: the scale, the statements and the quote question."""

    scale: Scale
    statements: tuple[Statement, ...]
    quote_question: QuoteQuestion
    duration_minutes: int | None = None  # about how long answering takes, said on the welcome screen
    glossary: tuple[GlossaryEntry, ...] = ()

    def minutes(self) -> int:
        """About how long answering takes, for the welcome screens: the content says, else an estimate."""
        if self.duration_minutes is not None:
            return self.duration_minutes
        return max(1, round((len(self.statements) + 1) * SECONDS_PER_QUESTION / 60))


SECONDS_PER_QUESTION = 12  # for the estimate of ``QuestionnaireFile.minutes``


# --- ui.yaml -----------------------------------------------------------------


@record
class UiFile(Record):
    """``ui.yaml``: every label, heading and prompt, by key (``str.format`` fields)."""

    labels: dict[str, Text] = field(default_factory=dict)

    def say(self, key: str, lang: Lang, **fields: object) -> str:
        """The label ``key`` in ``lang``, with its ``{fields}`` filled in."""
        return self.labels[key](lang).format(**fields)

    def speaker(self, language: Language) -> Speaker:
        """``say`` bound to one language: ``t = content.speaker("en"); t("guide.signs")``."""
        return Speaker(self, language)


class Speaker:
    """The labels of ``ui`` in one language: what views call ``t``.

    ``t.lang`` is the language's code; views write numbers as it does with
    ``lang.decimal(value, t.language)``.
    """

    __slots__ = ("lang", "language", "ui")

    def __init__(self, ui: UiFile, language: Language) -> None:
        self.ui, self.language, self.lang = ui, language, language.code

    def __call__(self, key: str, **fields: object) -> str:
        return self.ui.say(key, self.lang, **fields)


# --- survey.yaml ---------------------------------------------------------------


@record
class Words(Record):
    """Titles or answers as people write them, by language (compared loosely); any language may be left out.

    Written in YAML as ``{fr: [...], en: [...]}``; a key that is not a declared
    language is refused.
    """

    words: dict[str, tuple[str, ...]]

    def of(self, lang: Lang) -> tuple[str, ...]:
        return self.words.get(lang, ())

    def every(self) -> tuple[str, ...]:
        return tuple(word for words in self.words.values() for word in words)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: object) -> CoreSchema:
        from pydantic_core import core_schema

        lists = core_schema.tuple_variable_schema(core_schema.str_schema())
        words = core_schema.dict_schema(core_schema.str_schema(), lists)
        return core_schema.with_info_after_validator_function(_words_in_declared_languages, words)


def _words_in_declared_languages(words: dict[str, tuple[str, ...]], info: ValidationInfo) -> Words:
    _refuse_undeclared(words, (info.context or {})["languages"])
    return Words(words)


MetadataRole = Literal["timestamp", "response_id", "email", "name", "ignore"]


@record
class MetadataColumn(Record):
    """Columns a survey tool adds around the questions, and what they hold."""

    role: MetadataRole
    titles: Words


@record
class Synonym(Record):
    """Other ways of writing one point of the scale."""

    value: int
    words: Words


@record
class SurveyFields(Record):
    """Column titles meaning the participant's group, organisation or name."""

    segment: Words
    org: Words
    participant: Words


@record
class SurveyTemplate(Record):
    """The texts of ``questions --format survey`` that are not in the questionnaire."""

    segment_question: Text
    grid_prompt: Text


@record
class SurveyFile(Record):
    """``survey.yaml``: how the exports of survey tools are read."""

    metadata: tuple[MetadataColumn, ...]
    fields: SurveyFields
    response_cell: Words
    dont_know: Words
    synonyms: tuple[Synonym, ...]
    none_of_these: Words
    dates: Words
    template: SurveyTemplate


# --- result files ------------------------------------------------------------

RESULT_SCHEMA_VERSION = 1


@record
class AreaResult(Record):
    """A focus area's score in a result (``None`` when nothing was answered)."""

    id: str
    unlocks_level: int
    score: float | None
    met: bool


@record
class PillarResult(Record):
    """A pillar's score in a result."""

    id: str
    score: float | None


@record
class Result(Record):
    """A saved assessment: its answers, its scores and where they came from."""

    __pydantic_config__ = {"extra": "ignore"}  # noqa: RUF012 - pydantic reads it; a ClassVar would be a dataclass field

    schema_version: int
    level: int
    perceived_level: int | None
    focus_areas: tuple[AreaResult, ...]
    pillars: tuple[PillarResult, ...]
    answers: dict[str, int | None]
    org: str | None
    participant: str | None
    segment: str | None
    created_at: str
    lang: Lang
    content_id: str
    tool_version: str
    wave: str | None = None  # the survey round, e.g. "T0" (import --wave)
    wave_date: str | None = None  # YYYY-MM-DD (import --date)
    response: str | None = None  # an imported response's identity: "id:…[@time]", "time:…" or "row:…"
