#!/usr/bin/env python
"""Public reads: messe against the same bytes served from memory by a bare Starlette app.

    .venv/bin/python bench/programme_read.py                 # 3 s per measurement, 2 rounds
    .venv/bin/python bench/programme_read.py --seconds 8 --rounds 3 --connections 64

The seeded fair is served by uvicorn (SQLite, one process) as ``messe demo`` serves it. Every
public read an anonymous phone makes is fetched once to capture its bytes, gzip body and ETag; a
bare Starlette app (bench/bare_server.py) then serves exactly those bytes under the same uvicorn
stack. wrk (``wrk -t2 -cN``) loads each path three ways (200, gzip, 304 with If-None-Match),
alternating messe and baseline within each round; the medians are printed with the ratio
messe/baseline. Target: throughput ≥ 0.8× and p99 within 2× of the baseline for every read.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.support.live_server

from tests.support.live_server import free_port, start_live_server

ROOT = Path(__file__).resolve().parent.parent
READS = ["schedule/export/schedule.json", "schedule/export/schedule.xml", "schedule/export/schedule.ics", "",
         "talks/{talk}", "api/talks?per_page=100", "api/stages", "api/exhibitors"]
KINDS = ("200", "gzip", "304")
THROUGHPUT_TARGET, P99_TARGET = 0.8, 2.0


def fetch(url: str, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as answer:
        return {k.lower(): v for k, v in answer.headers.items()}, answer.read()


def capture(base: str, paths: list[str]) -> dict[str, dict[str, str]]:
    """Each path's identity and gzip bodies and its ETag, as an anonymous phone gets them."""
    captured = {}
    for path in paths:
        headers, body = fetch(base + path, {})
        _, zipped = fetch(base + path, {"Accept-Encoding": "gzip"})
        if not zipped.startswith(b"\x1f\x8b"):
            zipped = gzip.compress(body)  # messe did not compress: the baseline still serves gzip
        captured[path] = {"type": headers.get("content-type", "application/octet-stream"),
                          "etag": headers.get("etag", '"bench"'), "identity": base64.b64encode(body).decode(),
                          "gzip": base64.b64encode(zipped).decode()}
    return captured


def wrk(url: str, headers: dict[str, str], seconds: float, connections: int) -> tuple[float, float, int]:
    """Requests/s, p99 ms and non-2xx/3xx count from one wrk run."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99, int(bad.group(1)) if bad else 0


def headers_for(kind: str, entry: dict[str, str]) -> dict[str, str]:
    if kind == "gzip":
        return {"Accept-Encoding": "gzip"}
    if kind == "304":
        return {"If-None-Match": entry["etag"]}
    return {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="alternating repeats; medians are printed")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--only", default="", help="measure only reads whose path contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="messe-read-") as folder:
        server = start_live_server(Path(folder), attendees=None)
        bare = None
        try:
            base = server.url("")
            talks = json.loads(fetch(base + "api/talks?per_page=1", {})[1])["items"]
            paths = [p.replace("{talk}", str(talks[0]["id"])) for p in READS if args.only in p]
            captured = capture(base, paths)
            capture_file = Path(folder) / "capture.json"
            capture_file.write_text(json.dumps({f"/{server.event}/{p}": e for p, e in captured.items()}))
            port = free_port()
            bare = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_server.py"), str(capture_file),
                                     str(port)])
            bare_base = f"http://127.0.0.1:{port}/{server.event}/"
            for _ in range(100):
                try:
                    fetch(bare_base + paths[0], {})
                    break
                except OSError:
                    time.sleep(0.1)
            return report(measure(args, paths, captured, base, bare_base), captured)
        finally:
            server.stop()
            if bare is not None:
                bare.terminate()
                bare.wait()


def measure(args: argparse.Namespace, paths: list[str], captured: dict, base: str, bare_base: str) -> dict:
    runs: dict[tuple[str, str, str], list[tuple[float, float, int]]] = {}
    for round_ in range(args.rounds):
        for path in paths:
            for kind in KINDS:
                headers = headers_for(kind, captured[path])
                order = [("messe", base), ("bare", bare_base)]
                for name, root in order if round_ % 2 == 0 else order[::-1]:
                    runs.setdefault((path, kind, name), []).append(
                        wrk(root + path, headers, args.seconds, args.connections))
        print(f"round {round_ + 1} of {args.rounds} done", flush=True)
    return runs


def report(runs: dict, captured: dict) -> int:
    print(f"\n{'read':<34} {'kind':<5} {'KB':>6} {'messe r/s':>10} {'p99 ms':>7} {'bare r/s':>9} {'p99 ms':>7} "
          f"{'ratio':>6} {'p99x':>5} {'errors':>6}")
    missed = 0
    for path, kind in dict.fromkeys((p, k) for p, k, _ in runs):
        messe, bare = runs[(path, kind, "messe")], runs[(path, kind, "bare")]
        rate, p99 = statistics.median(r for r, _, _ in messe), statistics.median(p for _, p, _ in messe)
        bare_rate, bare_p99 = statistics.median(r for r, _, _ in bare), statistics.median(p for _, p, _ in bare)
        errors = sum(e for _, _, e in messe)
        size = len(base64.b64decode(captured[path]["gzip" if kind == "gzip" else "identity"])) / 1024
        ratio, p99_ratio = rate / bare_rate, p99 / bare_p99
        ok = ratio >= THROUGHPUT_TARGET and p99_ratio <= P99_TARGET and errors == 0
        missed += not ok
        print(f"{'/' + path:<34} {kind:<5} {0 if kind == '304' else size:>6.1f} {rate:>10.0f} {p99:>7.1f} "
              f"{bare_rate:>9.0f} {bare_p99:>7.1f} {ratio:>5.2f}x {p99_ratio:>4.1f}x {errors:>6}"
              f"{'' if ok else '  MISSED'}")
    print(f"targets (≥ {THROUGHPUT_TARGET}× throughput, p99 ≤ {P99_TARGET:g}× the baseline, 0 errors): "
          f"{len(runs) // 2 - missed} of {len(runs) // 2} met")
    return 0 if missed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
