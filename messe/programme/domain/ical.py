"""The programme as an iCalendar feed (RFC 5545) that calendars can subscribe to.

UIDs are stable per talk, SEQUENCE is the talk's published revision (bumped with every change
attendees see), and a cancelled talk stays in the feed with STATUS:CANCELLED so that
subscribed calendars remove it.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent

from messe.common.models import Event
from messe.programme.domain.programme import Programme
from messe.programme.domain.site import Site
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.models import TalkState

PRODID = "-//messe//Digitaliseringsmessen//DA"


def talk_uid(event_slug: str, talk_id: int, base_url: str) -> str:
    host = urlsplit(base_url).hostname or "messe.invalid"
    return f"{event_slug}-talk-{talk_id}@{host}"


def talk_vevent(talk: Snapshot, event: Event, site: Site, cancelled_prefix: str) -> VEvent:
    """One published talk as the feed shows it (the same UID and SEQUENCE wherever it is sent)."""
    cancelled = talk["state"] == TalkState.CANCELLED
    vevent = VEvent()
    vevent.add("uid", talk_uid(event.slug, talk["id"], site.base_url))
    vevent.add("dtstamp", parse_time(talk["changed_at"]))
    vevent.add("last-modified", parse_time(talk["changed_at"]))
    vevent.add("sequence", talk.get("sequence", 0))
    vevent.add("dtstart", parse_time(talk["starts_at"]))
    vevent.add("dtend", parse_time(talk["ends_at"]))
    vevent.add("summary", f"{cancelled_prefix}{talk['title']}" if cancelled else talk["title"])
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if talk.get("stage"):
        stage = talk["stage"]
        vevent.add("location", ", ".join(p for p in (stage["name"], stage.get("hall"), event.venue) if p))
    speakers = ", ".join(s["name"] for s in talk.get("speakers", []))
    description = "\n\n".join(p for p in (speakers, talk.get("abstract", "")) if p)
    if description:
        vevent.add("description", description)
    if talk.get("track"):
        vevent.add("categories", [talk["track"]["name"]])
    vevent.add("url", site.talk_url(event.slug, talk["id"]))
    return vevent


def calendar(programme: Programme, site: Site, cancelled_prefix: str = "Aflyst: ", name: str = "") -> bytes:
    event = programme.event
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name or event.name)
    cal.add("x-wr-timezone", event.timezone)
    cal.add("refresh-interval", timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    for talk in programme.talks:
        cal.add_component(talk_vevent(talk, event, site, cancelled_prefix))
    return cal.to_ical()
