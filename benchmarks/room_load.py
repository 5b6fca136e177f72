"""Benchmark (not a test): 50, then 200 phones sending their answers to the room at the same moment.

Run: python benchmarks/room_load.py [--phones 50 200] [--rounds 3] [--spread 0 5]

The room runs in its own process (the real server: uvicorn, the app, the
collector writing result files, the live view recomputed as in the terminal)
on 127.0.0.1 only. This process plays the phones
with asyncio: each opens the page, its script and style sheet, then all send
their answers at once (``--spread 0``, the worst case: a room told "send now"),
or each at a random moment within N seconds (``--spread N``: people finishing
one after another, still far faster than a real room). Prints per run
the submission latency p50/p99 (from sending the request to the reply), lost
submissions (replies that were not 200, and files missing in the folder) and
the server's resident memory, current and peak. Goal on a 2-core machine:
p99 ≤ 100 ms at 50 phones.

Each phone comes from an address of its own (127.1.x.y: Linux answers for
the whole of 127.0.0.0/8), as on a real network, so the room's limits per
address (requests per minute, connections at once) stay as they are. The
phones are raw asyncio streams, not an HTTP library, to keep their own CPU
time small; it is printed beside the server's, per submission (CPU time is a
steadier figure than latency on a shared machine).

Caveat: the phones and the server share the same two cores, so the client's
own work inflates the latencies. ``--without-fsync`` (diagnosis only) shows
what the disk flush of each file costs. Linux only (/proc). Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def serve(out: Path, fsync: bool) -> None:
    """The server process: open a room on 127.0.0.1, print its URL, run until stdin closes."""
    if not fsync:  # diagnosis only: what the disk flush of each result file costs
        os.fsync = lambda _fd: None
    from cxculture.loading import Content
    from cxculture.room.collect import Settings
    from cxculture.room.serve import open_room

    settings = Settings(org="Bench", out=out, segments=("A", "B", "C"))
    content = Content()
    opened = open_room(content, settings, "en", "127.0.0.1", 0)
    threading.Thread(target=live_view, args=(opened, content), daemon=True).start()
    print(opened.url, flush=True)
    sys.stdin.read()
    opened.close()


def live_view(opened: Any, content: Any) -> None:
    """What ``cxculture room`` draws meanwhile: the live view, recomputed when the count changes."""
    import io

    from rich.console import Console

    from cxculture.room.live import view
    from cxculture.room.serve import REFRESH_SECONDS

    console = Console(file=io.StringIO(), width=100)
    drawn = None
    while True:
        shown = opened.room.watch.current()
        if shown is not drawn:
            drawn = shown
            console.print(view(shown, content, content.speaker("en"), "Bench", opened.collector.settings.min_group))
            console.file = io.StringIO()
        time.sleep(REFRESH_SECONDS)


async def request(host: str, port: int, method: str, path: str, me: str, body: bytes = b"") -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port, local_addr=(me, 0))
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
    if body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + body)
    await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, data


async def phone(url: str, n: int, ids: list[str], start: asyncio.Event, spread: float) -> tuple[float, int]:
    parts = urlsplit(url)
    host, port, base = parts.hostname or "127.0.0.1", parts.port or 80, parts.path
    me = f"127.1.{n // 250}.{n % 250 + 1}"  # an address of its own
    for asset in ("", "room.js", "room.css"):
        await request(host, port, "GET", base + asset, me)
    answers = {qid: random.choice([1, 2, 3, 4, 5, None]) for qid in ids}
    body = json.dumps({"device": f"bench-phone-{n:08d}", "lang": "en", "segment": "AB"[n % 2], "answers": answers})
    await start.wait()
    await asyncio.sleep(random.uniform(0, spread))
    began = time.perf_counter()
    status, _ = await request(host, port, "POST", base + "answers", me, body.encode())
    return time.perf_counter() - began, status


async def crowd(url: str, phones: int, ids: list[str], spread: float, server: int) -> Crowd:
    start = asyncio.Event()
    tasks = [asyncio.create_task(phone(url, n, ids, start, spread)) for n in range(phones)]
    await asyncio.sleep(1.0 + phones / 100)  # every page loaded
    server_cpu, own_cpu = cpu_seconds(server), time.process_time()
    start.set()
    replies = await asyncio.gather(*tasks)
    return Crowd(replies, cpu_seconds(server) - server_cpu, time.process_time() - own_cpu)


@dataclass
class Crowd:
    replies: list[tuple[float, int]]  # latency (s), status
    server_cpu: float  # seconds of CPU the server used from "send now" to the last reply
    client_cpu: float  # and the phones (this process)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (/proc, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kb(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def run(phones: int, ids: list[str], spread: float, fsync: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="cx-room-bench-") as folder:
        out = Path(folder) / "out"
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(out), *([] if fsync else ["--without-fsync"])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None and server.stdin is not None
        url = server.stdout.readline().strip()
        idle, _ = memory_kb(server.pid)
        crowded = asyncio.run(crowd(url, phones, ids, spread, server.pid))
        replies = crowded.replies
        rss, peak = memory_kb(server.pid)
        server.stdin.close()
        server.wait(timeout=30)
        latencies = sorted(seconds * 1000 for seconds, _ in replies)
        failed = sum(status != 200 for _, status in replies)
        files = len(list(out.glob("*.json")))
        p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
        print(
            f"{phones:>4} phones, spread {spread:g} s: p50 {statistics.median(latencies):6.1f} ms  p99 {p99:6.1f} ms  "
            f"max {latencies[-1]:6.1f} ms  lost {failed + (phones - files)} (non-200 {failed}, files {files})  "
            f"server RSS {idle / 1024:.0f} MB idle, {rss / 1024:.0f} MB after, peak {peak / 1024:.0f} MB  "
            f"CPU per submission: server {crowded.server_cpu * 1000 / phones:.2f} ms, "
            f"phones {crowded.client_cpu * 1000 / phones:.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--spread", type=float, nargs="+", default=[0.0, 5.0])
    parser.add_argument("--without-fsync", action="store_true", help="diagnosis: files not flushed to disk")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, fsync=not args.without_fsync)
        return
    from cxculture.answers import question_ids
    from cxculture.loading import Content

    ids = question_ids(Content().questionnaire)
    for spread in args.spread:
        for phones in args.phones:
            for _ in range(args.rounds):
                run(phones, ids, spread, fsync=not args.without_fsync)


if __name__ == "__main__":
    main()
