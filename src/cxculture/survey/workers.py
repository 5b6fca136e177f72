"""Writing a large survey's rows with worker processes, one chunk at a time.

Measured (benchmarks/workshop_import.py): the rows of a 100,000-row survey are
scored and written by one worker per core, fed with chunks as they are read.
At most ``AHEAD`` chunks per worker wait in the pool, so memory does not grow
with the file. The workers ignore Ctrl-C (the importing process stops them) and
die with their parent: each watches its parent and exits when it is gone
(SIGTERM, SIGHUP or kill -9 of the import), so none is left blocked on a pipe.
While the pool runs, a signal is only noted (``interrupts.deferred``) and acted
on between two chunks: raised inside the pool's own locks, it could leave one
held and the pool's shutdown waiting forever.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future

PARALLEL_FROM = 20_000  # rows: below this, starting worker processes costs more than it saves
CHUNK = 2_000  # rows written at a time
WATCH_EVERY = 0.5  # seconds between two looks at the parent
AHEAD = 2  # chunks given to each worker in advance
LOOK_EVERY = 0.05  # seconds between two looks for a signal while a chunk is written


def written(write: Callable[[Any], Any], chunks: Iterator[Any], parallel: bool) -> Iterator[Any]:
    """``write`` applied to each chunk, in order; by worker processes when ``parallel``."""
    workers = (os.cpu_count() or 1) if parallel else 1
    if workers < 2:
        yield from map(write, chunks)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from cxculture import interrupts
    from cxculture.errors import CxError

    with interrupts.deferred() as check:
        pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(os.getpid(),))
        try:
            waiting: deque[Future[Any]] = deque()
            for chunk in chunks:  # the workers start on the first chunks while the rest is read
                check()
                waiting.append(pool.submit(write, chunk))
                if len(waiting) >= AHEAD * workers:
                    yield _done(waiting.popleft(), check)
            while waiting:
                yield _done(waiting.popleft(), check)
        except BrokenProcessPool:
            raise CxError(key="error.import.worker") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _done(future: Future[Any], check: Callable[[], None]) -> Any:
    """The future's result, looking for a signal while it is awaited."""
    from concurrent.futures import TimeoutError as NotYet

    while True:
        check()
        try:
            return future.result(timeout=LOOK_EVERY)
        except NotYet:
            continue


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
