"""SIGTERM (a killed tab) and SIGHUP (a closed terminal window) end a command as Ctrl-C does.

Commands that hold a user's work — the questionnaire, an import, the room — turn
them into ``KeyboardInterrupt`` so that one path, Ctrl-C's, saves or cleans up;
while it saves, ``ignored`` keeps a second signal from cutting the save short.
Code that waits on locks it does not own (a pool of worker processes) uses
``deferred``: a signal is noted, and raised as ``KeyboardInterrupt`` only where
that code asks, never inside a lock it would then never release.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SIGNALS = ("SIGTERM", "SIGHUP")  # SIGHUP does not exist on Windows


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``KeyboardInterrupt``."""
    with _handlers(_interrupt):
        yield


@contextmanager
def ignored() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP are ignored."""
    with _handlers(signal.SIG_IGN):
        yield


@contextmanager
def deferred() -> Iterator[Callable[[], None]]:
    """Within the block, Ctrl-C, SIGTERM and SIGHUP are noted; the check given raises ``KeyboardInterrupt`` then."""
    came: list[int] = []

    def note(signum: int, _frame: object) -> None:
        came.append(signum)

    def check() -> None:
        if came:
            raise KeyboardInterrupt

    with _handlers(note, ("SIGINT", *SIGNALS)):
        yield check
    check()  # a signal noted after the last check still stops the command


@contextmanager
def _handlers(handler: Any, names: tuple[str, ...] = SIGNALS) -> Iterator[None]:
    import threading

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {}
    for name in names:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
