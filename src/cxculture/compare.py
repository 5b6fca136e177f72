"""Comparing snapshots over time: individual results or workshop syntheses.

Owns reading a snapshot (a result file, re-scored with the current content, or
the JSON of ``workshop --format json``), putting snapshots in time order
(``created_at`` when every snapshot has one, else the order given) and the
figures of the comparison: level then → now, each focus area's change, what
became met or stopped being met, and the trend over three or more snapshots.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cxculture import results, workshop
from cxculture.errors import CxError
from cxculture.fileio import read_text
from cxculture.workshop import Figures

if TYPE_CHECKING:
    from cxculture.loading import Content

MAX_SNAPSHOT_BYTES = 50_000_000


def read(path: Path, content: Content) -> Figures:
    """A snapshot: ``{path, kind, created_at, level, participants, areas: {id: (score, met)}}``."""
    where = str(path)
    text = read_text(path, what="result or workshop file", limit=MAX_SNAPSHOT_BYTES)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        results.parse(text, where)
        raise  # pragma: no cover - parse always raises here
    if isinstance(data, dict) and "participants" in data and "answers" not in data:
        return _from_workshop(data, where)
    person = workshop.read(path, content)
    scores = person.scores
    return {
        "path": where,
        "kind": "result",
        "created_at": person.created_at,
        "level": scores.level,
        "participants": 1,
        "areas": {a.id: (a.score, a.met) for a in scores.focus_areas},
        "content_id": person.content_id,
    }


def _from_workshop(data: Figures, where: str) -> Figures:
    areas = data.get("focus_areas")
    level = data.get("level")
    problem = "a workshop file needs 'level' (1..5) and 'focus_areas' [{id, score, met}]"
    if type(level) is not int or not 1 <= level <= 5 or not isinstance(areas, list):
        raise CxError(f"{where}: {problem}")
    found: dict[str, tuple[float | None, bool]] = {}
    for area in areas:
        if not (
            isinstance(area, dict)
            and isinstance(area.get("id"), str)
            and isinstance(area.get("met"), bool)
            and (area.get("score") is None or _number(area.get("score")))
        ):
            raise CxError(f"{where}: {problem}")
        found[area["id"]] = (area["score"], area["met"])
    created = data.get("created_at")
    return {
        "path": where,
        "kind": "workshop",
        "created_at": created if isinstance(created, str) else None,
        "level": level,
        "participants": data["participants"] if type(data["participants"]) is int else None,
        "areas": found,
        "content_id": data.get("content_id"),
    }


def other_content(snapshots: list[Figures], content: Content) -> list[Figures]:
    """The snapshots made with another content than ``content`` (or with none recorded)."""
    return [s for s in snapshots if s["content_id"] != content.content_id]


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def in_time_order(snapshots: list[Figures]) -> list[Figures]:
    """By ``created_at`` when every snapshot has a readable one; else as given."""
    try:
        moments = [datetime.fromisoformat(s["created_at"]) for s in snapshots]
        keys = [m.timestamp() for m in moments]  # naive times are read as local time
    except (TypeError, ValueError):
        return list(snapshots)
    order = sorted(range(len(snapshots)), key=lambda i: keys[i])
    return [snapshots[i] for i in order]


def comparison(snapshots: list[Figures], content: Content) -> Figures:
    """The figures of ``compare --format json``, first snapshot to last."""
    if len(snapshots) < 2:
        raise CxError("give at least two files to compare (before and after)")
    first, last = snapshots[0], snapshots[-1]
    areas = [_area(area.id, snapshots) for _, area in content.levels.focus_areas()]
    return {
        "files": [{k: s[k] for k in ("path", "kind", "created_at", "level", "participants")} for s in snapshots],
        "level": {"before": first["level"], "after": last["level"], "change": last["level"] - first["level"]},
        "focus_areas": areas,
        "became_met": [a["id"] for a in areas if a["became"] == "met"],
        "stopped_met": [a["id"] for a in areas if a["became"] == "unmet"],
        "trend": len(snapshots) >= 3,
    }


def _area(area_id: str, snapshots: list[Figures]) -> Figures:
    scores = [s["areas"].get(area_id, (None, False))[0] for s in snapshots]
    met = [s["areas"].get(area_id, (None, False))[1] for s in snapshots]
    before, after = scores[0], scores[-1]
    change = None if before is None or after is None else after - before
    became = None
    if met[-1] and not met[0]:
        became = "met"
    elif met[0] and not met[-1]:
        became = "unmet"
    return {
        "id": area_id,
        "before": before,
        "after": after,
        "change": change,
        "direction": direction(change),
        "met_before": met[0],
        "met_after": met[-1],
        "became": became,
        "scores": scores,
    }


def direction(change: float | None, tolerance: float = 1e-9) -> str:
    """``up``, ``down``, ``same`` or ``none`` (a score missing at either end)."""
    if change is None:
        return "none"
    if change > tolerance:
        return "up"
    if change < -tolerance:
        return "down"
    return "same"
