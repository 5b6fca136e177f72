"""A choice list for the terminal that fits any width (prompt_toolkit, imported when asking).

Every text is wrapped at word boundaries to the terminal's current width (it is
measured at each redraw, so resizing works); a long option continues under its
own first word. Nothing is selected at first: a number key or an arrow points
at an option, Enter records it, and Enter alone records nothing. Ctrl-C raises
``KeyboardInterrupt``.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Any

POINTER = "❯ "
_SPACES = re.compile(r"[ \t\r\n]+")  # not the no-break space: French keeps « word » and word : together
MIN_WIDTH = 20


@dataclass(frozen=True)
class Option:
    """One answer the participant can pick: its key (a digit, or "" for none), its words, its value."""

    key: str
    label: str
    value: Any


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` columns, never cutting a word (unless one is longer)."""
    lines = textwrap.wrap(
        _SPACES.sub(" ", text).strip(),
        width=max(width, MIN_WIDTH),
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )
    return lines or [indent]


def shorten(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` columns, cut after a whole word with "…"."""
    flat = _SPACES.sub(" ", text).strip()
    if len(flat) <= width:
        return flat
    cut = flat[: max(width - 1, 1)]
    if " " in cut and not flat[len(cut)].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def option_lines(option: Option, width: int, pointed: bool) -> list[str]:
    """An option as lines: pointer and key on the first, its words wrapped under themselves."""
    head = (POINTER if pointed else " " * len(POINTER)) + (f"{option.key}) " if option.key else "")
    body = wrap(option.label, width - len(head))
    return [head + body[0]] + [" " * len(head) + line for line in body[1:]]


def screen_lines(
    message: str, hint: str, options: list[Option], pointer: int | None, width: int, warning: str = ""
) -> tuple[list[str], int]:
    """The lines of the prompt at ``width`` and the line the pointer is on (to keep it in view)."""
    usable = max(width - 1, MIN_WIDTH)  # the last column stays free: no terminal wraps on its own
    lines = [line for paragraph in message.split("\n") for line in wrap(paragraph, usable)]
    lines += wrap(hint, usable)
    pointed_line = 0
    for index, option in enumerate(options):
        if index == pointer:
            pointed_line = len(lines)
        lines += option_lines(option, usable, index == pointer)
    if warning:
        lines += wrap(warning, usable)
    return lines, pointed_line


def choose(message: str, options: list[Option], hint: str, needs_choice: str, pointer: int | None = None) -> Any:
    """Show the options under ``message``; return the value of the one picked with Enter.

    ``pointer`` is the option pointed at first (an answer given before), else none.
    ``needs_choice`` is shown when Enter is pressed with nothing pointed at.
    """
    from prompt_toolkit.application import Application, get_app
    from prompt_toolkit.data_structures import Point
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.layout import FormattedTextControl, HSplit, Layout, Window

    state: dict[str, Any] = {"pointer": pointer, "warning": ""}
    bindings = KeyBindings()

    def current() -> tuple[list[str], int]:
        width = get_app().output.get_size().columns
        return screen_lines(message, hint, options, state["pointer"], width, state["warning"])

    def text() -> FormattedText:
        lines, _ = current()
        return FormattedText([("", "\n".join(lines))])

    def cursor() -> Point:
        return Point(x=0, y=current()[1])

    def move(step: int) -> None:
        at = state["pointer"]
        state["pointer"] = (0 if step > 0 else len(options) - 1) if at is None else (at + step) % len(options)
        state["warning"] = ""

    @bindings.add("up")
    def _up(_event: Any) -> None:
        move(-1)

    @bindings.add("down")
    def _down(_event: Any) -> None:
        move(1)

    for index, option in enumerate(options):
        if not option.key:
            continue

        @bindings.add(option.key)
        def _pick(_event: Any, index: int = index) -> None:
            state["pointer"], state["warning"] = index, ""

    @bindings.add("enter")
    def _enter(event: Any) -> None:
        if state["pointer"] is None:
            state["warning"] = needs_choice
        else:
            event.app.exit(result=options[state["pointer"]].value)

    @bindings.add("c-c")
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=KeyboardInterrupt())

    control = FormattedTextControl(text, get_cursor_position=cursor, show_cursor=False)
    app: Application[Any] = Application(
        layout=Layout(HSplit([Window(control, wrap_lines=False, always_hide_cursor=True)])),
        key_bindings=bindings,
        erase_when_done=True,
    )
    return app.run()
