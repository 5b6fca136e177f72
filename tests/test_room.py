"""The room's web server through Starlette's test client: token, flow, validation, limits, escaping."""

from __future__ import annotations

import json
import re
import select
import socket
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxculture.answers import question_ids
from cxculture.loading import Content
from cxculture.room import app as web
from cxculture.room.collect import Settings
from cxculture.room.serve import make_room

pytest.importorskip("starlette")
from starlette.testclient import TestClient

CONTENT = Content()
IDS = question_ids(CONTENT.questionnaire)
QUOTE_ID = CONTENT.questionnaire.quote_question.id
DEVICE = "a" * 32


def room_for(tmp_path, **settings):
    options = {"org": "Acme", "out": tmp_path / "out", "segments": ("Direction", "Terrain")} | settings
    room = make_room(CONTENT, Settings(**options), "en")
    return room, TestClient(web.build(room), base_url="http://127.0.0.1")


def submission(value=4, device=DEVICE, **changes):
    data = {"device": device, "lang": "en", "segment": "Terrain", "answers": dict.fromkeys(IDS, value)}
    return data | changes


def post(client, room, data, **headers):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    return client.post(f"/{room.token}/answers", content=body, headers={"content-type": "application/json", **headers})


def saved(tmp_path):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((tmp_path / "out").glob("*.json"))]


def test_a_submission_becomes_a_result_like_assess_answers(tmp_path, cx):
    room, client = room_for(tmp_path)
    answers = {qid: (n % 5) + 1 for n, qid in enumerate(IDS)} | {IDS[3]: None}
    reply = post(client, room, submission(answers=answers))
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"saved": True, "replaced": False}  # no individual result without --show-results
    (result,) = saved(tmp_path)
    assert (result["org"], result["participant"], result["segment"], result["lang"]) == ("Acme", None, "Terrain", "en")
    assert result["answers"] == answers

    # the same answers through assess --answers give the same figures
    (tmp_path / "answers.json").write_text(json.dumps({"org": "Acme", "segment": "Terrain", "answers": answers}))
    done = cx("assess", "--answers", tmp_path / "answers.json", "--format", "json", "--no-save", "--lang", "en")
    assessed = json.loads(done.out)
    for key in ("level", "perceived_level", "focus_areas", "pillars", "answers", "org", "segment", "participant"):
        assert result[key] == assessed[key], key


def test_a_device_that_sends_twice_replaces_its_answer(tmp_path):
    room, client = room_for(tmp_path)
    assert post(client, room, submission(2)).json()["replaced"] is False
    assert post(client, room, submission(5)).json()["replaced"] is True
    (result,) = saved(tmp_path)
    assert set(result["answers"].values()) == {5}
    assert post(client, room, submission(3, device="b" * 32)).status_code == 200
    assert len(saved(tmp_path)) == 2
    assert len(room.collector.snapshot()) == 2


def test_the_wave_is_written_in_every_result(tmp_path):
    room, client = room_for(tmp_path, wave="T0")
    assert post(client, room, submission()).status_code == 200
    (result,) = saved(tmp_path)
    assert result["wave"] == "T0"


def test_show_results_tells_the_participant_their_level(tmp_path):
    room, client = room_for(tmp_path, show_results=True)
    reply = post(client, room, submission(5)).json()
    assert reply["level"] == 5
    assert reply["level_name"] == CONTENT.levels.level(5).name("en")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"answers": {IDS[0]: 6}}, "answers." + IDS[0]),
        ({"answers": {IDS[0]: "4"}}, "answers." + IDS[0]),
        ({"answers": {IDS[0]: True}}, "answers." + IDS[0]),
        ({"answers": {"made-up": 3}}, "unknown question id"),
        ({"answers": [1, 2]}, "answers: expected a mapping"),
        ({"segment": "Marketing"}, "segment"),
        ({"lang": "de"}, "lang"),
        ({"device": "short"}, "device"),
        ({"device": "<script>alert(1)</script>xxxxxxxx"}, "device"),
        ({"participant": "Jo"}, "unknown field participant"),
    ],
)
def test_every_value_is_checked(tmp_path, change, problem):
    room, client = room_for(tmp_path)
    reply = post(client, room, submission() | change)
    assert reply.status_code == 400
    assert problem in reply.json()["error"]
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b"null", b"[" * 5000 + b"]" * 5000, "\udcff".encode("utf-8", "surrogatepass")]
)
def test_bodies_that_are_not_a_submission_are_refused(tmp_path, body):
    room, client = room_for(tmp_path)
    assert post(client, room, body).status_code == 400


