#!/usr/bin/env python
"""Soak benchmark: the fair's busiest hours, held for ten minutes.

    .venv/bin/python bench/soak.py                          # 10 minutes, SQLite, 1 worker
    .venv/bin/python bench/soak.py --minutes 2
    .venv/bin/python bench/soak.py --database postgres      # PostgreSQL + Redis, 2 workers
    .venv/bin/python bench/soak.py --minutes 2 --rate-factor 3   # three times the scans, check-ins and reads

The seeded fair (2,000 attendees, 104 exhibitors) is served by uvicorn in a subprocess. 2,000
phones hold the live websocket open (from several processes; each says hello with the seq it
has, pings every 25 s as the attendee app does, and reconnects with its last seq if it loses the
connection). For ``--minutes``, open loop (a slow answer never delays the next request):

* one programme change every 10 s (PATCH /api/talks/{id}, organiser token);
* 100 badge scans/s (POST /api/leads), spread over one token per exhibitor, so each device stays
  well under the per-device scan limit (messe.web.ratelimit: 240/minute);
* 20 door check-ins/s (POST /api/checkins) from 10 door lanes, one in ten a badge already let in;
* 50 programme reads/s, half the programme page (GET /<event>/), half GET /api/talks.

``--rate-factor F`` multiplies the scans, check-ins and reads, and the devices they come from
(F phones per stand, F times the door lanes), so each device still scans at a person's pace, under
the per-device limit, as at a fair F times as busy. Past capacity messe answers 503
with Retry-After (messe.web.admission): a refused scan or check-in waits in its device's outbox
(bench.scanning.Outbox, as static/js/scan/outbox.js) and is sent again 15-20 s later, with the same
``client_id``, one at a time per device; a refused read is counted. After the
load, the soak checks that the database holds exactly one lead per (exhibitor, attendee) pair
scanned, so every refused scan arrived later exactly once, and measures the baseline request
again for the recovery.

Before the load, in the same run, the baseline: a trivial GET (/api/badge-key) at the same total
request rate. Printed: errors (0, or how many of which kind), whether any phone missed,
repeated or reordered a change (each phone checks it has every seq exactly once, in order), the
server's RSS at start, after warm-up and at the end with the growth from warm-up to end, and
p50/p99 latency of reads and scans with their ratio to the baseline. Targets: 0 errors, no phone
misses a change, memory growth under 5 %.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for bench.* and tests.support.live_server

from bench.live_fanout import raise_file_limit, rss_kib
from bench.scanning import Device, Outbox, Sample, open_loop
from tests.support.live_server import LiveServer, start_live_server

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EXHIBITORS = 104
CHANGE_INTERVAL = 10.0
SCANS_PER_SECOND = 100
READS_PER_SECOND = 50
CHECKINS_PER_SECOND = 20
DOOR_LANES = 10  # at --rate-factor F, F times as many: each lane scans at a person's pace (2 badges/s)
REPEAT_CHECKIN_SHARE = 0.1
RECOVERY_SECONDS = 10.0
PING_INTERVAL = 25.0  # as the attendee app (messe/templates/programme/live.js)
BASELINE_SECONDS = 15.0
SETTLE_SECONDS = 4.0  # once the phones are quiet, the hub collects and freezes its heap (messe.live.heap)
MEMORY_TARGET = 5.0
TOLD_TARGET_MS = 1000.0  # a phone is told of a change within a second (the attendee app's promise)
SLOW_MS = 30.0  # a scan, check-in or read slower than this is counted, and set against the programme changes
P99_TARGETS_MS = {1.0: 30.0, 3.0: 100.0}  # by --rate-factor (issue: capacity)


# Phone processes (role "_phones"): many websocket phones, each checking its own seqs


@dataclass
class PhoneState:
    since: int
    seqs: list[int]
    drops: int = 0
    pongs: int = 0
    arrivals: dict[int, float] = field(default_factory=dict)  # seq -> perf_counter() (CLOCK_MONOTONIC, shared)

    @property
    def last(self) -> int:
        return self.seqs[-1] if self.seqs else self.since


async def _phone(url: str, state: PhoneState, gate: asyncio.Semaphore, errors: list[str],
                 connected: asyncio.Event) -> None:
    """One phone: stay connected, keep every change's seq, reconnect with the last seq when dropped."""
    import websockets

    first = True
    while True:
        try:
            async with gate:
                ws = await websockets.connect(url, compression=None, open_timeout=120, ping_interval=None,
                                              max_queue=None)
                await ws.send(json.dumps({"type": "hello", "since": state.last}))
            if first:
                first = False
                connected.set()
            pinger = asyncio.create_task(_ping(ws))
            try:
                async for message in ws:
                    frame = json.loads(message)
                    if frame["type"] in ("change", "announcement"):
                        state.seqs.append(frame["seq"])
                        state.arrivals[frame["seq"]] = time.perf_counter()
                    elif frame["type"] == "pong":
                        state.pongs += 1
                    else:
                        errors.append(f"unexpected frame {message[:80]}")
            finally:
                pinger.cancel()
            errors.append(f"connection closed by the server: {ws.close_code} {ws.close_reason}")
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        state.drops += 1
        await asyncio.sleep(1.0 + random.random())  # as live.js backs off


