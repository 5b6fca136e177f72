"""The room's web server: who gets in, what is accepted, and the headers of every answer.

Every URL starts with a secret token (``secrets.token_urlsafe(24)``, 192 bits);
anything else is a bare 404, the same for every miss. Request bodies are capped
while they are read; each request has ``REQUEST_SECONDS`` to arrive and be
answered, so a client that trickles its headers or body (slowloris) is cut off
instead of holding a connection; each client address has a request budget per
minute and a few connections at once (``CONNECTIONS_PER_ADDRESS``); every
response carries a strict Content-Security-Policy (scripts and styles only from
this server, no inline code), ``Referrer-Policy: no-referrer`` and
``Cache-Control: no-store``. The consultant's projector page has its own token.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cxculture.errors import CxError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

    from cxculture.room.collect import Collector
    from cxculture.room.live import Watch
    from cxculture.room.page import Pages

MAX_BODY_BYTES = 64 * 1024
MAX_HEAD_BYTES = 16 * 1024  # request line and headers: a browser sends well under 2 kB
REQUEST_SECONDS = 15.0  # a phone sends ~3 kB: seconds even on a poor Wi-Fi; a trickling client is cut off
CONNECTIONS_PER_ADDRESS = 24  # a browser opens at most 6 at once to a server; more from one address are refused
SAVE_THREADS = 16  # saving mostly waits on the disk (fsync): many flushes at once share the file system's journal
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def new_token() -> str:
    """A secret for URLs: 24 random bytes (192 bits), URL-safe."""
    return secrets.token_urlsafe(24)


@dataclass
class RateLimit:
    """At most ``requests`` per client address in any ``window`` seconds."""

    requests: int = 120
    window: float = 60.0
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:  # many addresses: forget the idle ones
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window}
            stamps = self._seen.setdefault(client, deque())
            while stamps and stamps[0] <= now - self.window:
                stamps.popleft()
            if len(stamps) >= self.requests:
                return False
            stamps.append(now)
            return True


@dataclass
class Room:
    """What the server needs: the tokens, the pages, the collector, the limits."""

    token: str
    projector_token: str
    code: str
    pages: Pages
    collector: Collector
    limit: RateLimit = field(default_factory=RateLimit)
    revealed: bool = False
    watch: Watch = field(init=False)  # the figures shown on the terminal and the projector
    _savers: ThreadPoolExecutor | None = None

    def __post_init__(self) -> None:
        from cxculture.room.live import Watch

        self.watch = Watch(self.collector)

    def savers(self) -> ThreadPoolExecutor:
        """The threads that write submissions to disk (they outlive a quiet spell, unlike anyio's)."""
        if self._savers is None:
            self._savers = ThreadPoolExecutor(SAVE_THREADS, thread_name_prefix="cxculture-save")
        return self._savers

    def start_savers(self) -> None:
        """Start every saving thread now: starting them during a burst of answers would delay the replies."""
        everyone = threading.Barrier(SAVE_THREADS)
        with contextlib.suppress(threading.BrokenBarrierError):
            list(self.savers().map(lambda _: everyone.wait(timeout=5), range(SAVE_THREADS)))

    def stop_savers(self) -> None:
        """Let the saving threads end (once the files being written are done)."""
        if self._savers is not None:
            self._savers.shutdown(wait=True)


class HeadTooLarge(Exception):
    """The request line and headers went past ``MAX_HEAD_BYTES`` (the connection gets a 400 and is closed)."""


def http_protocol(
    seconds: float = REQUEST_SECONDS, per_address: int = CONNECTIONS_PER_ADDRESS
) -> type[asyncio.Protocol]:
    """Uvicorn's HTTP protocol (httptools, a C parser) with a deadline on every request and a cap on its head.

    Uvicorn bounds the idle time between requests (keep-alive), not the time a
    request takes to arrive: a client could send a byte now and then for ever.
    Here each request must be received and answered within ``seconds`` of the
    connection opening or of the previous answer, else the connection is cut.
    Nor does it bound the size of the headers with httptools: here they stop
    at ``MAX_HEAD_BYTES``. And one address holds at most ``per_address``
    connections at once: a connection beyond is closed as soon as it opens,
    so one device cannot take the server's 1000 for itself.
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    open_from: dict[str, int] = {}  # connections open per client address (only the event loop's thread counts)

    class WithDeadline(HttpToolsProtocol):
        deadline: asyncio.TimerHandle | None = None
        head_bytes = 0
        address: str | None = None  # counted in open_from

        def on_message_begin(self) -> None:
            self.head_bytes = 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value))
            super().on_header(name, value)

        def _count(self, size: int) -> None:
            self.head_bytes += size
            if self.head_bytes > MAX_HEAD_BYTES:
                raise HeadTooLarge  # httptools stops parsing; uvicorn answers 400 and closes

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override] # as uvicorn's
            super().connection_made(transport)
            address = self.client[0] if self.client else "?"
            if open_from.get(address, 0) >= per_address:
                transport.abort()  # closed before a byte is read; connection_lost follows
                return
            open_from[address] = open_from.get(address, 0) + 1
            self.address = address
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()  # the next request on this connection has its own time

        def connection_lost(self, exc: Exception | None) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            if self.address is not None:
                left = open_from.pop(self.address) - 1
                if left:
                    open_from[self.address] = left
                self.address = None
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            if not self.transport.is_closing():
                self.deadline = asyncio.get_running_loop().call_later(seconds, self.transport.abort)

    return WithDeadline


def build(room: Room) -> ASGIApp:
    """The ASGI application of one room: each request goes straight to ``dispatch``.

    No router and no middleware (Starlette's would take about half of the
    time a request spends in Python): the token is the only route, and an
    error propagates to uvicorn, which answers 500 and says why on stderr.
    """
    import starlette.responses  # noqa: F401 - loaded now rather than by the first request
    from starlette.requests import Request

    async def dispatch(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        if not room.limit.allow(client):
            return _plain("Too many requests", 429)
        token, slash, rest = request.scope["path"].lstrip("/").partition("/")
        handler = None
        if secrets.compare_digest(token.encode(), room.token.encode()):
            handler = _PARTICIPANT.get((request.method, rest)) if slash else _to_folder
        elif secrets.compare_digest(token.encode(), room.projector_token.encode()):
            handler = _PROJECTOR.get((request.method, rest)) if slash else _to_folder
        if handler is None:
            return not_found()
        return await handler(room, request)

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # uvicorn runs without lifespan and websockets: never the case
            return
        response = await dispatch(Request(scope, receive, send))
        await response(scope, receive, send)

    return application


def not_found() -> Response:
    return _plain("Not found", 404)


def _plain(text: str, status: int) -> Response:
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(text, status_code=status, headers=HEADERS)


def _json(data: object, status: int = 200) -> Response:
    from starlette.responses import Response

    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(body, status_code=status, media_type="application/json", headers=HEADERS)


def _asset(body: bytes, media_type: str) -> Response:
    from starlette.responses import Response

    return Response(body, media_type=media_type, headers=HEADERS)


class TooLarge(Exception):
    """The body went past ``MAX_BODY_BYTES`` while it was read."""


class Gone(Exception):
    """The client went away, or was cut off by the deadline, before its whole body arrived."""


async def read_body(request: Request) -> bytes:
    """The request body, refused as soon as it passes the cap (and before, by its declared length)."""
    from starlette.requests import ClientDisconnect

    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise TooLarge
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise TooLarge
            chunks.append(chunk)
    except ClientDisconnect:
        raise Gone from None
    return b"".join(chunks)


async def _read_json(request: Request) -> Any:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise CxError("submission: send application/json")
    body = await read_body(request)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise CxError("submission: not valid JSON") from None


async def _to_folder(room: Room, request: Request) -> Response:  # noqa: ARG001 - same signature for every handler
    from starlette.responses import RedirectResponse

    return RedirectResponse(request.url.path + "/", status_code=307, headers=HEADERS)


# --- participant --------------------------------------------------------------


async def _page(room: Room, request: Request) -> Response:  # noqa: ARG001 - same signature for every handler
    from starlette.responses import HTMLResponse

    return HTMLResponse(room.pages.participant, headers=HEADERS)


async def _submit(room: Room, request: Request) -> Response:
    from cxculture.room.collect import NotSaved, RoomFull

    try:
        with room.collector.handling():  # the live view waits while a burst is under way
            checked = room.collector.check(await _read_json(request))  # CPU only: no threads vying for the GIL
            saving = asyncio.get_running_loop().run_in_executor(room.savers(), room.collector.store, checked)
            response, replaced = await saving
    except TooLarge:
        return _json({"error": f"submission: larger than {MAX_BODY_BYTES} bytes"}, 413)
    except Gone:  # nobody is left to read an answer; nothing was saved
        return _plain("Request Timeout", 408)
    except RoomFull as error:
        return _json({"error": str(error)}, 503)
    except NotSaved:  # the reason names the consultant's folders: it stays on the laptop
        return _json({"error": "not saved"}, 503)
    except CxError as error:
        return _json({"error": str(error)}, 400)
    reply: dict[str, object] = {"saved": True, "replaced": replaced}
    if room.collector.settings.show_results:
        reply["level"] = response.result.level
        reply["level_name"] = room.pages.level_name(response.result.level, response.result.lang)
    return _json(reply)


async def _script(room: Room, request: Request) -> Response:  # noqa: ARG001
    return _asset(room.pages.script, "text/javascript; charset=utf-8")


async def _style(room: Room, request: Request) -> Response:  # noqa: ARG001
    return _asset(room.pages.style, "text/css; charset=utf-8")


# --- projector ------------------------------------------------------------------


async def _projector(room: Room, request: Request) -> Response:  # noqa: ARG001
    from starlette.responses import HTMLResponse

    return HTMLResponse(room.pages.projector, headers=HEADERS)


async def _state(room: Room, request: Request) -> Response:  # noqa: ARG001
    figures = room.watch.current()  # not computed again at each poll, nor in the middle of a burst
    state: dict[str, object] = {"count": figures.count, "revealed": room.revealed, "group": None}
    if room.revealed and figures.group is not None:
        state["group"] = figures.group
    return _json(state)


async def _reveal(room: Room, request: Request) -> Response:
    try:
        data = await _read_json(request)
    except (TooLarge, Gone, CxError):
        return _json({"error": 'send {"revealed": true|false}'}, 400)
    if not isinstance(data, dict) or not isinstance(data.get("revealed"), bool):
        return _json({"error": 'send {"revealed": true|false}'}, 400)
    room.revealed = data["revealed"]
    return _json({"revealed": room.revealed})


_PARTICIPANT = {
    ("GET", ""): _page,
    ("HEAD", ""): _page,
    ("POST", "answers"): _submit,
    ("GET", "room.js"): _script,
    ("GET", "room.css"): _style,
}
_PROJECTOR = {
    ("GET", ""): _projector,
    ("GET", "state"): _state,
    ("POST", "reveal"): _reveal,
    ("GET", "room.js"): _script,
    ("GET", "room.css"): _style,
}