def test_a_segment_is_refused_when_the_room_has_none(tmp_path):
    room, client = room_for(tmp_path, segments=())
    assert post(client, room, submission(segment="Terrain")).status_code == 400
    assert post(client, room, submission(segment=None)).status_code == 200


def test_a_body_over_64_kB_is_refused_while_it_is_read(tmp_path):
    room, client = room_for(tmp_path)
    big = json.dumps(submission() | {"padding": "x" * web.MAX_BODY_BYTES})
    assert post(client, room, big).status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b"x" * 1024

    reply = client.post(f"/{room.token}/answers", content=chunks(), headers={"content-type": "application/json"})
    assert reply.status_code == 413
    assert post(client, room, b"{}", **{"content-length": "99999999"}).status_code == 413


def test_only_json_is_taken(tmp_path):
    room, client = room_for(tmp_path)
    reply = client.post(
        f"/{room.token}/answers", content=json.dumps(submission()), headers={"content-type": "text/plain"}
    )
    assert reply.status_code == 400


def test_without_the_token_everything_is_a_bare_404(tmp_path):
    room, client = room_for(tmp_path)
    misses = [
        client.get("/"),
        client.get("/room.js"),
        client.get(f"/{room.token[:-1]}/"),
        client.get(f"/{room.token}x/"),
        client.get(f"/{room.token.upper()}/"),
        client.post("/answers", content=json.dumps(submission()), headers={"content-type": "application/json"}),
        client.get(f"/{room.token}/nothing-here"),
        client.get(f"/{room.token}/state"),  # the projector's, not the participants'
        client.delete(f"/{room.token}/answers"),
        client.get(f"/x/{room.token}/"),
    ]
    for reply in misses:
        assert reply.status_code == 404, reply.request.url
        assert reply.text == "Not found"
        assert room.token not in reply.text and room.projector_token not in reply.text
    assert client.get(f"/{room.token}", follow_redirects=False).status_code == 307
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_every_answer_has_the_security_headers(tmp_path):
    room, client = room_for(tmp_path)
    for reply in (
        client.get(f"/{room.token}/"),
        client.get(f"/{room.token}/room.js"),
        post(client, room, submission()),
        client.get("/nope"),
    ):
        csp = reply.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert reply.headers["cache-control"] == "no-store"
        assert "server" not in reply.headers


def test_each_client_has_a_request_budget(tmp_path):
    room, client = room_for(tmp_path)
    room.limit = web.RateLimit(requests=5, window=60)
    codes = [client.get(f"/{room.token}/").status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict] = []
        self.inline: list[str] = []
        self._in_data = False
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "script":
            self.scripts.append(dict(attrs))
            self._in_data = dict(attrs).get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_data = False

    def handle_data(self, data):
        if self._in_data:
            self.inline.append(data)


def test_texts_reach_the_page_as_inert_data(tmp_path):
    hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)> & "'
    room, client = room_for(tmp_path, org=hostile, segments=(hostile, "B"))
    page = client.get(f"/{room.token}/").text
    parser = _Scripts()
    parser.feed(page)
    assert parser.tags.count("script") == 2  # the data block and room.js: nothing injected
    assert [s.get("src") for s in parser.scripts] == [None, "room.js"]
    assert "img" not in parser.tags
    data = json.loads(parser.inline[0])
    assert data["segments"][0] == hostile
    assert hostile in data["texts"]["en"]["labels"]["welcome_what"]
    assert "<" not in parser.inline[0]


def test_the_script_puts_texts_on_screen_as_text_only():
    from importlib.resources import files

    script = files("cxculture.room").joinpath("static", "room.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", script)