async def _ping(ws) -> None:
    await asyncio.sleep(random.random() * PING_INTERVAL)
    while True:
        await ws.send('{"type":"ping"}')
        await asyncio.sleep(PING_INTERVAL)


def _widen(arrivals: dict[int, list[float]], seq: int, first: float, last: float) -> None:
    """Make ``arrivals[seq]`` (the first and last phone's arrival of a change) cover first..last."""
    known = arrivals.setdefault(seq, [first, last])
    known[0], known[1] = min(known[0], first), max(known[1], last)


def _check(states: list[PhoneState], final: int) -> dict:
    incomplete = [s for s in states if s.seqs != list(range(s.since + 1, final + 1))]
    arrivals: dict[int, list[float]] = {}
    for state in states:
        for seq, moment in state.arrivals.items():
            _widen(arrivals, seq, moment, moment)
    return {"phones": len(states), "incomplete": len(incomplete), "drops": sum(s.drops for s in states),
            "pongs": sum(s.pongs for s in states), "arrivals": arrivals,
            "examples": [{"expected": f"{s.since + 1}..{final}", "got": s.seqs[-20:]} for s in incomplete[:3]]}


async def _phone_process(url: str, count: int, since: int) -> None:
    states = [PhoneState(since, []) for _ in range(count)]
    errors: list[str] = []
    gate = asyncio.Semaphore(100)
    ready = [asyncio.Event() for _ in range(count)]
    tasks = [asyncio.create_task(_phone(url, s, gate, errors, r)) for s, r in zip(states, ready, strict=True)]
    await asyncio.gather(*(r.wait() for r in ready))
    print(json.dumps({"ready": count}), flush=True)
    command = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    final = int(command.split()[1])
    deadline = time.monotonic() + 20
    while any(s.last < final for s in states) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)  # anything repeated after the last seq would arrive now
    print(json.dumps({**_check(states, final), "errors": errors}), flush=True)
    for task in tasks:
        task.cancel()
    os._exit(0)


