"""SIGTERM (a killed tab) and SIGHUP (a closed terminal window) end a command as Ctrl-C does.

Commands that hold a user's work — the questionnaire, an import, the room — turn
them into ``KeyboardInterrupt`` so that one path, Ctrl-C's, saves or cleans up;
while it saves, ``ignored`` keeps a second signal from cutting the save short.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
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
def _handlers(handler: Any) -> Iterator[None]:
    import threading

    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = {}
    for name in SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