def test_the_projector_has_its_own_token_and_shows_no_group_under_five(tmp_path):
    room, client = room_for(tmp_path)
    base = f"/{room.projector_token}"
    assert client.get(f"{base}/").status_code == 200
    assert (
        client.post(
            f"/{room.token}/reveal", content='{"revealed": true}', headers={"content-type": "application/json"}
        ).status_code
        == 404
    )
    for n in range(4):
        post(client, room, submission(5, device=f"device-{n:012d}"))
    client.post(f"{base}/reveal", content='{"revealed": true}', headers={"content-type": "application/json"})
    state = client.get(f"{base}/state").json()
    assert (state["count"], state["group"]) == (4, None)
    post(client, room, submission(5, device="device-000000000099"))
    state = client.get(f"{base}/state").json()
    assert state["count"] == 5
    assert state["group"]["level"] == 5


@pytest.mark.parametrize("stop", ["SIGINT", "SIGTERM"])
def test_the_room_command_collects_and_closes_cleanly(tmp_path, stop):
    """The real command on 127.0.0.1: URL on one line, a submission, Ctrl-C (or SIGTERM), the next command."""
    import signal
    import subprocess
    import sys

    import httpx

    from conftest import clean_env

    out = tmp_path / "out"
    args = ["room", "--org", "Acme", "--host", "127.0.0.1", "--port", "0", "--out", str(out), "--lang", "en"]
    child = subprocess.Popen(
        [sys.executable, "-m", "cxculture", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(CXCULTURE_CACHE_DIR=str(tmp_path / "cache")),
    )
    try:
        url = None
        for line in child.stdout:
            match = re.fullmatch(r"(http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{32,}/)\s*", line)
            if match:
                url = match.group(1)
                break
        assert url is not None
        body = json.dumps(submission(4) | {"segment": None})
        reply = httpx.post(url + "answers", content=body, headers={"content-type": "application/json"})
        assert reply.status_code == 200
        child.send_signal(getattr(signal, stop))
        rest, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert err == ""
    assert f"cxculture workshop {out}" in rest
    assert "1 answer(s) saved" in rest
    (result,) = saved(tmp_path)
    assert result["org"] == "Acme"
    with pytest.raises(httpx.ConnectError):  # the server stopped with the command
        httpx.get(url, timeout=2)


def test_the_live_view_shows_only_counts_for_groups_under_five(tmp_path):
    from rich.console import Console

    from cxculture.room.live import picture, view

    room, client = room_for(tmp_path)
    for n in range(5):
        post(client, room, submission(5, device=f"terrain-{n:010d}"))
    for n in range(2):
        post(client, room, submission(1, device=f"direction-{n:08d}", segment="Direction"))
    shown = picture(room.collector)
    assert shown.count == 7
    assert shown.segments == [("Direction", 2, None), ("Terrain", 5, 5)]
    assert shown.group is not None and len(shown.group["areas"]) == len(CONTENT.levels.focus_areas())
    console = Console(width=100, record=True, color_system=None)
    console.print(view(shown, CONTENT, CONTENT.speaker("en"), "Acme", 5))
    text = console.export_text()
    assert "Session Acme · 7 answer(s)" in text
    assert re.search(r"Direction\s+2\s+under 5", text)
    assert re.search(r"Terrain\s+5\s+5", text)
    assert "Group level:" in text


def test_the_live_view_waits_for_five_answers(tmp_path):
    from cxculture.room.live import picture

    room, client = room_for(tmp_path)
    for n in range(4):
        post(client, room, submission(3, device=f"device-{n:012d}"))
    shown = picture(room.collector)
    assert (shown.count, shown.group) == (4, None)
    assert shown.segments == [("Direction", 0, None), ("Terrain", 4, None)]


def test_the_lan_address_is_a_private_ipv4_or_local():
    import ipaddress

    from cxculture.room.network import LOCAL, lan_address

    address = ipaddress.IPv4Address(lan_address())  # read from this machine's own interfaces, nothing sent
    assert str(address) == LOCAL or (address.is_private and not address.is_loopback)


@pytest.mark.usefixtures("english")
def test_a_host_that_is_not_an_address_is_refused(cx, tmp_path):
    done = cx("room", "--org", "Acme", "--host", "example.org", "--out", tmp_path / "out")
    assert done.code == 2
    assert "--host" in done.err and "not an IP address" in done.err


@pytest.mark.usefixtures("english")
def test_an_answer_that_cannot_be_saved_is_not_confirmed_and_the_consultant_is_told(tmp_path):
    from cxculture.room.live import picture

    room, client = room_for(tmp_path)
    (tmp_path / "out").write_text("a file where the folder should be")
    reply = post(client, room, submission())
    assert reply.status_code == 503
    assert str(tmp_path) not in reply.text  # the laptop's folders are not shown to participants
    shown = picture(room.collector)
    assert shown.count == 0
    assert shown.problems and str(tmp_path / "out") in shown.problems[0]


# --- slow and oversized requests, on the real server ------------------------


@pytest.fixture
def quick_room(tmp_path):
    """The real server on 127.0.0.1, giving each request half a second."""
    from cxculture.room.serve import open_room

    opened = open_room(CONTENT, Settings(org="Acme", out=tmp_path / "out"), "en", "127.0.0.1", 0, request_seconds=0.5)
    yield opened
    opened.close()


def connect(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)  # a hang fails, it does not block
    return sock, parts.path


def head(method, path, length=None, extra=""):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json", extra]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(line for line in lines if line) + "\r\n\r\n").encode()


def trickle(sock, data, most=100):
    """Send ``data`` a byte every 0.1 s; return how many bytes went before the server closed (``most`` at most)."""
    for sent in range(min(most, len(data))):
        if select.select([sock], [], [], 0.1)[0]:  # readable: the server answered or closed
            try:
                if sock.recv(4096) == b"":
                    return sent
            except ConnectionResetError:
                return sent
        try:
            sock.send(data[sent : sent + 1])
        except (BrokenPipeError, ConnectionResetError):
            return sent
    return most


def test_a_client_that_trickles_its_body_is_cut_off(quick_room, tmp_path, capfd):
    import httpx

    body = json.dumps(submission(segment=None)).encode()
    sock, path = connect(quick_room.url)
    with sock:
        sock.sendall(head("POST", path + "answers", len(body)))
        sent = trickle(sock, body)
    assert sent < 100  # cut off after about half a second, not when the body is complete (or never)
    assert saved(tmp_path) == []
    reply = httpx.post(quick_room.url + "answers", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 200  # the room goes on serving
    assert len(saved(tmp_path)) == 1
    assert capfd.readouterr().err == ""  # no traceback in the consultant's terminal


def test_a_client_that_trickles_its_headers_is_cut_off(quick_room):
    sock, path = connect(quick_room.url)
    with sock:
        sent = trickle(sock, head("GET", path, extra="X-Padding: " + "x" * 200))
    assert sent < 100


def test_a_connection_that_sends_nothing_is_closed(quick_room):
    sock, _ = connect(quick_room.url)
    with sock:
        assert sock.recv(4096) == b""  # closed by the server (a 10 s timeout fails the test)


def test_headers_over_16_kB_are_refused(quick_room):
    sock, path = connect(quick_room.url)
    with sock:
        sock.sendall(head("GET", path, extra="X-Padding: " + "x" * (17 * 1024)))
        reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 400")


def answered(sock, path):
    """Send a GET on ``sock``; the reply's status line, or ``b""`` when the server closed the connection."""
    try:
        sock.sendall(head("GET", path))
        return sock.recv(4096).split(b"\r\n", 1)[0]
    except (BrokenPipeError, ConnectionResetError):
        return b""


def test_one_address_holds_only_a_few_connections_at_once(tmp_path):
    import time

    from cxculture.room.serve import open_room

    opened = open_room(CONTENT, Settings(org="Acme", out=tmp_path / "out"), "en", "127.0.0.1", 0)
    held = [connect(opened.url) for _ in range(web.CONNECTIONS_PER_ADDRESS)]
    try:
        assert answered(*held[0]) == b"HTTP/1.1 200 OK"  # the server has counted them all by now
        sock, path = connect(opened.url)
        with sock:
            assert answered(sock, path) == b""  # one more from the same address: closed unanswered
        held.pop()[0].close()
        for _ in range(100):  # the server notices the close soon after; then the address has a free place
            sock, path = connect(opened.url)
            with sock:
                status = answered(sock, path)
            if status:
                break
            time.sleep(0.05)
        assert status == b"HTTP/1.1 200 OK"
    finally:
        for sock, _ in held:
            sock.close()
        opened.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads the flushed paths from /proc")
def test_a_submission_is_confirmed_once_its_file_and_its_name_are_flushed(tmp_path, monkeypatch):
    import os

    room, client = room_for(tmp_path)
    flushed = []
    real_fsync = os.fsync

    def fsync(fd):
        real_fsync(fd)
        flushed.append(Path(os.readlink(f"/proc/self/fd/{fd}")))

    monkeypatch.setattr(os, "fsync", fsync)
    assert post(client, room, submission()).status_code == 200
    (path,) = (tmp_path / "out").glob("*.json")
    assert flushed[-1] == tmp_path / "out"  # the folder, after the file got its name
    assert any(p.name.startswith(f".{path.name}.") for p in flushed[:-1])  # the file's bytes, before
    assert post(client, room, submission(2)).status_code == 200  # replaced in place: flushed again
    assert flushed[-1] == tmp_path / "out"


# --- the cheaper per-submission work ---------------------------------------------


def test_the_live_figures_wait_while_submissions_are_under_way(tmp_path):
    from cxculture.room.live import Watch

    room, client = room_for(tmp_path)
    for n in range(5):
        post(client, room, submission(5, device=f"device-{n:012d}"))
    assert room.watch.current().count == 5
    with room.collector.handling():  # a burst arriving: its replies come before the figures
        room.collector.accept(submission(1, device="device-000000000099"))
        assert room.watch.current().count == 5
        assert Watch(room.collector, lag=0).current().count == 6  # never more than the lag behind
    shown = room.watch.current()
    assert shown.count == 6
    assert room.watch.current() is shown  # nothing changed: not computed again
    assert client.get(f"/{room.projector_token}/state").json()["count"] == 6


scores = st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([1e-5, 9.9e-5, 1e16, 2.5])
names = st.none() | st.text(max_size=12)


@settings(max_examples=300, deadline=None)
@given(areas=st.lists(scores, min_size=1, max_size=8), pillars=st.lists(scores, max_size=4), org=names, wave=names)
def test_a_result_file_is_the_standard_json_writer_s_text(areas, pillars, org, wave):
    """``results.to_json`` writes with orjson when it can: the very text of ``json.dumps(indent=2)``, made safe."""
    from dataclasses import replace

    from cxculture import results
    from cxculture.model import AreaResult, PillarResult
    from cxculture.text import json_safe

    room = make_room(CONTENT, Settings(org="Acme", out=Path("unused")), "en")
    result = room.collector.check(submission(segment=None)).result
    result = replace(
        result,
        focus_areas=tuple(AreaResult(f"area-{n}", 2, s, bool(n % 2)) for n, s in enumerate(areas)),
        pillars=tuple(PillarResult(f"pillar-{n}", s) for n, s in enumerate(pillars)),
        org=org,
        wave=wave,
    )
    standard = json.dumps(results.to_dict(result), ensure_ascii=False, indent=2, allow_nan=False)
    assert results.to_json(result) == json_safe(standard) + "\n"


def test_a_result_with_a_score_that_is_not_a_number_is_refused_as_json_refuses_it():
    from dataclasses import replace

    from cxculture import results
    from cxculture.model import AreaResult

    room = make_room(CONTENT, Settings(org="Acme", out=Path("unused")), "en")
    result = room.collector.check(submission(segment=None)).result
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="Out of range float"):
            results.to_json(replace(result, focus_areas=(AreaResult("area", 2, bad, False),)))
