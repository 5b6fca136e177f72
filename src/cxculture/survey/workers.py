"""Writing a large survey's rows with worker processes, one chunk at a time.

Measured (benchmarks/workshop_import.py): the rows of a 100,000-row survey are
scored and written by one worker per core, fed with chunks as they are read.
The workers ignore Ctrl-C (the importing process stops them) and die with
their parent: each watches its parent and exits when it is gone (SIGTERM,
SIGHUP or kill -9 of the import), so none is left blocked on a pipe.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_FROM = 20_000  # rows: below this, starting worker processes costs more than it saves
CHUNK = 2_000  # rows written at a time
WATCH_EVERY = 0.5  # seconds between two looks at the parent


def written(write: Callable[[Any], Any], chunks: Iterator[Any], parallel: bool) -> Iterator[Any]:
    """``write`` applied to each chunk, in order; by worker processes when ``parallel``."""
    workers = (os.cpu_count() or 1) if parallel else 1
    if workers < 2:
        yield from map(write, chunks)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from cxculture.errors import CxError

    pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(os.getpid(),))
    try:
        yield from pool.map(write, chunks)  # the workers start on the first chunks while the rest is read
    except BrokenProcessPool:
        raise CxError("a worker process of the import stopped (out of memory?); nothing was added") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int) -> None:
    """Ctrl-C is for the importing process; no garbage collection; exit when the parent is gone."""
    import gc
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # see writing.py: no cycles are made, collecting only costs time
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="watch-parent").start()


def _watch(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(WATCH_EVERY)
    os._exit(1)
