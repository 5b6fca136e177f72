"""Progress of long work (``import``, ``workshop`` of many results) on stderr, for the person waiting.

A Rich progress bar — the share done, the rows or files read, their rate and
the time left — drawn on stderr only when stderr is a terminal and the work is
large (``SHOWN_FROM`` rows or files); otherwise nothing at all is written, so
pipes, logs and tests see no progress. With ``NO_COLOR`` the bar is drawn
without colour. The bar is removed when the work ends: the command's own
summary follows.

Code below the CLI does not print: it is handed a ``Track`` (``silent`` by
default) and calls ``with track("progress.import", total) as advance:`` then
``advance(rows)``. ``on_stderr`` makes the ``Track`` the CLI hands down, with
the labels of ``content/ui.yaml`` in the reader's language.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from cxculture.model import Speaker

Advance = Callable[[int], object]  # ``advance(n)``: n more rows or files done
Total: TypeAlias = "int | Callable[[], int] | None"  # how many; a function when counting costs (called if shown)
Track = Callable[[str, Total], AbstractContextManager[Advance]]  # (ui.yaml label key, total) → advance

SHOWN_FROM = 2_000  # rows or files: less is too quick to watch


def _nothing(_: int) -> None:
    return None


def silent(label: str, total: Total) -> AbstractContextManager[Advance]:  # noqa: ARG001 - a Track
    """The ``Track`` that shows nothing (the default below the CLI)."""
    return nullcontext(_nothing)


def on_stderr(say: Speaker) -> Track:
    """A ``Track`` drawing a bar on stderr when it is a terminal, labelled in ``say``'s language."""

    def track(label: str, total: Total) -> AbstractContextManager[Advance]:
        if not _terminal():
            return nullcontext(_nothing)
        count = total() if callable(total) else total
        if count is not None and count < SHOWN_FROM:
            return nullcontext(_nothing)
        return _bar(say(label), count, say("progress.rate"), say("progress.left"))

    return track


def _terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (OSError, ValueError):  # a closed stderr
        return False


@contextmanager
def _bar(label: str, total: int | None, rate: str, left: str) -> Iterator[Advance]:
    """A transient Rich bar: label, bar, ``done/total``, ``n rows/s``, ``left 0:00:12``."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from cxculture.text import clean

    columns = (
        TextColumn(clean(label)),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TextColumn(clean(left)),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True, highlight=False), transient=True) as bar:
        task = bar.add_task(label, total=total, rate="")
        unit = clean(rate)

        def advance(count: int) -> None:
            bar.advance(task, count)
            bar.update(task, rate=_rate(bar.tasks[task].speed, unit))

        yield advance


def _rate(speed: Any, unit: str) -> str:
    """``12 345 rows/s`` (a narrow space between thousands, read alike in French and English)."""
    return "" if speed is None else f"{speed:,.0f} {unit}".replace(",", "\u202f")
