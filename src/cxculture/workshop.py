"""Workshop synthesis: many result files combined into the figures of one group.

Owns finding the result files (folders are expanded, partial files skipped),
reading them quickly (``json.loads`` and cheap structural checks; the full
validation of ``results.from_data`` only runs to word the error of a file that
fails them), re-scoring each participant's answers with the current content,
and the group figures: scores, spread, divergence, levels, pillars, the
"discuss first" agenda and, on request, the same figures per segment.

Every function but ``collect`` and ``read`` is pure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxculture import results, scoring
from cxculture.answers import question_ids
from cxculture.errors import CxError
from cxculture.fileio import read_text
from cxculture.model import RESULT_SCHEMA_VERSION

if TYPE_CHECKING:
    from cxculture.loading import Content
    from cxculture.model import Scale

Figures = dict[str, Any]  # plain JSON data: what ``workshop --format json`` prints

NO_SEGMENT = ""  # the key of those without a segment: a real segment name is never empty
META = ("org", "participant", "segment")


@dataclass(frozen=True, slots=True)
class Participant:
    """One result file, re-scored with the current content."""

    path: str
    answers: dict[str, int | None]
    segment: str | None
    created_at: str
    scores: scoring.Scores
    content_id: str


# --- finding and reading files ----------------------------------------------


def collect(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The result files named or found in the folders, and the partial files skipped."""
    if not paths:
        raise CxError("no result file given; name result files or folders of result files")
    files: list[Path] = []
    skipped: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.name.endswith(".json") and p.is_file())
        elif path.exists():
            found = [path]
        else:
            raise CxError(f"{path}: no such file or folder")
        for file in found:
            (skipped if file.name.endswith(results.PARTIAL_SUFFIX) else files).append(file)
    if not files:
        raise CxError(f"no result file found in {', '.join(str(p) for p in paths)}")
    return files, skipped


def read(path: Path, content: Content, score: Callable[[scoring.Answers], scoring.Scores] | None = None) -> Participant:
    """Read one result file and re-score it; a bad file raises an error naming it.

    ``score`` is ``scoring.scorer(...)`` of the content, made once for many files.
    """
    where = str(path)
    text = read_text(path, what="result file", limit=results.MAX_RESULT_BYTES)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        results.parse(text, where)  # raises the clear message
        raise  # pragma: no cover - parse always raises here
    if not _looks_valid(data):
        result = results.from_data(data, where)  # raises the clear message, or accepts it
        data = {
            "answers": result.answers,
            "segment": result.segment,
            "created_at": result.created_at,
            "content_id": result.content_id,
        }
    answers = data["answers"]
    _check_questions(answers, data["content_id"], content, where)
    score = score or scoring.scorer(content.levels, content.questionnaire, content.pillars)
    return Participant(where, answers, data.get("segment"), data["created_at"], score(answers), data["content_id"])


def read_all(files: list[Path], content: Content) -> list[Participant]:
    score = scoring.scorer(content.levels, content.questionnaire, content.pillars)
    return [read(path, content, score) for path in files]


def _looks_valid(data: object) -> bool:
    """Cheap checks of a result's structure (what the synthesis relies on)."""
    if type(data) is not dict:
        return False
    version, answers = data.get("schema_version"), data.get("answers")
    if type(version) is not int or version != RESULT_SCHEMA_VERSION or type(answers) is not dict:
        return False
    if not all(v is None or (type(v) is int and 1 <= v <= 5) for v in answers.values()):
        return False
    if not all(isinstance(data.get(k), str) for k in ("created_at", "content_id", "tool_version")):
        return False
    if any(not (data.get(k) is None or isinstance(data.get(k), str)) for k in META):
        return False
    perceived = data.get("perceived_level", 0)
    return (
        data.get("lang") in ("fr", "en")
        and type(data.get("level")) is int
        and (perceived is None or type(perceived) is int)
        and type(data.get("focus_areas")) is list
        and type(data.get("pillars")) is list
        and all(type(a) is dict for a in data["focus_areas"])
    )


def _check_questions(answers: dict[str, int | None], content_id: str, content: Content, where: str) -> None:
    known = _ids(content)
    given = set(answers)
    if given - known or (content_id != content.content_id and given != known):
        raise CxError(
            f"{where}: made with content {content_id}, whose questions differ from the current content; "
            "use the --content the result was made with"
        )


_IDS: dict[int, frozenset[str]] = {}


def _ids(content: Content) -> frozenset[str]:
    key = id(content.questionnaire)
    if key not in _IDS:
        _IDS[key] = frozenset(question_ids(content.questionnaire))
    return _IDS[key]


# --- figures ------------------------------------------------------------------


def synthesis(people: list[Participant], content: Content, by_segment: bool = False) -> Figures:
    """The workshop figures (the JSON of ``workshop --format json``)."""
    figures = group(people, content)
    figures["created_at"] = max((p.created_at for p in people), default=None)
    figures["content_id"] = content.content_id
    figures["segments"] = {}
    figures["segment_gaps"] = []
    if by_segment:
        figures["segments"] = {name: group(members, content) for name, members in segments(people).items()}
        figures["segment_gaps"] = segment_gaps(figures["segments"])
    return figures


