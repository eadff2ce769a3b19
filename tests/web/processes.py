"""A server's processes seen from outside, as an operator sees them (Linux ``/proc``): the worker
processes of a uvicorn master, and which worker holds which client's connection."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def workers(master: int) -> list[int]:
    """The worker processes of a uvicorn master (not its multiprocessing resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == master and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return sorted(found)


def peer_ports(pid: int) -> set[int]:
    """The remote ports of the established IPv4 TCP connections that process ``pid`` holds."""
    sockets = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                sockets.add(target[len("socket:["):-1])
    ports = set()
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "01" and fields[9] in sockets:  # 01: ESTABLISHED
            ports.add(int(fields[2].rsplit(":", 1)[1], 16))
    return ports
