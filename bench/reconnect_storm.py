#!/usr/bin/env python
"""The morning reconnect storm: the venue Wi-Fi drops 2,000 phones at once, 5 changes are published
while they are away, and every phone comes back within 2 s asking for what it missed.

    .venv/bin/python bench/reconnect_storm.py                   # 2,000 phones, SQLite, 1 process
    .venv/bin/python bench/reconnect_storm.py --phones 500 --setups sqlite,postgres

The real server (``uvicorn``, as bench/live_fanout.py starts it) gets N websocket phones from
separate client processes, each saying ``hello`` with the current ``seq``. Then every connection
is aborted at once (TCP reset, as when the access point goes); once the server counts 0 phones
the organiser moves a talk 5 times through the REST API; then the phones reconnect, spread evenly
over ``--spread`` seconds, each saying ``hello`` with the last ``seq`` it had. For every phone the
time from its reconnect attempt until it holds all 5 entries is measured (p50, p99, max), with
errors, missing and duplicated entries (phones keep listening for a second after the last one is
caught up, so a late duplicate is counted), the server's CPU seconds and the database queries it
made during the storm (counted from Tortoise's query log, in the server process: the app is
served through ``counting_app`` below, which only adds ``GET /_bench/queries``).

In the same run a bare ``websockets`` server accepts the same N phones and replays the same 5
frames from memory after each ``hello``; the ratio messe / raw is printed. Target: every phone
caught up ≤ 3 s after its attempt, 0 errors, 0 missing, 0 duplicates, no query per phone.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live_fanout import (
    PYTHON,
    MesseServer,
    RawProcess,
    percentile,
    process_tree,
    raise_file_limit,
    run_role,
)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CHANGES = 5


# The server under test, with a query counter (uvicorn --factory bench.reconnect_storm:counting_app)


def counting_app() -> Any:
    """messe's app, plus ``GET /_bench/queries``: how many statements Tortoise has sent so far."""
    from messe.app import create_app

    app = create_app()
    count = [0]

    class Counter(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            count[0] += 1

    logger = logging.getLogger("tortoise.db_client")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(Counter())

    async def wrapped(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/_bench/queries":
            body = json.dumps({"queries": count[0]}).encode()
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json")]})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return wrapped


def cpu_seconds(pid: int) -> float:
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


# Client processes (role "_phones"): commands on stdin, one JSON line back for each


async def _phones(url: str, first: int, count: int, total: int) -> None:
    import websockets

    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()
    loop.add_reader(sys.stdin.fileno(), lambda: lines.put_nowait(sys.stdin.readline()))

    def say(value: object) -> None:
        print(json.dumps(value), flush=True)

    async def connect() -> Any:
        return await websockets.connect(url, compression=None, open_timeout=60, ping_interval=None,
                                        max_queue=None, close_timeout=1)

    # 1. Connect, a hundred at a time, and say hello.
    since = int((await lines.get()).split()[1])
    gate = asyncio.Semaphore(100)
    errors: list[str] = []

    async def first_connect() -> Any:
        async with gate:
            ws = await connect()
            await ws.send(json.dumps({"type": "hello", "since": since}))
            return ws

    sockets = await asyncio.gather(*(first_connect() for _ in range(count)), return_exceptions=True)
    alive = [ws for ws in sockets if not isinstance(ws, BaseException)]
    errors += [f"connect: {type(ws).__name__}: {ws}" for ws in sockets if isinstance(ws, BaseException)]
    say({"ready": len(alive)})

    # 2. The Wi-Fi drops: every connection reset at once, nothing said to the server.
    await lines.get()
    for ws in alive:
        ws.transport.abort()
    say({"dropped": len(alive)})

    # 3. The storm: phone i of all of them tries at start + spread * i / total, with hello(since).
    _, start, spread, since, last = (await lines.get()).split()
    start_ns, spread_s, since, last = int(start), float(spread), int(since), int(last)
    wanted = set(range(since + 1, last + 1))
    attempts: list[int] = [0] * count
    opened: list[int] = [0] * count
    caught: list[int | None] = [None] * count
    got: list[list[int]] = [[] for _ in range(count)]
    storm_errors: list[str] = []
    phones: list[Any] = []

    async def phone(i: int) -> None:
        delay = (start_ns + spread_s * 1e9 * (first + i) / total - time.monotonic_ns()) / 1e9
        await asyncio.sleep(max(0.0, delay))
        attempts[i] = time.monotonic_ns()
        try:
            ws = await connect()
            opened[i] = time.monotonic_ns()
            phones.append(ws)
            await ws.send(json.dumps({"type": "hello", "since": since}))
            async for message in ws:
                frame = json.loads(message)
                if "seq" in frame and frame.get("type") in ("change", "announcement"):
                    got[i].append(frame["seq"])
                    if caught[i] is None and wanted <= set(got[i]):
                        caught[i] = time.monotonic_ns()
                elif frame.get("type") == "resync":
                    storm_errors.append(f"resync after hello({since})")
            storm_errors.append("closed by the server")
        except Exception as exc:
            storm_errors.append(f"{type(exc).__name__}: {exc}")

    tasks = [asyncio.create_task(phone(i)) for i in range(count)]
    await lines.get()  # "report": the parent waited for everyone and a second more
    ok = [i for i in range(count) if caught[i] is not None]
    dupes = sum(len(seqs) - len(set(seqs)) for seqs in got)
    missing = sum(len(wanted - set(seqs)) for seqs in got)
    extra = sum(len(set(seqs) - wanted) for seqs in got)
    disorder = sum(1 for seqs in got if seqs != sorted(seqs))
    say({"attempts": [attempts[i] for i in ok], "caught": [caught[i] for i in ok], "opened": [opened[i] for i in ok],
         "first_attempt": min(attempts), "errors": errors + storm_errors, "duplicates": dupes,
         "missing": missing, "extra": extra, "out_of_order": disorder, "lost": count - len(ok)})
    for task in tasks:
        task.cancel()
    os._exit(0)


# The bare websockets server (role "_raw"): replays the frames it was given after each hello


async def _raw_server(port: int, control_port: int) -> None:
    import websockets

    frames: list[tuple[int, str]] = []
    clients: set = set()

    async def handler(ws: Any) -> None:
        clients.add(ws)
        try:
            async for message in ws:
                request = json.loads(message)
                if request.get("type") == "hello":
                    since = int(request.get("since") or 0)
                    for seq, text in frames:
                        if seq > since:
                            await ws.send(text)
                elif request.get("type") == "ping":
                    await ws.send('{"type":"pong"}')
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(ws)

    async def control(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            command, _, rest = line.decode().rstrip("\n").partition(" ")
            if command == "add":
                frame = json.loads(rest)
                frames.append((frame["seq"], rest))
            writer.write(f"{len(clients)}\n".encode())

    async with websockets.serve(handler, "127.0.0.1", port, compression=None, ping_interval=None,
                                max_queue=None, backlog=4096):
        server = await asyncio.start_server(control, "127.0.0.1", control_port)
        async with server:
            await asyncio.Future()


class RawServer(RawProcess):
    name = "raw websockets, replay from memory"
    script = __file__

    def __enter__(self) -> RawServer:
        super().__enter__()
        self.seq = 0
        self.frames: list[str] = []
        return self

    def since(self) -> int:
        return self.seq

    def connections(self) -> int:
        self.control.sendall(b"count\n")
        return int(self.replies.readline())

    def publish(self) -> None:
        text = self.frames[self.seq % len(self.frames)]
        self.seq += 1
        text = json.dumps({**json.loads(text), "seq": self.seq}, ensure_ascii=False, separators=(",", ":"))
        self.control.sendall(f"add {text}\n".encode())
        self.replies.readline()

    def queries(self) -> int | None:
        return None


class Messe:
    """bench.live_fanout's server, served through ``counting_app``."""

    def __init__(self, setup: str, args: argparse.Namespace) -> None:
        workers = 1 if setup == "sqlite" else 2
        self.server = MesseServer(setup, workers, "bench.reconnect_storm:counting_app", args.postgres, args.redis)
        if args.profile:
            raw = args.profile.endswith(".txt")  # collapsed stacks; else a flame graph
            self.server.prefix = [str(Path(PYTHON).parent / "py-spy"), "record", "-r", "200", "-f",
                                  "raw" if raw else "flamegraph", "-o", f"{setup}-{args.profile}", "--"]
        self.name = self.server.name

    def __enter__(self) -> Messe:
        self.server.__enter__()
        self.base = f"http://127.0.0.1:{self.server.port}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(*exc)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def pid(self) -> int:
        return self.server.pid

    def since(self) -> int:
        return self.server.since()

    def connections(self) -> int:
        return int(self.server.http.get("/api/live").json()["all_connections"])

    def publish(self) -> None:
        self.server.change(0)

    def frames(self, since: int) -> list[str]:
        """The entries after ``since`` as a phone receives them (for the raw server to replay)."""
        items = self.server.http.get("/api/changes", params={"since": since, "limit": 500}).json()["items"]
        return [json.dumps({"type": "change", "seq": c["seq"], "kind": c["kind"], "talk": c["talk"],
                            "before": c["before"], "at": c["at"], "starred": False},
                           ensure_ascii=False, separators=(",", ":")) for c in items]

    def queries(self) -> int | None:
        import httpx

        return int(httpx.get(f"{self.base}/_bench/queries", timeout=10).json()["queries"])


@dataclass
class Storm:
    name: str
    catch_up_ms: list[float]  # per phone: its reconnect attempt → it holds all 5
    open_ms: list[float]  # of which: attempt → the opening handshake done
    last_s: float  # first attempt → the last phone caught up
    phones: int
    errors: list[str]
    missing: int
    duplicates: int
    extra: int
    out_of_order: int
    lost: int
    cpu_s: float
    queries: int | None

    @property
    def p99(self) -> float:
        return percentile(self.catch_up_ms, 0.99) if self.catch_up_ms else float("inf")

    @property
    def worst(self) -> float:
        return max(self.catch_up_ms) if self.catch_up_ms else float("inf")

    def line(self) -> str:
        values, opening = self.catch_up_ms or [float("nan")], self.open_ms or [float("nan")]
        queries = "—" if self.queries is None else str(self.queries)
        return (f"{self.name:<38} caught up after attempt p50 {percentile(values, 0.5):7.1f} ms  "
                f"p99 {self.p99:7.1f} ms  max {self.worst:7.1f} ms (opening handshake p50 "
                f"{percentile(opening, 0.5):6.1f} ms, p99 {percentile(opening, 0.99):6.1f} ms); "
                f"last phone {self.last_s:5.2f} s after the first attempt; "
                f"{self.phones - self.lost}/{self.phones} caught up; errors {len(self.errors)}  "
                f"missing {self.missing}  duplicates {self.duplicates}  extra {self.extra}  "
                f"out of order {self.out_of_order}; server CPU {self.cpu_s:.2f} s; database queries {queries}")


def storm(server: RawServer | Messe, args: argparse.Namespace) -> Storm:
    per = args.per_process
    processes = [subprocess.Popen([PYTHON, __file__, "_phones", server.url, str(first),
                                   str(min(per, args.phones - first)), str(args.phones)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                 for first in range(0, args.phones, per)]

    def tell(line: str) -> list[dict]:
        for process in processes:
            process.stdin.write(line + "\n")
            process.stdin.flush()
        return [json.loads(process.stdout.readline()) for process in processes]

    try:
        since = server.since()
        ready = sum(r["ready"] for r in tell(f"connect {since}"))
        time.sleep(3 + args.phones / 2000)  # let the connections settle (messe.live.heap)
        connected = server.connections()
        tell("drop")
        deadline = time.monotonic() + 30
        while server.connections() and time.monotonic() < deadline:
            time.sleep(0.1)
        for _ in range(CHANGES):
            server.publish()
        last = server.since()
        queries_before = server.queries()
        cpu_before = cpu_seconds(server.pid)
        start = time.monotonic_ns() + 300_000_000
        for process in processes:
            process.stdin.write(f"storm {start} {args.spread} {since} {last}\n")
            process.stdin.flush()
        # Every phone has at most --timeout seconds; then a second more to catch late duplicates.
        time.sleep(max(0.0, (start - time.monotonic_ns()) / 1e9) + args.spread)
        deadline = time.monotonic() + args.timeout
        cpu_after = cpu_seconds(server.pid)
        previous = -1.0
        while time.monotonic() < deadline:  # until the server has been idle for a second
            time.sleep(1.0)
            cpu_now = cpu_seconds(server.pid)
            if cpu_now - previous < 0.05:
                break
            previous, cpu_after = cpu_now, cpu_now
        queries_after = server.queries()
        reports = tell("report")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
    catch_up = [(c - a) / 1e6 for r in reports for a, c in zip(r["attempts"], r["caught"], strict=True)]
    opening = [(o - a) / 1e6 for r in reports for a, o in zip(r["attempts"], r["opened"], strict=True)]
    first_attempt = min(r["first_attempt"] for r in reports)
    last_caught = max((c for r in reports for c in r["caught"]), default=first_attempt)
    errors = [e for r in reports for e in r["errors"]]
    if ready != args.phones or connected != args.phones:
        errors.append(f"only {ready} connected ({connected} counted by the server) before the drop")
    queries = None if queries_before is None or queries_after is None else queries_after - queries_before
    return Storm(server.name, catch_up, opening, (last_caught - first_attempt) / 1e9, args.phones, errors,
                 sum(r["missing"] for r in reports), sum(r["duplicates"] for r in reports),
                 sum(r["extra"] for r in reports), sum(r["out_of_order"] for r in reports),
                 sum(r["lost"] for r in reports), cpu_after - cpu_before, queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--spread", type=float, default=2.0, help="seconds over which the phones reconnect")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds each phone may take")
    parser.add_argument("--setups", default="sqlite", help="comma-separated: sqlite, postgres")
    parser.add_argument("--profile", metavar="NAME",
                        help="run messe under py-spy, writing <setup>-NAME (NAME.txt: collapsed stacks, else SVG)")
    parser.add_argument("--per-process", type=int, default=0, help="phones per client process (default N/8)")
    parser.add_argument("--postgres", default=os.environ.get("MESSE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("MESSE_TEST_REDIS", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    limit = raise_file_limit()
    args.per_process = args.per_process or max(250, -(-args.phones // 8))
    if args.per_process + 100 > limit:
        parser.error(f"{args.per_process} phones per process exceed the open-file limit {limit}")
    print(f"{args.phones} phones in {-(-args.phones // args.per_process)} processes, {CHANGES} changes while away, "
          f"reconnect over {args.spread:g} s, {os.cpu_count()} CPUs", flush=True)

    results: list[Storm] = []
    frames: list[str] = []
    for setup in [s.strip() for s in args.setups.split(",") if s.strip()]:
        with Messe(setup, args) as server:
            results.append(storm(server, args))
            frames = frames or server.frames(server.since() - CHANGES)
        print(results[-1].line(), flush=True)
    with RawServer() as raw:
        raw.frames = frames
        baseline = storm(raw, args)
    print(baseline.line(), flush=True)

    print(f"\nSummary ({args.phones} phones, {CHANGES} changes while away, reconnect over {args.spread:g} s)")
    for result in [baseline, *results]:
        print(result.line())
        for error in sorted(set(result.errors))[:5]:
            print(f"    error: {error} (×{result.errors.count(error)})")
    print()
    for result in results:
        checks = {f"every phone ≤ 3 s after its attempt (max {result.worst / 1000:.2f} s)": result.worst <= 3000,
                  "0 errors, missing, duplicates": not (result.errors or result.missing or result.duplicates
                                                         or result.extra or result.out_of_order or result.lost),
                  f"no query per phone ({result.queries})": result.queries is not None
                  and result.queries < result.phones / 10}
        print(f"{result.name:<38} " + ", ".join(f"{k}: {'met' if ok else 'MISSED'}" for k, ok in checks.items())
              + f"; p99 {result.p99 / baseline.p99:.2f}× raw, max {result.worst / baseline.worst:.2f}× raw")
    bad = [r for r in [baseline, *results] if r.errors or r.missing or r.duplicates or r.lost]
    return 1 if bad else 0


def _entry() -> int:
    return run_role({
        "_phones": lambda a: _phones(a[0], int(a[1]), int(a[2]), int(a[3])),
        "_raw": lambda a: _raw_server(int(a[0]), int(a[1])),
    }, main)


if __name__ == "__main__":
    sys.exit(_entry())
