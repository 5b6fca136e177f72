"""Comparing snapshots over time: individual results or workshop syntheses.

Owns reading a snapshot (a result file, re-scored with the current content, a
folder of result files or a wave file — one wave, combined as ``workshop``
does — or the JSON
of ``workshop --format json``), putting snapshots in time order (by their
wave's date then label, see ``waves``; else ``created_at`` when every snapshot
has one; else the order given) and the
figures of the comparison: level then → now, each focus area's change, what
became met or stopped being met, and the trend over three or more snapshots.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cxculture import results, wavefile, waves, workshop
from cxculture.errors import CxError
from cxculture.reading import parse_json, read_text
from cxculture.workshop import Figures

if TYPE_CHECKING:
    from cxculture.loading import Content

MAX_SNAPSHOT_BYTES = 50_000_000


def distinct(paths: list[Path]) -> list[Path]:
    """The paths given, each file once (the same file named twice, or by another path, is read once)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for path in paths:
        try:
            info = Path(path).stat()
        except OSError:
            kept.append(path)  # reading it says what is wrong
            continue
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            kept.append(path)
    return kept


def read(path: Path, content: Content) -> Figures:
    """A snapshot: ``{path, kind, created_at, wave, level, participants, areas: {id: (score, met)}, pillars, ...}``."""
    where = str(path)
    if Path(path).is_dir():
        return _from_folder(Path(path), content)
    if wavefile.is_wave_file(path):
        return _from_folder(Path(path), content, kind="wave")
    text = read_text(path, what="snapshot", limit=MAX_SNAPSHOT_BYTES)
    try:
        data = parse_json(text, where)
    except CxError:
        results.parse(text, where)  # words it as a result file would be
        raise  # pragma: no cover - parse always raises here
    if isinstance(data, dict) and "participants" in data and "answers" not in data:
        return _from_workshop(data, where)
    person = workshop.read(path, content)
    scores = person.scores
    return {
        "path": where,
        "kind": "result",
        "created_at": person.created_at,
        "wave": waves.of_result(person.wave, person.wave_date, person.created_at),
        "level": scores.level,
        "participants": 1,
        "areas": {a.id: (a.score, a.met) for a in scores.focus_areas},
        "pillars": {p.id: p.score for p in scores.pillars},
        "segments": {},
        "org": person.org,
        "participant": person.participant,
        "content_id": person.content_id,
    }


def _from_folder(folder: Path, content: Content, kind: str = "folder") -> Figures:
    """A folder of result files or a wave file (one wave) as the workshop synthesis of its results.

    A large wave file is read by the wave files' engine (``wave_columns``), the same figures.
    """
    files, _ = workshop.collect([folder])
    summary = _by_engine(files[0], content) if kind == "wave" else None
    if summary is not None:
        figures = workshop.synthesis_of(summary, content)
    else:
        figures = workshop.synthesis(workshop.read_all(files, content), content)
    return {**_from_workshop(figures, str(folder)), "kind": kind, "content_id": content.content_id}


def _by_engine(path: str, content: Content) -> workshop.Summary | None:
    """The summary of everyone in a large wave file, read by ``wave_columns``; ``None`` when it does not read it."""
    from cxculture import progress, wave_columns

    read = wave_columns.read_if_suited([path], content, progress.silent, everyone=True)
    return None if read is None else read[0].summary(False)


def _from_workshop(data: Figures, where: str) -> Figures:
    level, found = _level_and_areas(data, where)
    created = data.get("created_at")
    org = data.get("org")
    return {
        "path": where,
        "kind": "workshop",
        "created_at": created if isinstance(created, str) else None,
        "wave": _wave(data.get("wave")),
        "level": level,
        "participants": _count(data["participants"]),
        "areas": found,
        "pillars": _pillars(data.get("pillars"), where),
        "segments": _segments(data.get("segments"), where),
        "org": org if isinstance(org, str) else None,
        "participant": None,
        "content_id": data.get("content_id"),
    }


