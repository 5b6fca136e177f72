"""Workshop synthesis: many result files combined into the figures of one group.

Owns finding the result files (folders are expanded, partial files skipped,
a file named twice read once), reading them quickly (``results.looks_complete``
on the bytes parsed once, else ``results.synthesis_fields``; thousands of them
with a second process, ``second_reader``; no garbage collection meanwhile,
``without_gc``), re-scoring each participant's answers with the current
content, the rules that
make one group (one organisation, enough statements answered per participant,
segment names compared loosely) and the group figures: scores, met shares,
polarisation, answer distributions per focus area and statement, levels,
pillars, the "discuss first" agenda and, on request, the same figures per
segment, small segments reduced to their head count.

Every function but ``collect`` and the readers is pure. The JSON shape is
documented in the README ("Workshop JSON"); fields may be added, none removed
without a new ``SCHEMA_VERSION``.
"""

from __future__ import annotations

import gc
import json
import math
import operator
import os
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxculture import progress, results, scoring, second_reader, wavefile, waves
from cxculture.answers import question_ids
from cxculture.errors import CxError, Message
from cxculture.reading import decode, fast_parser, loads_fast, read_bytes

if TYPE_CHECKING:
    from cxculture.loading import Content
    from cxculture.model import Scale, Statement
    from cxculture.progress import Track

Figures = dict[str, Any]  # plain JSON data: what ``workshop --format json`` prints

SCHEMA_VERSION = 1
NO_SEGMENT = ""  # the key of those without a segment: a real segment name is never empty
MIN_GROUP = 5  # segments smaller than this show their head count only
ANSWER_KEYS = ("1", "2", "3", "4", "5", "dont_know")
_EPSILON = 1e-9  # float noise when comparing a score with the group's score


@dataclass(frozen=True, slots=True)
class Participant:
    """One result file, re-scored with the current content (the name never reaches a synthesis)."""

    path: str | Message  # where it comes from: a file, or a survey export's row (``where.row``)
    answers: dict[str, int | None]
    segment: str | None
    created_at: str
    scores: scoring.Scores
    content_id: str
    org: str | None = None
    participant: str | None = None
    wave: str | None = None  # the survey round (import --wave) and its date (--date)
    wave_date: str | None = None


# --- finding and reading files ----------------------------------------------


def collect(paths: list[Path]) -> tuple[list[str], list[Path]]:
    """The result files and wave files named or found in the folders (each file once), and the partial files skipped.

    A file is the same file whatever the path that leads to it (device and
    inode): named twice, also found in a folder, or reached through a link.
    A folder's ``.json`` files are its result files; a wave file (``.jsonl``)
    is read only when named. Files are named as ``Path`` would name them, as
    plain strings: a folder may hold thousands.
    """
    if not paths:
        raise CxError(key="error.workshop.nothing_given")
    files: dict[tuple[int, int], str] = {}
    skipped: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            folder = "" if str(path) == "." else os.path.join(path, "")  # as ``path / name`` names it
            found = [(folder + name, same) for name, same in sorted(_json_files(path, alone=len(paths) == 1))]
        elif path.exists():
            info = path.stat()
            found = [(str(path), (info.st_dev, info.st_ino))]
        else:
            raise CxError(key="error.workshop.missing", name=path)
        for file, same in found:
            if file.endswith(results.PARTIAL_SUFFIX):
                skipped.append(Path(file))
            else:
                files.setdefault(same, file)
    if not files:
        raise CxError(key="error.workshop.none_found", names=", ".join(str(p) for p in paths))
    return list(files.values()), skipped


def _json_files(folder: Path, alone: bool) -> list[tuple[str, tuple[int, int]]]:
    """The names of the regular ``.json`` files of a folder (links followed), each with what tells it apart.

    That is its device and inode (``stat``). When the folder is all there is
    to read (``alone``) and holds no link, its listing's inodes are enough (hard
    links share one): no system call per file, about a tenth of the time of
    10,000 files.
    """
    with os.scandir(folder) as listing:
        entries = [entry for entry in listing if entry.name.endswith(".json")]
    if alone and all(entry.is_file(follow_symlinks=False) for entry in entries):
        return [(entry.name, (0, entry.inode())) for entry in entries]
    found = []
    for entry in entries:
        try:
            info = entry.stat()
        except OSError:
            continue  # a dangling link: not a result file
        if stat.S_ISREG(info.st_mode):
            found.append((entry.name, (info.st_dev, info.st_ino)))
    return found


