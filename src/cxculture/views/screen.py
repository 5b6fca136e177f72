"""Putting Rich renderables on stdout, and a cache of rendered read-only screens.

A screen such as ``guide --level 3`` depends only on the content files, the
command's options and the terminal (width, colour support). It is cached by all
of these, so showing it again needs neither the content model nor Rich.
On a pipe or file, lines lose the padding spaces Rich adds at their end.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cxculture import __version__
from cxculture.views import NO_BREAK_STAND_INS, swap

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.segment import Segment

# Everything Rich reads from the environment to decide width and colours.
TERMINAL_ENV = (
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLUMNS",
    "LINES",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
)


def show(build: Callable[[], object], depends_on: list[bytes | str] | None = None) -> None:
    """Print ``build()``; with ``depends_on``, reuse a cached rendering when nothing changed."""
    key = _key(depends_on) if depends_on is not None else None
    text = _cached(key)
    if text is None:
        text = render(build())
        _store(key, text)
    sys.stdout.write(text)
    sys.stdout.flush()


def render(renderable: object) -> str:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    with console.capture() as captured:
        console.print(_Clean(renderable))
    text = swap(captured.get(), _NO_BREAK_SPACES_BACK)
    if not console.is_terminal:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


class _Clean:
    """A renderable whose text has no control character (``text.clean``); Rich's own styles stay.

    Styles and cursor moves are not in the segments' text (Rich writes them from
    ``style`` and ``control``), so whatever a text from data holds is cleaned here.
    """

    def __init__(self, renderable: object) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        from cxculture.text import clean

        for segment in console.render(self.renderable, options):  # type: ignore[arg-type]
            if segment.control:
                yield segment
            else:
                yield Segment(clean(segment.text, newlines=True), segment.style)


_NO_BREAK_SPACES_BACK = {stand_in: space for space, stand_in in NO_BREAK_STAND_INS.items()}


def _key(depends_on: list[bytes | str]) -> str:
    tty = sys.stdout.isatty()
    encoding = getattr(sys.stdout, "encoding", None)
    terminal = [__version__, sys.platform, str(tty), str(shutil.get_terminal_size() if tty else ""), str(encoding)]
    terminal += [f"{name}={os.environ.get(name)}" for name in TERMINAL_ENV]
    from cxculture import cache

    parts = [part if isinstance(part, bytes) else part.encode() for part in depends_on]
    return cache.key("\0".join(terminal).encode(), *parts)


def _path(key: str | None) -> Path | None:
    from cxculture import cache

    folder = cache.folder("screens") if key else None
    return None if folder is None else folder / f"{key}.txt"


def _cached(key: str | None) -> str | None:
    from cxculture import cache

    path = _path(key)
    data = cache.read(path) if path is not None else None  # only a file the user alone could write
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _store(key: str | None, text: str) -> None:
    from cxculture import cache

    path = _path(key)
    if path is not None:
        cache.write(path, text.encode("utf-8"))
