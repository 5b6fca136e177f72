"""Scoring: answers to focus-area and pillar scores, and the staged level. Pure, no I/O.

- A statement worded the other way round (``reverse``) counts ``6 - answer``
  (on the 1..5 scale): agreeing with it means a less mature culture.
- Focus-area score = mean of its answered statements (``None`` answers skipped),
  given only when at least ``area_min_answered`` of its statements (half in the
  shipped content) are answered; otherwise ``None`` (not scored).
- A focus area is met when its score is at least the threshold (3.5 in the
  shipped content); ``None`` is not met.
- Level = 1 + the number of consecutive moves, starting with 1→2, whose focus
  areas are all met.
- Pillar score = mean of its answered statements, ``None`` if none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from itertools import repeat
from operator import attrgetter, call, getitem, itemgetter
from typing import Any, TypeVar

from cxculture.model import AreaResult, LevelsFile, PillarResult, PillarsFile, QuestionnaireFile, Record, record

Answers = Mapping[str, "int | None"]
Values = tuple["int | None", ...]  # the answers to one focus area's or pillar's statements, in order
_Figures = TypeVar("_Figures")


@record
class AreaScore(AreaResult):
    """A focus area's figures as a result keeps them, with how far from the threshold it is and how answered."""

    gap: float | None  # threshold − score when not met (None: no answer)
    answered: int
    statements: int


PillarScore = PillarResult  # a pillar's score: the same two figures whether just computed or read from a result


@record
class Scores(Record):
    """Everything computed from one set of answers (``answered`` of ``statements``: its coverage)."""

    level: int
    perceived_level: int | None
    focus_areas: tuple[AreaScore, ...]
    pillars: tuple[PillarScore, ...]
    threshold: float
    answered: int = 0
    statements: int = 0

    @property
    def coverage(self) -> float:
        """The share of all statements answered (1.0 for a questionnaire without statements)."""
        return self.answered / self.statements if self.statements else 1.0

    @property
    def holding(self) -> tuple[AreaScore, ...]:
        """What holds the level: the unmet focus areas of the next move."""
        return tuple(a for a in self.focus_areas if a.unlocks_level == self.level + 1 and not a.met)

    @property
    def above(self) -> tuple[AreaScore, ...]:
        """Focus areas already met beyond the next move (in place above the level)."""
        return tuple(a for a in self.focus_areas if a.unlocks_level > self.level + 1 and a.met)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the values that are not ``None``; ``None`` if there are none."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def is_met(score: float | None, threshold: float) -> bool:
    return score is not None and score >= threshold


def staged_level(met_by_move: Iterable[tuple[int, bool]]) -> int:
    """1 + the consecutive moves (from 1→2) whose focus areas are all met.

    ``met_by_move`` gives, for each focus area, the level it unlocks and whether
    it is met.
    """
    all_met: dict[int, bool] = {}
    for unlocks, met in met_by_move:
        all_met[unlocks] = all_met.get(unlocks, True) and met
    level = 1
    while all_met.get(level + 1):
        level += 1
    return level


def score(
    answers: Answers,
    levels: LevelsFile,
    questionnaire: QuestionnaireFile,
    pillars: PillarsFile,
) -> Scores:
    """Score one participant's answers (unknown ids are ignored, missing ones are None)."""
    return scorer(levels, questionnaire, pillars)(answers)


Scorer = Callable[[Answers], Scores]