def reader(content: Content) -> Callable[[Path | str], Participant]:
    """A function reading one result file and re-scoring it, with the content's figures worked out once.

    A well-formed result (``results.looks_complete``), the usual case, is read
    once and parsed once, from its bytes; anything else is read as text and
    checked by ``results.synthesis_fields``, which words the error or accepts it.
    """
    person = participant_of(content)
    parse = fast_parser()

    def read_one(path: Path | str) -> Participant:
        where = str(path)
        data = read_bytes(where, what="result", limit=results.MAX_RESULT_BYTES)
        if parse is not None:
            try:
                parsed = parse(data)  # refuses what is not UTF-8 (a BOM too), NaN and bad JSON: checked below
            except ValueError:
                parsed = None
            if results.looks_complete(parsed):
                return person(parsed, where)
        return person(_fields(decode(data, where), where), where)

    return read_one


def _fields(text: str, where: str) -> dict[str, Any]:
    """``results.synthesis_fields`` of a result's text, or the error worded from the standard parser's data."""
    try:
        parsed = loads_fast(text)
    except (ValueError, RecursionError):
        results.parse(text, where)  # raises the clear message
        raise  # pragma: no cover - parse always raises here
    try:
        return results.synthesis_fields(parsed, where)
    except CxError:  # refused: worded from the standard parser's data (see reading.loads_fast)
        results.synthesis_fields(json.loads(text), where)
        raise


def participant_of(content: Content) -> Callable[[dict[str, Any], str], Participant]:
    """A function making a re-scored participant of a result's ``results.synthesis_fields``."""
    score = scoring.scorer(content.levels, content.questionnaire, content.pillars)
    known = frozenset(question_ids(content.questionnaire))

    def person(data: dict[str, Any], where: str) -> Participant:
        answers = data["answers"]
        if answers.keys() != known:  # the same questions: nothing to check
            _check_questions(set(answers), known, data["content_id"], content.content_id, where)
        return Participant(
            where,
            answers,
            data.get("segment"),
            data["created_at"],
            score(answers),
            data["content_id"],
            org=data.get("org"),
            participant=data.get("participant"),
            wave=data.get("wave"),
            wave_date=data.get("wave_date"),
        )

    return person


def read(path: Path, content: Content) -> Participant:
    """Read one result file and re-score it; a bad file raises an error naming it."""
    return reader(content)(path)


def read_all(files: Sequence[Path | str], content: Content, track: Track = progress.silent) -> list[Participant]:
    """The participants of result files and wave files (``wavefile``: one per line), in the order given.

    Thousands of result files are read by two processes (``second_reader``). ``track``
    shows the files and lines read (``progress``).
    """
    read_one = reader(content)
    person = participant_of(content)
    waves = [path for path in files if wavefile.named(path)]  # files: collect expanded the folders
    second = None if waves else second_reader.start(files)  # before the progress bar's thread starts: see second_reader
    mine = files if second is None else files[: second.first]

    def counted() -> int:  # reading the wave files' newlines costs: only when a bar is shown
        return len(files) - len(waves) + sum(map(wavefile.count_lines, waves))

    def participants() -> Iterator[Participant]:
        for path in mine:
            if waves and wavefile.named(path):
                for where, data in wavefile.synthesis_records(path):
                    yield person(data, where)
            else:
                yield read_one(path)
        if second is not None:
            theirs = files[second.first :]
            read = second.results()  # what it read of its first files, up to one it did not accept
            for path, values in zip(theirs, read, strict=False):
                yield person(dict(zip(results.SYNTHESIS_FIELDS, values, strict=True)), str(path))
            for path in theirs[len(read) :]:  # read here: a bad file is refused as when one process reads all
                yield read_one(path)

    people: list[Participant] = []
    try:
        with track("progress.workshop", counted if waves else len(files)) as advance:
            for participant in participants():
                people.append(participant)
                if not len(people) % _STEP:
                    advance(_STEP)
            advance(len(people) % _STEP)
    finally:
        if second is not None:
            second.stop()
    return people