class Phones:
    """``total`` phones in processes of ``per_process``; ``report(final)`` gathers their checks."""

    def __init__(self, url: str, total: int, per_process: int, since: int, niceness: int = 0) -> None:
        self.processes = [
            subprocess.Popen([PYTHON, __file__, "_phones", url, str(min(per_process, total - start)), str(since)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                             preexec_fn=(lambda: os.nice(niceness)) if niceness else None)
            for start in range(0, total, per_process)]
        for process in self.processes:
            json.loads(process.stdout.readline())

    def report(self, final: int) -> dict:
        for process in self.processes:
            process.stdin.write(f"report {final}\n")
            process.stdin.flush()
        total: dict = {"phones": 0, "incomplete": 0, "drops": 0, "pongs": 0, "examples": [], "errors": [],
                       "arrivals": {}}
        for process in self.processes:
            part = json.loads(process.stdout.readline())
            for key in ("phones", "incomplete", "drops", "pongs"):
                total[key] += part[key]
            for seq, (first, last) in part["arrivals"].items():
                _widen(total["arrivals"], int(seq), first, last)
            total["examples"] += part["examples"]
            total["errors"] += part["errors"]
            process.wait()
        return total

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()


# The server and the load


def organiser_token(server: LiveServer) -> str:
    env = {**os.environ, "MESSE_DATABASE_URL": server.database_url, "MESSE_SECRET_KEY": server.secret_key}
    done = subprocess.run([PYTHON, "-m", "messe", "token", "create", "--role", "organiser"], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().split()[-1]


class Programme:
    """The organiser's side: one talk on a stage of its own, moved back and forth."""

    def __init__(self, device: Device, api: str) -> None:
        self.device, self.api = device, api
        self.moves = 0
        self.changes = Sample("programme change", (200,))
        self.outbox = Outbox(self.changes, random.Random(7), retry_after=1.0)  # the organiser, who clicks again

    async def set_up(self) -> None:
        status, body = await self.device.call("POST", f"{self.api}/stages", {"code": "soak", "name": "Soak-scenen"})
        assert status == 201, body
        stage = json.loads(body)["id"]
        status, body = await self.device.call("GET", f"{self.api}/talks")
        start = datetime.fromisoformat(json.loads(body)["items"][0]["starts_at"]).replace(minute=0)
        self.slots = [start + timedelta(hours=1), start + timedelta(hours=2)]
        status, body = await self.device.call("POST", f"{self.api}/talks", {
            "title": "Flyttes af soak-testen", "starts_at": self.slots[0].isoformat(),
            "ends_at": (self.slots[0] + timedelta(minutes=20)).isoformat(), "stage_id": stage})
        assert status == 201, body
        self.talk = json.loads(body)["id"]

    async def last_seq(self) -> int:
        status, body = await self.device.call("GET", f"{self.api}/changes?limit=1")
        assert status == 200, body
        return json.loads(body)["last_seq"]

    async def change(self, n: int) -> None:
        self.moves += 1
        start = self.slots[self.moves % 2]
        await self.outbox.send(lambda: self.device.call(
            "PATCH", f"{self.api}/talks/{self.talk}", {"starts_at": start.isoformat()}))


@dataclass
class Memory:
    start: int
    warm: int = 0
    end: int = 0

    @property
    def growth(self) -> float:
        return (self.end - self.warm) / self.warm * 100


async def run_soak(server: LiveServer, args: argparse.Namespace) -> bool:
    host, port = server.base_url.removeprefix("http://").split(":")
    api = f"/{server.event}/api"
    organiser = Device(host, int(port), organiser_token(server))
    reader = Device(host, int(port), "")
    reader.auth = b""  # phones read the programme without signing in
    scanners = [Device(host, int(port), token) for token in server.exhibitor_tokens]
    doors = [Device(host, int(port), token) for token in server.door_tokens]
    badges = [server.badge(a) for a in server.attendees]
    programme = Programme(organiser, api)
    await programme.set_up()
    rng = random.Random(13)
    door_order = rng.sample(range(len(badges)), len(badges))
    checked_in: list[int] = []
    scanned: set[tuple[int, int]] = set()
    baseline = Sample("trivial GET (baseline)", (200,))
    reads = Sample("programme read", (200,))
    scans = Sample("lead scan", (200, 201))
    checkins = Sample("check-in", (200, 201))
    scan_outboxes = [Outbox(scans, rng) for _ in scanners]
    door_outboxes = [Outbox(checkins, rng) for _ in doors]
    recovery = Sample("trivial GET after load", (200,))
    factor = args.rate_factor

    async def trivial(n: int) -> None:
        await baseline.measure(reader.call("GET", f"{api}/badge-key"))

    async def after_load(n: int) -> None:
        await recovery.measure(reader.call("GET", f"{api}/badge-key"))

    async def read(n: int) -> None:
        await reads.measure(reader.call("GET", f"/{server.event}/" if n % 2 else f"{api}/talks"), may_refuse=True)

    async def scan(n: int) -> None:
        attendee = rng.randrange(len(badges))
        scanned.add((n % len(scanners) % EXHIBITORS, attendee))  # scanner k is a phone of exhibitor k mod 104
        body = {"payload": badges[attendee], "client_id": uuid.uuid4().hex, "notes": "Vil høre mere"}
        device = n % len(scanners)
        await scan_outboxes[device].send(lambda: scanners[device].call("POST", f"{api}/leads", body))

    async def check_in(n: int) -> None:
        repeat = checked_in and rng.random() < REPEAT_CHECKIN_SHARE
        index = rng.choice(checked_in) if repeat else door_order[len(checked_in) % len(door_order)]
        checked_in.append(index)
        body = {"payload": badges[index], "client_id": uuid.uuid4().hex}
        lane = n % len(doors)
        await door_outboxes[lane].send(lambda: doors[lane].call("POST", f"{api}/checkins", body))

    memory = Memory(rss_kib(server.process.pid))
    since = await programme.last_seq()
    started = time.monotonic()
    phones = Phones(server.url("ws").replace("http://", "ws://"), args.phones, args.per_process, since,
                    args.phone_niceness)
    print(f"{args.phones} phones connected in {time.monotonic() - started:.1f} s; baseline for "
          f"{BASELINE_SECONDS:g} s …", flush=True)
    try:
        for device in [organiser, reader, *scanners, *doors]:  # every device opens its connection first
            await device.call("GET", f"{api}/badge-key")
        await asyncio.sleep(SETTLE_SECONDS)
        await open_loop((SCANS_PER_SECOND + READS_PER_SECOND + CHECKINS_PER_SECOND) * factor, BASELINE_SECONDS,
                        trivial)
        seconds = args.minutes * 60
        warm_up = min(60.0, seconds / 4)
        print(f"load ×{factor:g} for {seconds:g} s (memory measured from {warm_up:g} s) …", flush=True)

        async def note_warm_memory() -> None:
            await asyncio.sleep(warm_up)
            memory.warm = rss_kib(server.process.pid)

        await asyncio.gather(open_loop(1 / CHANGE_INTERVAL, seconds, programme.change),
                             open_loop(SCANS_PER_SECOND * factor, seconds, scan),
                             open_loop(CHECKINS_PER_SECOND * factor, seconds, check_in),
                             open_loop(READS_PER_SECOND * factor, seconds, read), note_warm_memory())
        memory.end = rss_kib(server.process.pid)
        load_ended = time.monotonic()
        await asyncio.gather(*(outbox.drained() for outbox in [*scan_outboxes, *door_outboxes, programme.outbox]))
        print(f"every device's outbox had sent what was refused {time.monotonic() - load_ended:.1f} s after the "
              "load", flush=True)
        await open_loop(SCANS_PER_SECOND + READS_PER_SECOND, RECOVERY_SECONDS, after_load)
        final = await programme.last_seq()
        checked = phones.report(final)
    finally:
        phones.kill()
    leads = await count_leads(server)
    return report(args, memory, checked, final - since, {"baseline": baseline, "reads": reads, "scans": scans,
                                                          "checkins": checkins, "changes": programme.changes,
                                                          "recovery": recovery}, (leads, len(scanned)))


async def count_leads(server: LiveServer) -> int:
    """Leads in the database, read directly (not through messe)."""
    url = server.database_url
    if url.startswith("sqlite://"):
        import sqlite3

        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite://"))) as db:
            return db.execute("SELECT COUNT(*) FROM lead").fetchone()[0]
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await conn.fetchval("SELECT COUNT(*) FROM lead")
    finally:
        await conn.close()


def told_after(arrivals: dict[int, list[float]], sent: list[float]) -> list[float]:
    """For each change the phones received, ms from its PATCH being sent to the last phone having it.

    The PATCH is the last one sent before the first phone had the change (``sent`` and the arrivals
    are perf_counter() values: CLOCK_MONOTONIC, the same clock in every process on the machine)."""
    delays = []
    for first, last in arrivals.values():
        before = [moment for moment in sent if moment <= first]
        if before:
            delays.append((last - max(before)) * 1000)
    return delays


def report(args: argparse.Namespace, memory: Memory, phones: dict, changes: int, samples: dict[str, Sample],
           leads: tuple[int, int]) -> bool:
    request_errors = {name: sample.errors for name, sample in samples.items() if sample.errors}
    errors = sum(len(e) for e in request_errors.values()) + len(phones["errors"])
    base = samples["baseline"]
    print(f"\nSoak: {args.minutes:g} min ×{args.rate_factor:g}, {args.database}, "
          f"{phones['phones']} phones (niceness {args.phone_niceness}), "
          f"{changes} programme changes, {len(samples['scans'].latencies)} scans, "
          f"{len(samples['checkins'].latencies)} check-ins, {len(samples['reads'].latencies)} reads; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(f"{'request':<24} {'n':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6} {'refused':>7} "
          f"{'p50/base':>9} {'p99/base':>9}")
    for sample in samples.values():
        p50, p99 = sample.percentile(0.5), sample.percentile(0.99)
        print(f"{sample.label:<24} {len(sample.latencies):>7} {p50:>8.1f} {p99:>8.1f} "
              f"{max(sample.latencies, default=float('nan')):>8.1f} {len(sample.errors):>6} {sample.refused:>7} "
              f"{p50 / base.percentile(0.5):>8.1f}x {p99 / base.percentile(0.99):>8.1f}x")
    change_moments = samples["changes"].started
    for key in ("scans", "checkins", "reads"):
        slow, near = samples[key].slow_near(SLOW_MS, change_moments)
        print(f"  {samples[key].label}: {slow} over {SLOW_MS:g} ms, {near} of them begun within 1 s after a "
              f"programme change")
    for name, found in request_errors.items():
        print(f"  {name} errors: {sorted(set(found))[:3]}")
    stored, scanned = leads
    print(f"scans: {samples['scans'].refused} refused with 503 and sent again; leads in the database {stored}, "
          f"distinct (exhibitor, attendee) pairs scanned {scanned}")
    print(f"phones: {phones['incomplete']} of {phones['phones']} missed, repeated or reordered a change; "
          f"{phones['drops']} dropped connections; {phones['pongs']} pongs; {len(phones['errors'])} errors")
    told = sorted(told_after(phones["arrivals"], change_moments))
    if told:
        print(f"told: each change reached its last phone p50 {told[len(told) // 2]:.0f} ms, max {told[-1]:.0f} ms "
              f"after its PATCH was sent ({len(told)} changes)")
    for line in sorted(set(phones["errors"]))[:5]:
        print(f"  phone error: {line}")
    for example in phones["examples"]:
        print(f"  phone expected {example['expected']}, its last seqs: {example['got']}")
    print(f"server RSS: start {memory.start / 1024:.0f} MiB, after warm-up {memory.warm / 1024:.0f} MiB, "
          f"end {memory.end / 1024:.0f} MiB; growth after warm-up {memory.growth:+.1f} %")
    limit = args.target_p99 or (P99_TARGETS_MS.get(args.rate_factor))
    checks = {"0 errors": errors == 0, "no phone missed a change": phones["incomplete"] == 0,
              "every scan stored exactly once": stored == scanned,
              f"memory growth < {MEMORY_TARGET:g} %": memory.growth < MEMORY_TARGET,
              f"every phone told within {TOLD_TARGET_MS / 1000:g} s": bool(told) and told[-1] <= TOLD_TARGET_MS}
    if limit:
        worst = max(samples[k].percentile(0.99) for k in ("scans", "checkins", "reads"))
        checks[f"scan, check-in and read p99 <= {limit:g} ms (worst {worst:.1f})"] = worst <= limit
    print("targets: " + ", ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks.items())
          + f" ({errors} errors)")
    return all(checks.values())


def profiler(output: str | None) -> tuple[str, ...]:
    if not output:
        return ()
    return (str(Path(PYTHON).parent / "py-spy"), "record", "-r", "100", "-f", "raw", "-o", output, "--")


async def _drop_database(postgres: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{postgres.replace('postgres://', 'postgresql://')}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the load (default 10)")
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--per-process", type=int, default=250, help="phones per client process")
    parser.add_argument("--rate-factor", type=float, default=1.0, help="multiply scans, check-ins and reads")
    parser.add_argument("--phone-niceness", type=int, default=0,
                        help="run the phone processes at this niceness (e.g. 19: at the fair the phones are "
                             "other devices; here, when 2,000 of them wake for a change, they take the cores "
                             "from the server and the scanners' load generator)")
    parser.add_argument("--profile", metavar="FILE", help="run the server under py-spy; collapsed stacks to FILE")
    parser.add_argument("--target-p99", type=float, default=0.0, help="p99 target in ms (default by rate factor)")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite",
                        help="sqlite: 1 worker; postgres: 2 workers with Redis")
    parser.add_argument("--postgres", default=os.environ.get("MESSE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("MESSE_TEST_REDIS", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    limit = raise_file_limit()
    if args.per_process + 100 > limit:
        parser.error(f"{args.per_process} phones per process exceed the open-file limit {limit}")
    name = f"messe_soak_{uuid.uuid4().hex[:8]}"
    database_url, workers = None, 1
    if args.database == "postgres":
        database_url, workers = f"{args.postgres}/{name}", 2
        os.environ["MESSE_REDIS_URL"] = args.redis  # the server inherits it (start_live_server)
    else:
        os.environ.pop("MESSE_REDIS_URL", None)
    with tempfile.TemporaryDirectory(prefix="messe-soak-") as folder:
        started = time.monotonic()
        server = start_live_server(Path(folder), database_url=database_url, attendees=None,
                                   exhibitor_tokens=EXHIBITORS * math.ceil(args.rate_factor),
                                   door_tokens=math.ceil(DOOR_LANES * args.rate_factor),
                                   workers=workers,
                                   prefix=profiler(args.profile))
        print(f"fair seeded and served in {time.monotonic() - started:.1f} s ({len(server.attendees)} attendees, "
              f"{len(server.exhibitor_tokens)} exhibitor tokens, {workers} worker(s))", flush=True)
        try:
            passed = asyncio.run(run_soak(server, args))
        finally:
            server.stop()
            if database_url:
                asyncio.run(_drop_database(args.postgres, name))
    return 0 if passed else 1


def _entry() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_phones":
        import uvloop

        uvloop.run(_phone_process(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
        return 0
    return main()


if __name__ == "__main__":
    sys.exit(_entry())