def group(people: list[Participant], content: Content) -> Figures:
    """Scores, spread, divergence, levels, pillars and agenda of one group."""
    scale = content.questionnaire.scale
    areas = [_area(i, a, people, scale) for i, a in enumerate(_first(people).focus_areas)]
    level = scoring.staged_level((a["unlocks_level"], a["met"]) for a in areas)
    pillars = [
        {"id": p.id, "score": scoring.mean(person.scores.pillars[i].score for person in people)}
        for i, p in enumerate(_first(people).pillars)
    ]
    return {
        "participants": len(people),
        "level": level,
        "levels": _count(p.scores.level for p in people),
        "perceived_levels": {
            **_count(p.scores.perceived_level for p in people),
            "none": sum(p.scores.perceived_level is None for p in people),
        },
        "focus_areas": [{k: v for k, v in a.items() if k != "unlocks_level"} for a in areas],
        "pillars": pillars,
        "agenda": agenda(areas, level, people, content),
    }


def _first(people: list[Participant]) -> scoring.Scores:
    if not people:
        raise CxError("no participant to combine")
    return people[0].scores


def _area(index: int, first: scoring.AreaScore, people: list[Participant], scale: Scale) -> Figures:
    values = [v for v in (p.scores.focus_areas[index].score for p in people) if v is not None]
    value = scoring.mean(values)
    spread = max(values) - min(values) if values else None
    return {
        "id": first.id,
        "unlocks_level": first.unlocks_level,
        "score": value,
        "min": min(values) if values else None,
        "max": max(values) if values else None,
        "spread": spread,
        "met": scoring.is_met(value, scale.met_threshold),
        "divergent": spread is not None and spread >= scale.divergence_spread,
    }


def _count(levels: Iterable[int | None]) -> dict[str, int]:
    counts = {str(n): 0 for n in range(1, 6)}
    for level in levels:
        if level is not None:
            counts[str(level)] = counts.get(str(level), 0) + 1
    return counts


def agenda(areas: list[Figures], level: int, people: list[Participant], content: Content) -> list[Figures]:
    """Discuss first: divergent areas (widest spread first), then unmet areas of the next move."""
    divergent = sorted((a for a in areas if a["divergent"]), key=lambda a: -a["spread"])
    unmet = [a for a in areas if a["unlocks_level"] == level + 1 and not a["met"] and not a["divergent"]]
    items = []
    for reason, chosen in (("divergent", divergent), ("unmet", unmet)):
        for area in chosen:
            widest = widest_statement(area["id"], people, content)
            items.append(
                {
                    "id": area["id"],
                    "reason": reason,
                    "score": area["score"],
                    "spread": area["spread"],
                    "statement": None if widest is None else widest[0],
                    "statement_spread": None if widest is None else float(widest[2] - widest[1]),
                    "statement_range": None if widest is None else [widest[1], widest[2]],
                }
            )
    return items


def widest_statement(area_id: str, people: list[Participant], content: Content) -> tuple[str, int, int] | None:
    """The focus area's statement whose answers are furthest apart (first on ties), its lowest and highest."""
    best: tuple[str, int, int] | None = None
    for statement in content.questionnaire.statements:
        if statement.focus_area != area_id:
            continue
        values = [v for v in (p.answers.get(statement.id) for p in people) if v is not None]
        if values and (best is None or max(values) - min(values) > best[2] - best[1]):
            best = (statement.id, min(values), max(values))
    return best


def other_content(people: list[Participant], content: Content) -> tuple[int, list[str]]:
    """How many participants were made with another content than ``content``, and those content ids (sorted)."""
    others = [p.content_id for p in people if p.content_id != content.content_id]
    return len(others), sorted(set(others))


def segments(people: list[Participant]) -> dict[str, list[Participant]]:
    """Participants by segment (named ones sorted, those without one last, under ``NO_SEGMENT``)."""
    groups: dict[str, list[Participant]] = {}
    for person in people:
        groups.setdefault((person.segment or NO_SEGMENT).strip(), []).append(person)
    return {name: groups[name] for name in sorted(groups, key=lambda n: (n == NO_SEGMENT, n.casefold(), n))}


def segment_gaps(by_segment: dict[str, Figures]) -> list[Figures]:
    """Per focus area, the gap between the highest and the lowest segment (widest first)."""
    gaps: list[Figures] = []
    names = list(by_segment)
    if len(names) < 2:
        return gaps
    for index, area in enumerate(by_segment[names[0]]["focus_areas"]):
        scored = [
            (g["focus_areas"][index]["score"], n)
            for n, g in by_segment.items()
            if g["focus_areas"][index]["score"] is not None
        ]
        if len(scored) < 2:
            continue
        high, low = max(scored), min(scored)
        gaps.append({"id": area["id"], "gap": high[0] - low[0], "high": high[1], "low": low[1]})
    return sorted(gaps, key=lambda g: -g["gap"])