_STEP = 500  # results read between two moves of the progress bar


@contextmanager
def without_gc() -> Iterator[None]:
    """No garbage collection while a synthesis reads and counts its participants: they make no cycle.

    The collector would walk every participant kept so far, again and again:
    on 10,000 result files it ran about 240 times and took 0.1–0.2 s of a
    run of about 1 s. Leave it only once the participants are dropped, or
    the first collection after it walks them all. An import, which makes
    millions of short-lived objects, uses it too.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_questions(given: set[str], known: frozenset[str], content_id: str, current: str, where: str) -> None:
    if given - known or (content_id != current and given != known):
        raise CxError(key="error.workshop.other_questions", name=where, content_id=content_id)


# --- one group ----------------------------------------------------------------


def name_key(name: str | None) -> str:
    """How names are compared: Unicode-normalised, trimmed, inner spaces collapsed, case-insensitive."""
    if not name:
        return ""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def spelling(names: Iterable[str]) -> str:
    """The most frequent spelling of names that compare equal (whatever their order)."""
    return spelling_of(Counter(names))


def spelling_of(names: Mapping[str, int]) -> str:
    """``spelling`` of the count of each name as written."""
    counts: Counter[str] = Counter()
    for name, n in names.items():
        counts[unicodedata.normalize("NFC", " ".join(name.split()))] += n
    return min(counts, key=lambda n: (-counts[n], n))  # on ties, the first in code point order: order-free


def check_one_org(people: list[Participant]) -> None:
    """Refuse results of different organisations, naming two files and their organisations."""
    check_orgs((p.path, p.org) for p in people)


def check_orgs(orgs: Iterable[tuple[str | Message, str | None]]) -> None:
    """``check_one_org`` of ``(where, organisation)`` pairs in the participants' order."""
    first_of: dict[str | None, str | Message] = {}  # each spelling where it first appears: name_key once per spelling
    for where, org in orgs:
        if org not in first_of:
            first_of[org] = where
    first: dict[str, tuple[str | Message, str | None]] = {}
    for org, where in first_of.items():
        first.setdefault(name_key(org), (where, org))
    named = [pair for key, pair in first.items() if key]
    if len(named) > 1:
        (a, a_org), (b, b_org) = named[0], named[1]
        raise CxError(key="error.workshop.mixed", name=a, org=a_org, other=b, other_org=b_org)


def organisation(people: list[Participant]) -> str | None:
    """The group's organisation in its most frequent spelling; ``None`` when none is named or several are."""
    return organisation_of(Counter(filter(None, map(_ORG, people))))


def organisation_of(orgs: Mapping[str, int]) -> str | None:
    """``organisation`` of the count of each organisation as written."""
    named = {org: n for org, n in orgs.items() if name_key(org) and n}
    if not named or len({name_key(org) for org in named}) > 1:
        return None
    return spelling_of(named)


def by_coverage(people: list[Participant], content: Content) -> tuple[list[Participant], list[Participant]]:
    """Those who answered enough statements to count in a synthesis, and those left out."""
    share = content.questionnaire.scale.participant_min_answered
    verdicts: dict[tuple[int, int], bool] = {}  # a few distinct coverages among thousands of participants
    for coverage in set(map(_COVERAGE, people)):
        verdicts[coverage] = scoring.enough(*coverage, share)
    enough = list(map(verdicts.__getitem__, map(_COVERAGE, people)))
    kept = list(compress(people, enough))
    left_out = list(compress(people, map(operator.not_, enough)))
    return kept, left_out


_COVERAGE = attrgetter("scores.answered", "scores.statements")


# --- figures ------------------------------------------------------------------


