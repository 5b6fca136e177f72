"""The room's web server: who gets in, what is accepted, and the headers of every answer.

Every URL starts with a secret token (``secrets.token_urlsafe(24)``, 192 bits);
anything else is a bare 404, the same for every miss. Request bodies are capped
while they are read; each client address has a request budget per minute; every
response carries a strict Content-Security-Policy (scripts and styles only from
this server, no inline code), ``Referrer-Policy: no-referrer`` and
``Cache-Control: no-store``. The consultant's projector page has its own token.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cxculture.errors import CxError

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from cxculture.room.collect import Collector
    from cxculture.room.page import Pages

MAX_BODY_BYTES = 64 * 1024
SAVE_THREADS = 4  # saving waits on the disk (fsync); a few in parallel, not dozens fighting for the GIL
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
    _savers: Any = None

    def savers(self) -> Any:
        """The few threads that validate and save submissions (many would starve the event loop of the GIL)."""
        if self._savers is None:
            import anyio

            self._savers = anyio.CapacityLimiter(SAVE_THREADS)
        return self._savers


def build(room: Room) -> Starlette:
    """The Starlette application of one room."""
    from starlette.applications import Starlette
    from starlette.routing import Route

    async def dispatch(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        if not room.limit.allow(client):
            return _plain("Too many requests", 429)
        token, slash, rest = request.url.path.lstrip("/").partition("/")
        handler = None
        if secrets.compare_digest(token.encode(), room.token.encode()):
            handler = _PARTICIPANT.get((request.method, rest)) if slash else _to_folder
        elif secrets.compare_digest(token.encode(), room.projector_token.encode()):
            handler = _PROJECTOR.get((request.method, rest)) if slash else _to_folder
        if handler is None:
            return not_found()
        return await handler(room, request)

    methods = ["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"]
    routes = [Route("/{path:path}", dispatch, methods=methods)]
    return Starlette(routes=routes, exception_handlers={404: _not_found_handler, 405: _not_found_handler})


def not_found() -> Response:
    return _plain("Not found", 404)


async def _not_found_handler(request: Request, exc: Exception) -> Response:  # noqa: ARG001 - Starlette's signature
    return not_found()


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


async def read_body(request: Request) -> bytes:
    """The request body, refused as soon as it passes the cap (and before, by its declared length)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise TooLarge
        chunks.append(chunk)
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
    import anyio.to_thread

    from cxculture.room.collect import NotSaved, RoomFull

    try:
        data = await _read_json(request)
        response, replaced = await anyio.to_thread.run_sync(room.collector.accept, data, limiter=room.savers())
    except TooLarge:
        return _json({"error": f"submission: larger than {MAX_BODY_BYTES} bytes"}, 413)
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
    from cxculture.room.live import picture

    figures = picture(room.collector)
    state: dict[str, object] = {"count": figures.count, "revealed": room.revealed, "group": None}
    if room.revealed and figures.group is not None:
        state["group"] = figures.group
    return _json(state)


async def _reveal(room: Room, request: Request) -> Response:
    try:
        data = await _read_json(request)
    except (TooLarge, CxError):
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
