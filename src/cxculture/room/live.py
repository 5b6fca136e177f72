"""The group forming as answers arrive: figures for the terminal and the projector, and the terminal view.

A group smaller than the anonymity minimum shows only how many answered: no
level, no scores (the same rule as the workshop's small groups).

The figures take milliseconds of the one core Python runs on (the workshop's
exact arithmetic, for the whole room and each segment): ``Watch`` computes them
again only after answers changed, and not while submissions are under way
(at most ``LAG_SECONDS`` behind), so as not to delay the replies to a room
sending its answers at once.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cxculture import workshop

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cxculture.model import Speaker
    from cxculture.room.collect import Collector, Response

BAR_WIDTH = 20
LAG_SECONDS = 2.0  # the figures shown are never further behind than this, even in a long burst


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


class Watch:
    """The room's picture for the terminal and the projector, computed again only when it is due.

    Due when answers changed since the last one and either no submission is
    under way or the last one is ``lag`` seconds old. Safe from any thread: a
    caller that finds another one computing gets the last picture rather than
    waiting.
    """

    def __init__(self, collector: Collector, lag: float = LAG_SECONDS) -> None:
        self.collector = collector
        self.lag = lag
        self._shown: tuple[int, float, Picture] | None = None  # revision, when computed, picture
        self._computing = threading.Lock()

    def current(self) -> Picture:
        """The picture to show now: the last one, or a new one when it is due."""
        shown = self._shown
        if shown is None:
            self._computing.acquire()
        elif not self._due(shown) or not self._computing.acquire(blocking=False):
            return shown[2]
        try:
            revision, _ = self.collector.state()  # read first: a change while computing makes the next one due
            self._shown = revision, time.monotonic(), picture(self.collector)
            return self._shown[2]
        finally:
            self._computing.release()

    def _due(self, shown: tuple[int, float, Picture]) -> bool:
        revision, under_way = self.collector.state()
        return revision != shown[0] and (not under_way or time.monotonic() - shown[1] >= self.lag)


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
