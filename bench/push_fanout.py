#!/usr/bin/env python
"""Web Push fan-out benchmark: one move of a talk that 600 of 2,000 subscribed attendees starred.

Starts the real server (SQLite, 1 worker, as bench/live_fanout.py does) allowed to push to a local
push service (``MESSE_PUSH_HOSTS=http://127.0.0.1``), a push service in a subprocess that decrypts
every push (aes128gcm, with the browsers' key) to learn which change it is about and answers 201
after ``--latency`` ms (a remote push service is not instant), and N websocket phones. It gives
every attendee a push subscription and has ``--starred`` of them star one talk, then measures in
the same run:

- one move of the starred talk: the time from the API call until the push service accepted the
  last of its pushes;
- the websocket fan-out (API call → each phone's receipt) for moves of a talk nobody starred,
  first with no push in flight, then right after the starred talk's move, while its pushes are
  being sent.

    .venv/bin/python bench/push_fanout.py                      # 2,000 phones, 600 starred, 5 moves each
    .venv/bin/python bench/push_fanout.py --changes 10 --latency 100
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.live_fanout import (
    PYTHON,
    MesseServer,
    clients,
    free_port,
    percentile,
    raise_file_limit,
    run_role,
    wait_for_port,
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# The push service (role "_push")


async def _push_service(port: int, private_pem: str, auth: str, latency_ms: float) -> None:
    import http_ece
    from aiohttp import web
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(base64.b64decode(private_pem), password=None)
    secret = base64.urlsafe_b64decode(auth + "==")
    accepted: dict[int, list[int]] = {}

    async def push(request: web.Request) -> web.Response:
        body = await request.read()
        seq = json.loads(http_ece.decrypt(body, private_key=key, auth_secret=secret, version="aes128gcm"))["seq"]
        if latency_ms:
            await asyncio.sleep(latency_ms / 1000)
        accepted.setdefault(seq, []).append(time.monotonic_ns())
        return web.Response(status=201)

    async def report(request: web.Request) -> web.Response:
        return web.json_response(accepted)

    application = web.Application()
    application.router.add_get("/report", report)
    application.router.add_post("/{tail:.*}", push)
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
    await asyncio.Future()


# Subscriptions and stars, written straight into the server's database (role "_subscribe")


async def _subscribe(database_url: str, push_url: str, talk_id: int, starred: int, p256dh: str, auth: str) -> None:
    from tortoise import Tortoise

    from messe.db import tortoise_config
    from messe.people.models import Attendee, Bookmark
    from messe.push.models import PushSubscription

    await Tortoise.init(config=tortoise_config(database_url))
    try:
        ids = await Attendee.all().order_by("id").values_list("id", flat=True)
        await PushSubscription.bulk_create([PushSubscription(attendee_id=a, endpoint=f"{push_url}/{a}", p256dh=p256dh,
                                                             auth=auth) for a in ids], batch_size=500)
        await Bookmark.bulk_create([Bookmark(attendee_id=a, talk_id=talk_id) for a in ids[:starred]], batch_size=500)
        print(json.dumps({"subscribed": len(ids), "starred": min(starred, len(ids))}), flush=True)
    finally:
        await Tortoise.close_connections()


def wait_for_pushes(push_url: str, count: int, timeout: float = 120) -> dict[int, list[int]]:
    """What the push service accepted, per change seq, once it has ``count`` pushes (or at the timeout)."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        accepted = {int(seq): times for seq, times in httpx.get(f"{push_url}/report").json().items()}
        if sum(map(len, accepted.values())) >= count or time.monotonic() > deadline:
            return accepted
        time.sleep(0.2)


class PushingServer(MesseServer):
    """The messe server of bench/live_fanout.py, allowed to push to 127.0.0.1."""

    def __init__(self) -> None:
        super().__init__("sqlite", 1, "messe.app:create_app", "", "")
        self.env["MESSE_PUSH_HOSTS"] = "http://127.0.0.1"
        self.moved: dict[int, int] = {}

    def move(self, talk_id: int) -> int:
        """Move ``talk_id`` to its other slot; when the API call was made (monotonic ns)."""
        self.moved[talk_id] = self.moved.get(talk_id, 0) + 1
        sent = time.monotonic_ns()
        self.http.patch(f"/api/talks/{talk_id}", json={
            "starts_at": self.slots[self.moved[talk_id] % 2].isoformat()}).raise_for_status()
        return sent


def _ms(times: list[int], sent: int) -> list[float]:
    return [(t - sent) / 1e6 for t in times]


def _line(name: str, samples: list[float]) -> str:
    return (f"{name:<40} p50 {percentile(samples, 0.5):6.1f} ms  p99 {percentile(samples, 0.99):6.1f} ms  "
            f"max {max(samples):6.1f} ms  ({len(samples)} receipts)")


