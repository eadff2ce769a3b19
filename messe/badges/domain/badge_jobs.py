"""Printing a batch of badges in the background, with progress anyone can read.

A job is two files in ``badges/out/jobs/``: ``<event>-<id>.json`` (state and progress, rewritten a
few times a second while the PDF renders) and ``<event>-<id>.pdf``. Keeping the state in a file
rather than in memory lets every worker process of the server on this machine report progress
and hand out the PDF, whichever of them renders it. Jobs are forgotten after a day.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from messe.badges.domain.batch import render_batch
from messe.badges.domain.files import OUT_DIR
from messe.badges.domain.layouts import Layout
from messe.badges.domain.printing import badge_data, mark_printed
from messe.common.audit import record
from messe.common.models import Event
from messe.common.unit_of_work import unit_of_work
from messe.people.models import Attendee

log = logging.getLogger("messe.admin")

JOBS_DIR = OUT_DIR / "jobs"
KEEP = timedelta(days=1)
STALLED = timedelta(minutes=2)  # a running job whose file is this old was cut off (a restart)
SAVE_EVERY = 0.25  # seconds between progress writes
JOB_ID = re.compile(r"^[0-9a-f]{16}$")


class JobState:
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class BadgeJob:
    id: str
    event: str  # the event's slug
    total: int
    layout: str
    filters: dict[str, Any]
    reprint: bool
    created_by: str
    created_at: str
    attendee_ids: list[int] = field(default_factory=list)  # whose badges the PDF holds (erasure removes it)
    done: int = 0
    state: str = JobState.RUNNING
    error: str = ""
    finished_at: str = ""
    _saved: float = field(default=0.0, repr=False, compare=False)

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    @property
    def name(self) -> str:
        return f"{self.event}-{self.id}"

    def public(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


class JobStore:
    def __init__(self, folder: Path = JOBS_DIR) -> None:
        self.folder = folder

    def _state_file(self, event: str, job_id: str) -> Path:
        return self.folder / f"{event}-{job_id}.json"

    def pdf(self, job: BadgeJob) -> Path:
        return self.folder / f"{job.name}.pdf"

    def save(self, job: BadgeJob) -> None:
        """Write the job's state atomically, so a reader never sees half a file."""
        target = self._state_file(job.event, job.id)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(job.public(), ensure_ascii=False))
        os.replace(partial, target)
        job._saved = time.monotonic()

    def create(self, event: Event, attendee_ids: Sequence[int], *, layout: str, filters: dict[str, Any],
               reprint: bool, actor: str) -> BadgeJob:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._forget_old()
        job = BadgeJob(id=secrets.token_hex(8), event=event.slug, total=len(attendee_ids), layout=layout,
                       filters=filters, reprint=reprint, created_by=actor, created_at=datetime.now(UTC).isoformat(),
                       attendee_ids=list(attendee_ids))
        self.save(job)
        return job

    def load(self, event: Event, job_id: str) -> BadgeJob | None:
        if not JOB_ID.match(job_id):
            return None
        path = self._state_file(event.slug, job_id)
        try:
            data = json.loads(path.read_text())
            age = time.time() - path.stat().st_mtime
        except (OSError, ValueError):
            return None
        job = BadgeJob(**data)
        if job.state == JobState.RUNNING and age > STALLED.total_seconds():
            job.state, job.error = JobState.FAILED, "Udskrivningen blev afbrudt, fx af en genstart af serveren"
        return job

    def recent(self, event: Event, limit: int = 10) -> list[BadgeJob]:
        if not self.folder.exists():
            return []
        files = sorted(self.folder.glob(f"{event.slug}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        jobs = (self.load(event, path.stem.removeprefix(f"{event.slug}-")) for path in files[:limit])
        return [job for job in jobs if job is not None]

    def forget_people(self, event: Event, attendee_ids: set[int]) -> None:
        """Remove every job (state and PDF) of ``event`` that holds a badge of one of ``attendee_ids``;
        jobs from before the ids were kept are removed too, as they may."""
        if not self.folder.exists():
            return
        for path in self.folder.glob(f"{event.slug}-*.json"):
            try:
                held = set(json.loads(path.read_text()).get("attendee_ids") or ())
            except (OSError, ValueError):
                held = set()
            if not held or held & attendee_ids:
                path.with_suffix(".pdf").unlink(missing_ok=True)
                path.unlink(missing_ok=True)

    def _forget_old(self) -> None:
        cutoff = time.time() - KEEP.total_seconds()
        for path in self.folder.glob("*-*.*"):
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)


JOBS = JobStore()
"""The server's badge jobs (tests point it at a temporary folder)."""


async def reprint_first(event: Event, attendees: Sequence[Attendee], *, actor: str) -> None:
    """Give the badges a new version before they are rendered; their old badges stop working."""
    async with unit_of_work():
        await mark_printed(list(attendees), reprint=True)
        for attendee in attendees:
            await record(event, actor, "badge.reprinted", attendee, badge_version=attendee.badge_version,
                         name=attendee.name)


async def run_job(store: JobStore, job: BadgeJob, event: Event, attendees: Sequence[Attendee], layout: Layout,
                  key: Ed25519PrivateKey, *, actor: str, workers: int | None = None) -> None:
    """Render the PDF (in a thread; the QR codes on every core), then record the badges as printed."""

    def progress(done: int) -> None:
        job.done = done
        if time.monotonic() - job._saved >= SAVE_EVERY:
            store.save(job)

    try:
        badges = [badge_data(a, event) for a in attendees]
        with store.pdf(job).open("wb") as out:
            await asyncio.to_thread(render_batch, badges, layout, key, out, f"Badges – {event.name}", progress,
                                    workers)
        if not job.reprint:
            async with unit_of_work():
                await mark_printed(list(attendees))
                await record(event, actor, "badges.printed", None, count=len(badges), job=job.id, **job.filters)
        job.state = JobState.DONE
    except Exception as exc:  # the organiser sees why on the progress page
        log.exception("Badge job %s failed", job.name)
        job.state, job.error = JobState.FAILED, str(exc) or type(exc).__name__
    finally:
        job.finished_at = datetime.now(UTC).isoformat()
        store.save(job)
