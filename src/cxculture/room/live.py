"""The group forming as answers arrive: figures for the terminal and the projector, and the terminal view.

A group smaller than the anonymity minimum shows only how many answered: no
level, no scores (the same rule as the workshop's small groups).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cxculture import workshop

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cxculture.model import Speaker
    from cxculture.room.collect import Collector, Response

BAR_WIDTH = 20


@dataclass(frozen=True)
class Picture:
    """What can be shown of the room right now."""

    count: int
    problems: list[str]  # saving failures, newest last
    segments: list[tuple[str | None, int, int | None]]  # name, count, level (None when too few)
    group: dict[str, Any] | None  # {"level", "areas": [{"id", "score", "met"}]}; None when too few


def picture(collector: Collector) -> Picture:
    """The figures of the responses so far, hiding any group under the room's ``min_group``."""
    min_group = collector.settings.min_group
    responses = collector.snapshot()
    content = collector.content
    by_segment: dict[str | None, list[Response]] = {}
    for response in responses:
        by_segment.setdefault(response.result.segment, []).append(response)
    order = [*collector.settings.segments, None]
    segments = []
    for name in order:
        members = by_segment.get(name, [])
        if name is None and not members:
            continue
        level = _figures(members, content)["level"] if len(members) >= min_group else None
        segments.append((name, len(members), level))
    group = None
    if len(responses) >= min_group:
        figures = _figures(responses, content)
        areas = [{"id": a["id"], "score": a["score"], "met": a["met"]} for a in figures["focus_areas"]]
        group = {"level": figures["level"], "areas": areas}
    return Picture(len(responses), collector.recent_problems(), segments, group)


def _figures(responses: list[Response], content: Any) -> dict[str, Any]:
    people = [
        workshop.Participant(
            str(r.path), dict(r.result.answers), r.result.segment, r.result.created_at, r.scores, r.result.content_id
        )
        for r in responses
    ]
    return workshop.group(people, content)


def view(shown: Picture, content: Any, t: Speaker, org: str, min_group: int) -> RenderableType:
    """The consultant's terminal view: counts per segment, the group level, a bar per focus area."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from cxculture.lang import decimal

    parts: list[RenderableType] = [Text(t("room.live_title", org=org, count=shown.count), style="bold")]
    if len(shown.segments) > 1 or (shown.segments and shown.segments[0][0] is not None):
        table = Table(box=None, padding=(0, 2, 0, 0))
        for key in ("room.live_segment", "room.live_count", "room.live_level"):
            table.add_column(t(key))
        for name, count, level in shown.segments:
            level_text = str(level) if level is not None else t("room.live_hidden", min=min_group)
            table.add_row(Text(name or t("room.live_no_segment")), str(count), level_text)
        parts.append(table)
    if shown.group is None:
        parts.append(Text(t("room.live_waiting", min=min_group)))
    else:
        level = shown.group["level"]
        parts.append(Text(t("room.group_level", level=level, name=content.levels.level(level).name(t.lang))))
        names = {area.id: area.name(t.lang) for _, area in content.levels.focus_areas()}
        bars = Table(box=None, padding=(0, 1, 0, 0), show_header=False)
        for area in shown.group["areas"]:
            score = area["score"]
            filled = 0 if score is None else round(score / 5 * BAR_WIDTH)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            mark = t("result.yes") if area["met"] else ""
            bars.add_row(Text(names.get(area["id"], area["id"])), bar, decimal(score, t.language), mark)
        parts.append(bars)
    for problem in shown.problems:
        parts.append(Text(f"⚠ {problem}", style="bold"))
    parts.append(Text(t("room.live_stop"), style="dim"))
    return Group(*parts)
