"""What goes on one badge, as plain data, so rendering needs no database."""

from __future__ import annotations

from dataclasses import dataclass

# The attendee roles (messe.people.models.AttendeeRole) in the order layouts list them.
ROLES = ("deltager", "udstiller", "taler", "presse", "arrangør")


@dataclass(frozen=True)
class BadgeData:
    attendee_id: int
    version: int
    name: str
    organisation: str
    job_title: str
    role: str
    event_name: str
    event_slug: str