def scorer(levels: LevelsFile, questionnaire: QuestionnaireFile, pillars: PillarsFile) -> Scorer:
    """``score`` with the content read once: a function of the answers, for many participants.

    A focus area's or a pillar's figures depend only on the answers to its own
    statements, so each is worked out once per combination of those answers and
    then reused (records are values): thousands of participants share a few
    hundred combinations. The answers are looked up once, in statement order;
    each table picks its statements' answers from them as they were given
    (reverse-worded ones are turned round only when figures are worked out).
    """
    threshold = questionnaire.scale.met_threshold
    min_share = questionnaire.scale.area_min_answered
    statement_ids = tuple(s.id for s in questionnaire.statements)
    position = {qid: i for i, qid in enumerate(statement_ids)}
    flipped = {position[s.id] for s in questionnaire.statements if s.reverse}

    def table(ids: list[str]) -> tuple[Callable[[Values], Values], tuple[bool, ...]]:
        """Picking a table's answers out of all the answers, and which of them are turned round."""
        places = [position[qid] for qid in ids]
        return _picker(places), tuple(i in flipped for i in places)

    # each focus area and pillar: how to pick its answers, and its figures by answers (worked out on a miss)
    area_picks: list[Callable[[Values], Values]] = []
    area_tables: list[_Remembered[AreaScore]] = []
    for unlocks, area in levels.focus_areas():
        pick, flips = table([s.id for s in questionnaire.statements if s.focus_area == area.id])
        area_picks.append(pick)
        area_tables.append(_Remembered(partial(_area_of, area.id, unlocks, flips, threshold, min_share)))
    pillar_picks: list[Callable[[Values], Values]] = []
    pillar_tables: list[_Remembered[PillarScore]] = []
    for pillar in pillars.pillars:
        pick, flips = table([s.id for s in questionnaire.statements if s.pillar == pillar.id])
        pillar_picks.append(pick)
        pillar_tables.append(_Remembered(partial(_pillar_of, pillar.id, flips)))
    quote = questionnaire.quote_question.id
    unlocks_of = [unlocks for unlocks, _ in levels.focus_areas()]
    levels_by_met: _Remembered[int] = _Remembered(lambda met: staged_level(zip(unlocks_of, met, strict=True)))

    def run(answers: Answers) -> Scores:
        given = tuple(map(answers.get, statement_ids))
        # each table's figures of its answers, looked up without a Python loop (``_Remembered`` on a miss)
        areas = tuple(map(getitem, area_tables, map(call, area_picks, repeat(given))))
        scores = tuple(map(getitem, pillar_tables, map(call, pillar_picks, repeat(given))))
        level = levels_by_met[tuple(map(_MET, areas))]
        answered = len(given) - given.count(None)
        return Scores(level, answers.get(quote), areas, scores, threshold, answered, len(given))

    return run


_MET = attrgetter("met")


class _Remembered(dict[tuple[Any, ...], _Figures]):
    """Figures by the answers they are worked out from: worked out when first asked for, kept up to a bound."""

    __slots__ = ("work",)

    def __init__(self, work: Callable[[Any], _Figures]) -> None:
        super().__init__()
        self.work = work

    def __missing__(self, values: tuple[Any, ...]) -> _Figures:
        return _remember(self, values, self.work(values))


def _area_of(
    area_id: str, unlocks: int, flips: tuple[bool, ...], threshold: float, min_share: float, values: Values
) -> AreaScore:
    return area_score(area_id, unlocks, _turned(values, flips), threshold, min_share)


def _pillar_of(pillar_id: str, flips: tuple[bool, ...], values: Values) -> PillarScore:
    return PillarScore(pillar_id, mean(_turned(values, flips)))


def _picker(places: list[int]) -> Callable[[Values], Values]:
    """A function picking the values at ``places`` out of a tuple, as a tuple (``itemgetter`` gives a tuple from 2)."""
    if len(places) >= 2:
        return itemgetter(*places)
    if len(places) == 1:
        only = places[0]
        return lambda values: (values[only],)
    return lambda _: ()


def _turned(values: Values, flips: tuple[bool, ...]) -> Values:
    """``values`` with those marked in ``flips`` turned round (``reverse``)."""
    if not any(flips):
        return values
    return tuple(reverse(v) if flip else v for v, flip in zip(values, flips, strict=True))


def reverse(value: int | None) -> int | None:
    """An answer to a statement worded the other way round, turned round (1 ↔ 5, 2 ↔ 4)."""
    return None if value is None else 6 - value


def oriented(answers: Answers, reversed_ids: set[str]) -> dict[str, int | None]:
    """The answers with those to ``reversed_ids`` turned round: every value now reads "more is better"."""
    return {qid: reverse(value) if qid in reversed_ids else value for qid, value in answers.items()}


def area_score(area_id: str, unlocks: int, answers: Values, threshold: float, min_share: float = 0.5) -> AreaScore:
    """A focus area's figures from the answers to its statements (``None``: not answered).

    Scored only when at least ``min_share`` of its statements are answered.
    """
    answered = sum(1 for v in answers if v is not None)
    value = mean(answers) if enough(answered, len(answers), min_share) else None
    met = is_met(value, threshold)
    gap = None if met or value is None else threshold - value
    return AreaScore(area_id, unlocks, value, met, gap, answered, len(answers))


def enough(answered: int, total: int, min_share: float) -> bool:
    """Whether ``answered`` of ``total`` reaches the share ``min_share`` (exact at the boundary: 1 of 2 is half)."""
    return answered * 1_000_000 >= round(min_share * 1_000_000) * total


_REMEMBERED_AT_MOST = 100_000  # combinations per focus area or pillar table; beyond, computed each time


def _remember(table: dict[tuple[Any, ...], _Figures], key: tuple[Any, ...], value: _Figures) -> _Figures:
    if len(table) < _REMEMBERED_AT_MOST:
        table[key] = value
    return value