def _level_and_areas(data: Figures, where: str) -> tuple[int, dict[str, tuple[float | None, bool]]]:
    areas = data.get("focus_areas")
    level = data.get("level")
    if type(level) is not int or not 1 <= level <= 5 or not isinstance(areas, list):
        raise CxError(key="error.compare.workshop_file", name=where)
    found: dict[str, tuple[float | None, bool]] = {}
    for area in areas:
        if not (
            isinstance(area, dict)
            and isinstance(area.get("id"), str)
            and isinstance(area.get("met"), bool)
            and (area.get("score") is None or _number(area.get("score")))
        ):
            raise CxError(key="error.compare.workshop_file", name=where)
        found[area["id"]] = (area["score"], area["met"])
    return level, found


def _pillars(pillars: object, where: str) -> dict[str, float | None]:
    if pillars is None:
        return {}
    if not isinstance(pillars, list):
        raise CxError(key="error.compare.pillars", name=where)
    found: dict[str, float | None] = {}
    for pillar in pillars:
        if not (
            isinstance(pillar, dict)
            and isinstance(pillar.get("id"), str)
            and (pillar.get("score") is None or _number(pillar.get("score")))
        ):
            raise CxError(key="error.compare.pillars", name=where)
        found[pillar["id"]] = pillar["score"]
    return found


def _segments(segments: object, where: str) -> Figures:
    """A synthesis' segments: ``{name: {participants, level, areas}}`` (``level`` and ``areas`` None when hidden)."""
    if segments is None:
        return {}
    if not isinstance(segments, dict):
        raise CxError(key="error.compare.segments", name=where)
    found: Figures = {}
    for name, figures in segments.items():
        if not isinstance(figures, dict) or _count(figures.get("participants")) is None:
            raise CxError(key="error.compare.segments", name=where)
        hidden = figures.get("suppressed") is True
        level, areas = (None, None) if hidden else _level_and_areas(figures, f"{where}: segments.{name}")
        found[name] = {"participants": figures["participants"], "level": level, "areas": areas}
    return found


def _count(value: object) -> int | None:
    return value if type(value) is int and value >= 0 else None


def check_one_subject(snapshots: list[Figures]) -> None:
    """Refuse snapshots of different organisations, or individual results of different participants."""
    for field in ("org", "participant"):
        if field == "participant" and any(s["kind"] != "result" for s in snapshots):
            continue  # a person against a group is a choice, not a mix-up
        named: dict[str, Figures] = {}
        for snapshot in snapshots:
            named.setdefault(workshop.name_key(snapshot[field]), snapshot)
        named.pop("", None)
        if len(named) > 1:
            a, b = list(named.values())[:2]
            raise CxError(
                key=f"error.compare.mixed_{field}", name=a["path"], who=a[field], other=b["path"], other_who=b[field]
            )


def other_content(snapshots: list[Figures], content: Content) -> list[Figures]:
    """The snapshots made with another content than ``content`` (or with none recorded)."""
    return [s for s in snapshots if s["content_id"] != content.content_id]


def _number(value: object) -> bool:
    """A score of 1 to 5 (not true, NaN or infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value <= 5


def _wave(value: object) -> waves.Wave | None:
    """A workshop file's wave, if it is well formed."""
    if not isinstance(value, dict):
        return None
    label, date = value.get("label"), value.get("date")
    if not all(v is None or (isinstance(v, str) and len(v) <= 200) for v in (label, date)):
        return None
    return {"label": label, "date": waves.day(date)}


def in_time_order(snapshots: list[Figures]) -> list[Figures]:
    """By wave date then label (else ``created_at``) when every snapshot has one; else as given."""
    keys = [waves.order_key(s.get("wave"), s["created_at"]) for s in snapshots]
    if any(key is None for key in keys):
        return list(snapshots)
    order = sorted(range(len(snapshots)), key=lambda i: keys[i] or (0.0, ""))
    return [snapshots[i] for i in order]