@dataclass
class Summary:
    """A group as its synthesis needs it: its counts, organisation, latest answer and wave, and each segment's counts.

    ``segments`` are sorted as ``segments`` sorts them, and empty unless asked for.
    """

    counts: Tally
    org: str | None
    created_at: str | None
    wave: waves.Wave
    segments: dict[str, Tally]


@dataclass
class Crowd:
    """Participants as a synthesis needs them, however they were read: in memory, or counted in columns."""

    orgs: list[tuple[str | Message, str | None]]  # (where, organisation) in order: enough to refuse mixed organisations
    kept: int  # those who answered enough statements
    left_out: list[str | Message]  # where those who answered too few are
    summary: Callable[[bool], Summary]  # of the kept ones, with each segment's counts when asked for


def crowd(people: list[Participant], content: Content) -> Crowd:
    """The ``Crowd`` of participants in memory."""
    kept, left_out = by_coverage(people, content)
    return Crowd(
        list(map(_PATH_AND_ORG, people)),
        len(kept),
        [p.path for p in left_out],
        lambda by_segment: summary(kept, content, by_segment),
    )


_ORG = attrgetter("org")
_SEGMENT = attrgetter("segment")
_PATH_AND_ORG = attrgetter("path", "org")
_MOMENT = attrgetter("wave", "wave_date", "created_at")
_CREATED_AT = attrgetter("created_at")


def summary(people: list[Participant], content: Content, by_segment: bool = False) -> Summary:
    """The ``Summary`` of participants in memory."""
    moments = set(map(_MOMENT, people))
    return Summary(
        tally(people, content),
        organisation(people),
        max(map(_CREATED_AT, people), default=None),
        waves.of_group(waves.of_result(*moment) for moment in moments),  # its order does not matter
        {name: tally(members, content) for name, members in segments(people).items()} if by_segment else {},
    )


def synthesis(
    people: list[Participant],
    content: Content,
    by_segment: bool = False,
    *,
    min_group: int = MIN_GROUP,
    left_out: int = 0,
) -> Figures:
    """The workshop figures (the JSON of ``workshop --format json``)."""
    return synthesis_of(
        summary(people, content, by_segment), content, by_segment, min_group=min_group, left_out=left_out
    )


def synthesis_of(
    group: Summary, content: Content, by_segment: bool = False, *, min_group: int = MIN_GROUP, left_out: int = 0
) -> Figures:
    """``synthesis`` from the summary of a group (participants in memory, or counted in columns)."""
    figures: Figures = {"schema_version": SCHEMA_VERSION, **group_of(group.counts, content)}
    figures["left_out"] = left_out
    figures["org"] = group.org
    figures["created_at"] = group.created_at
    figures["wave"] = group.wave
    figures["content_id"] = content.content_id
    figures["rules"] = rules(content)
    figures["min_group"] = min_group
    figures["segments"] = {}
    figures["segment_gaps"] = []
    if by_segment:
        figures["segments"] = {
            name: group_of(counts, content) if counts.participants >= min_group else suppressed(counts.participants)
            for name, counts in group.segments.items()
        }
        figures["segment_gaps"] = segment_gaps(figures["segments"])
    return figures


def rules(content: Content) -> Figures:
    """The thresholds behind the figures (for the sentence that states them, and for charts)."""
    scale = content.questionnaire.scale
    return {
        "met_threshold": scale.met_threshold,
        "polarised_below": scale.polarised_below,
        "polarised_from": scale.polarised_from,
        "polarised_share": scale.polarised_share,
        "polarised_min_people": scale.polarised_min_people,
        "polarised_distance": scale.polarised_distance,
        "area_min_answered": scale.area_min_answered,
        "participant_min_answered": scale.participant_min_answered,
    }


def suppressed(count: int) -> Figures:
    """A segment too small to show: its head count and nothing else."""
    return {"participants": count, "suppressed": True}


@dataclass
class Tally:
    """What a group's figures are made of: how many participants gave each figure.

    One home for both ways of counting: ``tally`` over participants in memory,
    and the column engine (``survey.columns``) over a large export.
    """

    participants: int
    levels: Counter[int]
    perceived: Counter[int | None]
    areas: list[Counter[float | None]]  # per focus area (content order): score → how many
    pillars: list[Counter[float | None]]  # per pillar (content order)
    answers: dict[str, Counter[int | None]]  # per statement id: answer → how many


