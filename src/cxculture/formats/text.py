"""The terminal format: Rich renderables of ``views.terminal``, one per document kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cxculture.formats import Subject


def renderable(subject: Subject) -> object:
    from cxculture.views import terminal

    return getattr(terminal, subject.kind)(*terminal.for_screen(subject.doc, subject.t))


def render(subject: Subject) -> str:
    from cxculture.views import screen

    return screen.render(renderable(subject))


def show(subject: Subject) -> None:
    """Print on the terminal; a read-only screen (``screen_key``) may come from the cache."""
    from cxculture.views import screen

    screen.show(lambda: renderable(subject), depends_on=subject.screen_key)
