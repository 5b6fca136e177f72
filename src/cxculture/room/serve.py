"""``cxculture room``: open the room, show who has answered, close it cleanly on Ctrl-C.

The web server (uvicorn) runs in a background thread on a socket opened here;
the main thread draws the live view. Ctrl-C, SIGTERM or SIGHUP stop the server,
which lets the submissions being handled finish (each one is saved whole or not
at all), then the command prints what to run next.
"""

from __future__ import annotations

import hashlib
import shlex
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from cxculture import interrupts
from cxculture.fileio import ensure_folder
from cxculture.lang import Lang
from cxculture.loading import Content
from cxculture.room.collect import Collector, Settings

REFRESH_SECONDS = 0.5


@dataclass(frozen=True)
class Opened:
    """A running room: its server, its URLs and what it collected."""

    url: str
    projector_url: str
    code: str
    collector: Collector
    server: Any  # uvicorn.Server
    thread: threading.Thread
    room: Any  # app.Room

    def close(self) -> None:
        """Stop taking requests; wait for those being handled to finish."""
        self.server.should_exit = True
        self.thread.join()
        self.room.stop_savers()


def short_code(token: str) -> str:
    """Six letters and digits that name the room (shown to check one is in the right one)."""
    digest = hashlib.sha256(token.encode()).digest()
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    letters = "".join(alphabet[b % len(alphabet)] for b in digest[:6])
    return f"{letters[:3]}-{letters[3:]}"


def open_room(
    content: Content,
    settings: Settings,
    lang: Lang,
    host: str,
    port: int,
    request_seconds: float | None = None,
) -> Opened:
    """Start the server on ``host:port`` in a background thread; return once it listens.

    ``request_seconds`` replaces the default deadline of a request (tests).
    """
    import uvicorn

    from cxculture.room import app, network

    ensure_folder(settings.out)
    sock = network.listen(host, port)
    room = make_room(content, settings, lang)
    room.start_savers()
    config = uvicorn.Config(
        app.build(room),
        http=app.http_protocol(request_seconds or app.REQUEST_SECONDS),
        ws="none",
        lifespan="off",
        access_log=False,  # the token is in every path: no request line is ever logged
        log_level="error",
        server_header=False,
        date_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=10,
        limit_concurrency=1000,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="cxculture-room", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.02)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    base = f"http://{shown}:{bound_port}"
    urls = f"{base}/{room.token}/", f"{base}/{room.projector_token}/"
    return Opened(*urls, room.code, room.collector, server, thread, room)


def make_room(content: Content, settings: Settings, lang: Lang) -> Any:
    """A room's state (``app.Room``): new tokens, its pages and its collector."""
    from cxculture.room import app, page

    token, projector_token = app.new_token(), app.new_token()
    code = short_code(token)
    pages = page.build(content, settings, code, lang)
    return app.Room(token, projector_token, code, pages, Collector(content, settings))


def run(content: Content, settings: Settings, lang: Lang, host: str, port: int) -> int:
    """Open the room, draw the live view until Ctrl-C, close; return how many answers were saved."""
    from rich.console import Console
    from rich.live import Live

    from cxculture.room.live import view

    t = content.speaker(lang)
    console = Console(highlight=False)
    opened = open_room(content, settings, lang, host, port)
    with interrupts.as_interrupt():
        try:
            _introduce(opened, console, t)
            drawn = None
            with Live(console=console, auto_refresh=False, transient=False) as live:
                while opened.thread.is_alive():
                    shown = opened.room.watch.current()  # a new picture only when answers changed
                    if shown is not drawn:
                        drawn = shown
                        live.update(view(shown, content, t, settings.org, settings.min_group), refresh=True)
                    time.sleep(REFRESH_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            opened.close()
    saved = len(opened.collector.snapshot())
    console.print(t("room.closed_summary", count=saved, out=settings.out), markup=False)
    console.print(t("room.next"), markup=False)
    by_segment = " --by-segment" if settings.segments else ""
    console.print(f"  cxculture workshop {shlex.quote(str(settings.out))}{by_segment}", markup=False, soft_wrap=True)
    return saved


def _introduce(opened: Opened, console: Any, t: Any) -> None:
    import segno

    console.print(t("room.open"), markup=False)
    console.print(opened.url, markup=False, soft_wrap=True, style="bold")
    sys.stdout.flush()
    segno.make(opened.url, error="m").terminal(out=sys.stdout, compact=True, border=2)
    console.print(t("room.code", code=opened.code), markup=False)
    console.print(t("room.projector"), markup=False)
    console.print(opened.projector_url, markup=False, soft_wrap=True)
    console.print()