def tally(people: list[Participant], content: Content) -> Tally:
    """The counts behind the figures of ``people``."""
    scores = list(map(_SCORES, people))
    return Tally(
        len(people),
        Counter(map(_LEVEL, scores)),
        Counter(map(_PERCEIVED, scores)),
        _score_counts(list(map(_FOCUS_AREAS, scores)), len(content.levels.focus_areas())),
        _score_counts(list(map(_PILLARS, scores)), len(content.pillars.pillars)),
        {qid: Counter(column) for qid, column in answer_columns(people, question_ids_of(content)).items()},
    )


def _score_counts(rows: list[tuple[Any, ...]], width: int) -> list[Counter[float | None]]:
    """How many have each score, per column of ``rows`` (each participant's focus areas or pillars), in C."""
    if set(map(len, rows)) - {width}:
        raise ValueError("scores of another content")  # pragma: no cover - scored with this content
    if not rows:
        return [Counter() for _ in range(width)]
    return [Counter(map(_SCORE, column)) for column in zip(*rows, strict=True)]


_SCORES = attrgetter("scores")
_LEVEL = attrgetter("level")
_PERCEIVED = attrgetter("perceived_level")
_FOCUS_AREAS = attrgetter("focus_areas")
_PILLARS = attrgetter("pillars")
_SCORE = attrgetter("score")


def question_ids_of(content: Content) -> list[str]:
    """The statements' ids, in questionnaire order."""
    return [s.id for s in content.questionnaire.statements]


def answer_columns(people: list[Participant], ids: list[str]) -> dict[str, Sequence[int | None]]:
    """Each statement's answers, one per participant (``None``: not answered), taken out in one pass."""
    if not ids or not people:
        return dict.fromkeys(ids, ())
    pick = itemgetter(*ids) if len(ids) > 1 else (lambda answers: (answers[ids[0]],))
    try:
        rows = list(map(pick, map(_ANSWERS, people)))  # every participant has every id: all in C
    except KeyError:  # one answered fewer questions (older content, same ids)
        rows = [tuple(map(p.answers.get, ids)) for p in people]
    return dict(zip(ids, zip(*rows, strict=True), strict=True))


_ANSWERS = attrgetter("answers")


def group(people: list[Participant], content: Content) -> Figures:
    """Scores, met shares, polarisation, distributions, levels, pillars and agenda of one group."""
    return group_of(tally(people, content), content)