def comparison(snapshots: list[Figures], content: Content, min_group: int = workshop.MIN_GROUP) -> Figures:
    """The figures of ``compare --format json``, first snapshot to last."""
    if len(snapshots) < 2:
        raise CxError(key="error.compare.too_few")
    first, last = snapshots[0], snapshots[-1]
    area_ids = [area.id for _, area in content.levels.focus_areas()]
    areas = [_area(i, [s["areas"].get(i, (None, False)) for s in snapshots]) for i in area_ids]
    pillars = [_change(p.id, [s["pillars"].get(p.id) for s in snapshots]) for p in content.pillars.pillars]
    return {
        "files": [
            {k: s.get(k) for k in ("path", "kind", "created_at", "wave", "level", "participants")} for s in snapshots
        ],
        "level": _level(first["level"], last["level"]),
        "focus_areas": areas,
        "pillars": pillars,
        "became_met": [a["id"] for a in areas if a["became"] == "met"],
        "stopped_met": [a["id"] for a in areas if a["became"] == "unmet"],
        "trend": len(snapshots) >= 3,
        "min_group": min_group,
        "segments": segments(snapshots, area_ids, min_group),
    }


def _level(before: int, after: int) -> Figures:
    return {"before": before, "after": after, "change": after - before}


def shown(value: float) -> float:
    """A score as the reports display it (one decimal, as ``lang.decimal`` writes it)."""
    return float(f"{value:.1f}")


def _change(item_id: str, scores: list[float | None]) -> Figures:
    """Before, after and the change between the figures as displayed, so that they add up."""
    before, after = scores[0], scores[-1]
    change = None if before is None or after is None else shown(shown(after) - shown(before))
    return {
        "id": item_id,
        "before": before,
        "after": after,
        "change": change,
        "direction": direction(change),
        "scores": scores,
    }


def _area(area_id: str, snapshots: list[tuple[float | None, bool]]) -> Figures:
    row = _change(area_id, [score for score, _ in snapshots])
    met = [m for _, m in snapshots]
    became = None
    if met[-1] and not met[0]:
        became = "met"
    elif met[0] and not met[-1]:
        became = "unmet"
    scores = row.pop("scores")
    return {**row, "met_before": met[0], "met_after": met[-1], "became": became, "scores": scores}


def segments(snapshots: list[Figures], area_ids: list[str], min_group: int) -> list[Figures]:
    """Each segment's head count per snapshot; its level and area changes only when big enough first and last.

    Segment names are matched as ``workshop`` matches them (case, spaces,
    Unicode form) and shown in their most frequent spelling.
    """
    keys: dict[str, list[str]] = {}
    for snapshot in snapshots:
        for name in snapshot["segments"]:
            keys.setdefault(workshop.name_key(name), []).append(name)
    rows = []
    for key, names in keys.items():
        found = [_segment_in(snapshot, key) for snapshot in snapshots]
        counts = [None if f is None else f["participants"] for f in found]
        row: Figures = {"name": workshop.spelling(names) if key else workshop.NO_SEGMENT, "participants": counts}
        first, last = found[0], found[-1]
        row["suppressed"] = True
        if first is not None and last is not None and _shown(first, min_group) and _shown(last, min_group):
            row["suppressed"] = False
            row["level"] = _level(first["level"], last["level"])
            row["focus_areas"] = [_area(i, [f["areas"].get(i, (None, False)) for f in (first, last)]) for i in area_ids]
        rows.append(row)
    return sorted(rows, key=lambda r: (r["name"] == workshop.NO_SEGMENT, workshop.name_key(r["name"]), r["name"]))


def _shown(segment: Figures, min_group: int) -> bool:
    return segment["level"] is not None and segment["participants"] >= min_group


def _segment_in(snapshot: Figures, key: str) -> Figures | None:
    matches = [f for name, f in snapshot["segments"].items() if workshop.name_key(name) == key]
    if not matches:
        return None
    if len(matches) == 1:
        return dict(matches[0])
    return {"participants": sum(m["participants"] for m in matches), "level": None, "areas": None}  # not mergeable


def direction(change: float | None, tolerance: float = 1e-9) -> str:
    """``up``, ``down``, ``same`` or ``none`` (a score missing at either end)."""
    if change is None:
        return "none"
    if change > tolerance:
        return "up"
    if change < -tolerance:
        return "down"
    return "same"