def main() -> int:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000, help="websocket phones")
    parser.add_argument("--starred", type=int, default=600, help="subscribed attendees who star the moved talk")
    parser.add_argument("--changes", type=int, default=5, help="moves of each talk")
    parser.add_argument("--latency", type=float, default=20.0, help="ms the push service takes to accept a push")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between moves")
    args = parser.parse_args()
    per_process = max(250, -(-args.clients // 8))
    raise_file_limit()

    browser = ec.generate_private_key(ec.SECP256R1())  # one key pair for every browser: the server cannot tell
    p256dh = _b64(browser.public_key().public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint))
    auth = _b64(os.urandom(16))
    pem = base64.b64encode(browser.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption())).decode()
    push_port = free_port()
    push_url = f"http://127.0.0.1:{push_port}"
    service = subprocess.Popen([PYTHON, __file__, "_push", str(push_port), pem, auth, str(args.latency)])
    wait_for_port(push_port)
    server = PushingServer()
    received: dict[int, list[int]] = {}
    sent: dict[int, tuple[str, int]] = {}
    errors = 0
    try:
        with server:
            starred_talk = server.talk_id
            stage = server.http.post("/api/stages", json={"code": "quiet", "name": "Den stille scene"}).json()
            quiet = server.http.post("/api/talks", json={
                "title": "Ingen har stjernemarkeret", "starts_at": server.slots[0].isoformat(),
                "ends_at": server.slots[0].replace(minute=20).isoformat(), "stage_id": stage["id"]})
            quiet.raise_for_status()
            done = subprocess.run([PYTHON, __file__, "_subscribe", server.database, push_url, str(starred_talk),
                                   str(args.starred), p256dh, auth], env=server.env, capture_output=True, text=True,
                                  check=True)
            print(f"{args.clients} phones; {done.stdout.strip()}; push service latency {args.latency:g} ms; "
                  f"interval {args.interval:g} s; {os.cpu_count()} CPUs", flush=True)
            since = server.since()
            with clients(server.url, args.clients, per_process, since) as processes:
                time.sleep(3 + args.clients / 2000)  # messe settles its heap once connections are quiet
                quiet_id = quiet.json()["id"]
                seq = since

                def move(talk_id: int, label: str) -> None:
                    nonlocal seq
                    seq += 1
                    sent[seq] = (label, server.move(talk_id))
                    time.sleep(args.interval)

                move(quiet_id, "warm-up")
                move(starred_talk, "warm-up")
                wait_for_pushes(push_url, args.starred)
                for _ in range(args.changes):
                    move(quiet_id, "without")
                # The one timed move of the starred talk; while its pushes are in flight, the quiet
                # talk moves again, and those fan-outs are measured "with pushes in flight".
                move(starred_talk, "starred")
                for _ in range(args.changes):
                    move(quiet_id, "with")
                accepted = wait_for_pushes(push_url, 2 * args.starred)
                time.sleep(1)
                for process in processes:
                    process.stdin.write("report\n")
                    process.stdin.flush()
                    report = json.loads(process.stdout.readline())
                    for key, times in report["received"].items():
                        received.setdefault(int(key), []).extend(times)
                    errors += len(report["errors"]) + report["closed_early"]
    finally:
        service.terminate()
        service.wait()

    phones: dict[str, list[float]] = {"without": [], "with": [], "starred": []}
    missing = 0
    for key, (label, at) in sent.items():
        missing += args.clients - len(received.get(key, []))
        if label != "warm-up":
            phones[label] += _ms(received.get(key, []), at)
    [(timed, (_, at))] = [(key, value) for key, value in sent.items() if value[0] == "starred"]
    pushes = _ms(accepted.get(timed, []), at)
    in_flight = sum(1 for label, moved in sent.values() if label == "with" and (moved - at) / 1e6 < max(pushes))
    stray = sum(len(accepted.get(key, [])) for key, (label, _) in sent.items() if label in ("without", "with"))
    pushes_missing = args.starred - len(pushes) + stray
    print(f"\nOne move of the starred talk: {len(pushes)} pushes accepted, the first after {min(pushes):.0f} ms, "
          f"the last after {max(pushes):.0f} ms (API call → the push service's 201); pushes missing {pushes_missing}")
    print("\nWebsocket fan-out, API call → each phone's receipt:")
    print(_line("moves with no push in flight", phones["without"]))
    print(_line(f"moves while its pushes were in flight ({in_flight} of {args.changes})", phones["with"]))
    print(_line("the starred talk's move itself", phones["starred"]))
    print(f"errors {errors}, receipts missing {missing}")
    without_p99, with_p99 = percentile(phones["without"], 0.99), percentile(phones["with"], 0.99)
    print(f"websocket fan-out p99 without pushes {without_p99:.1f} ms, with pushes in flight {with_p99:.1f} ms "
          f"({with_p99 / without_p99:.2f}×)")
    return 1 if errors or missing or pushes_missing else 0


def _entry() -> int:
    return run_role({
        "_push": lambda a: _push_service(int(a[0]), a[1], a[2], float(a[3])),
        "_subscribe": lambda a: _subscribe(a[0], a[1], int(a[2]), int(a[3]), a[4], a[5]),
    }, main)


if __name__ == "__main__":
    sys.exit(_entry())