def group_of(counts: Tally, content: Content) -> Figures:
    """``group``'s figures from the counts of a group."""
    if not counts.participants:
        raise CxError(key="error.workshop.nobody")
    questionnaire = content.questionnaire
    areas = [
        _area(
            area.id,
            unlocks,
            scores,
            counts,
            questionnaire.scale,
            [s for s in questionnaire.statements if s.focus_area == area.id],
        )
        for (unlocks, area), scores in zip(content.levels.focus_areas(), counts.areas, strict=True)
    ]
    level = scoring.staged_level((a["unlocks_level"], a["met"]) for a in areas)
    pillars = [
        {"id": p.id, "score": tally_mean(_known(scores))}
        for p, scores in zip(content.pillars.pillars, counts.pillars, strict=True)
    ]
    return {
        "participants": counts.participants,
        "suppressed": False,
        "level": level,
        "levels": _count(counts.levels),
        "perceived_levels": {**_count(counts.perceived), "none": counts.perceived[None]},
        "focus_areas": areas,
        "pillars": pillars,
        "agenda": agenda(areas, level),
    }


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the known values, the same whatever their order (``math.fsum``)."""
    known = [v for v in values if v is not None]
    return math.fsum(known) / len(known) if known else None


def _known(scores: Counter[float | None]) -> dict[float, int]:
    return {v: n for v, n in scores.items() if v is not None and n}


def _area(
    area_id: str, unlocks: int, scores: Counter[float | None], counts: Tally, scale: Scale, measured: list[Statement]
) -> Figures:
    known = _known(scores)
    value = tally_mean(known)
    scored = sum(known.values())
    met_count = sum(n for v, n in known.items() if scoring.is_met(v, scale.met_threshold))
    statements = [
        statement_of(s.id, counts.answers[s.id], counts.participants, scale, reverse=s.reverse) for s in measured
    ]
    totals = {key: sum(_oriented(s)[key] for s in statements) for key in ANSWER_KEYS}
    return {
        "id": area_id,
        "unlocks_level": unlocks,
        "score": value,
        "met": scoring.is_met(value, scale.met_threshold),
        "min": min(known) if known else None,
        "max": max(known) if known else None,
        "spread": max(known) - min(known) if known else None,
        "scored": scored,
        "met_count": met_count,
        "met_share": _share(met_count, scored),
        **tally_sides(known, value, scale),
        **_distribution(totals),
        "statements": statements,
    }


def statement(statement_id: str, people: list[Participant], scale: Scale, reverse: bool = False) -> Figures:
    """One statement's answers in the group: distribution, don't-know rate, mean, polarisation."""
    answers = Counter([p.answers.get(statement_id) for p in people])
    return statement_of(statement_id, answers, len(people), scale, reverse)


def statement_of(
    statement_id: str, answers: Counter[int | None], participants: int, scale: Scale, reverse: bool = False
) -> Figures:
    """``statement``'s figures from the count of each answer.

    The distribution counts the answers as given; for a reverse-worded statement
    the mean and the sides are of the answers turned round, as scoring counts them.
    """
    dont_know = answers.get(None, 0)
    tally = Counter({v: n for v, n in answers.items() if v is not None and n})
    counts = {key: tally.get(int(key), 0) for key in ANSWER_KEYS[:-1]}
    counts["dont_know"] = dont_know
    if reverse:
        tally = Counter({6 - v: n for v, n in tally.items()})
    value = tally_mean(tally)
    return {
        "id": statement_id,
        "reverse": reverse,
        "answered": participants - dont_know,
        "mean": value,
        **tally_sides(tally, value, scale),
        **_distribution(counts),
    }


def _oriented(statement: Figures) -> dict[str, int]:
    """A statement's distribution as scoring counts it (a reverse-worded one's turned round)."""
    counts: dict[str, int] = statement["distribution"]
    if not statement["reverse"]:
        return counts
    return {key: counts[str(6 - int(key))] if key.isdigit() else n for key, n in counts.items()}


def _distribution(counts: dict[str, int]) -> Figures:
    total = sum(counts.values())
    return {
        "distribution": counts,
        "distribution_shares": {key: _share(n, total) for key, n in counts.items()},
        "dont_know_rate": _share(counts["dont_know"], total),
    }


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def sides(values: Iterable[float], centre: float | None, scale: Scale) -> Figures:
    """How many score low and high (the polarisation rule in ``model.Scale``), and whether that is polarised."""
    return tally_sides(Counter(values), centre, scale)


def tally_sides(tally: Mapping[Any, int], centre: float | None, scale: Scale) -> Figures:
    """``sides`` of values (ints or floats) given as ``{value: how many}``."""
    below = above = 0
    if centre is not None:
        low_edge = centre - scale.polarised_distance + _EPSILON
        high_edge = centre + scale.polarised_distance - _EPSILON
        below = sum(n for v, n in tally.items() if v < scale.polarised_below and v <= low_edge)
        above = sum(n for v, n in tally.items() if v >= scale.polarised_from and v >= high_edge)
    total = sum(tally.values())
    polarised = min(below, above) >= scale.polarised_min_people and all(
        scoring.enough(side, total, scale.polarised_share) for side in (below, above)
    )
    return {
        "below": below,
        "above": above,
        "below_share": _share(below, total),
        "above_share": _share(above, total),
        "polarised": polarised,
    }


def tally_mean(tally: Mapping[Any, int]) -> float | None:
    """The mean of values given as ``{value: how many}``: ``mean`` of the values written out, whatever their order.

    The sum is exact (fractions) and rounded once, as ``math.fsum`` of the values
    written out rounds it.
    """
    total = sum(tally.values())
    if not total:
        return None
    exact = sum((Fraction(v) * n for v, n in tally.items()), Fraction(0))
    return float(exact) / total


def _count(levels: Mapping[int | None, int] | Mapping[int, int]) -> dict[str, int]:
    counts = {str(n): 0 for n in range(1, 6)}
    for level, n in sorted((k, v) for k, v in levels.items() if k is not None and v):
        counts[str(level)] = counts.get(str(level), 0) + n
    return counts


def _split(item: Figures) -> tuple[float, float]:
    """How strongly split: the smaller side's share, then the low side's share (to break ties)."""
    return min(item["below_share"] or 0, item["above_share"] or 0), item["below_share"] or 0


def agenda(areas: list[Figures], level: int) -> list[Figures]:
    """Discuss first: what holds the group level, then polarised areas (most split first), then other unmet areas.

    Each item names its most polarised statement (the most split; on ties the
    one with most low answers, then the first) and that statement's distribution.
    """
    holding = [a for a in areas if a["unlocks_level"] == level + 1 and not a["met"]]
    listed = {a["id"] for a in holding}
    polarised = sorted((a for a in areas if a["polarised"] and a["id"] not in listed), key=lambda a: _neg(_split(a)))
    listed |= {a["id"] for a in polarised}
    rest = sorted(
        (a for a in areas if not a["met"] and a["id"] not in listed),
        key=lambda a: (a["score"] is not None, a["score"] or 0),
    )
    items = []
    for reason, chosen in (("holding", holding), ("polarised", polarised), ("unmet", rest)):
        for area in chosen:
            answered = [s for s in area["statements"] if s["answered"]]
            most = min(answered, key=lambda s: _neg(_split(s)), default=None)
            items.append(
                {
                    "id": area["id"],
                    "reason": reason,
                    "score": area["score"],
                    "met_share": area["met_share"],
                    "polarised": area["polarised"],
                    "below_share": area["below_share"],
                    "above_share": area["above_share"],
                    "statement": None if most is None else most["id"],
                    "statement_distribution": None if most is None else most["distribution"],
                }
            )
    return items


def _neg(pair: tuple[float, float]) -> tuple[float, float]:
    return -pair[0], -pair[1]


def other_content(people: list[Participant], content: Content) -> tuple[int, list[str]]:
    """How many participants were made with another content than ``content``, and those content ids (sorted)."""
    others = [p.content_id for p in people if p.content_id != content.content_id]
    return len(others), sorted(set(others))


def segments(people: list[Participant]) -> dict[str, list[Participant]]:
    """Participants by segment, names compared by ``name_key`` and shown in their most frequent spelling.

    Named segments are sorted, those without one last, under ``NO_SEGMENT``.
    """
    keys = {name: name_key(name) for name in set(map(_SEGMENT, people))}  # each spelling compared once
    groups: dict[str, list[Participant]] = {}
    for person in people:
        groups.setdefault(keys[person.segment], []).append(person)
    named = {
        (spelling(p.segment or "" for p in members) if key else NO_SEGMENT): members for key, members in groups.items()
    }
    return {name: named[name] for name in sorted(named, key=segment_order)}


def segment_order(name: str) -> tuple[bool, str, str]:
    """Named segments sorted, those without one last."""
    return name == NO_SEGMENT, name_key(name), name


def segment_gaps(by_segment: dict[str, Figures]) -> list[Figures]:
    """Per focus area, the gap between the highest and the lowest segment shown (widest first)."""
    shown = {name: g for name, g in by_segment.items() if not g["suppressed"]}
    if len(shown) < 2:
        return []
    gaps: list[Figures] = []
    for index, area in enumerate(next(iter(shown.values()))["focus_areas"]):
        scored = [
            (g["focus_areas"][index]["score"], n)
            for n, g in shown.items()
            if g["focus_areas"][index]["score"] is not None
        ]
        if len(scored) < 2:
            continue
        high, low = max(scored), min(scored)
        gaps.append({"id": area["id"], "gap": high[0] - low[0], "high": high[1], "low": low[1]})
    return sorted(gaps, key=lambda g: -g["gap"])
