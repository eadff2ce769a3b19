"""Telling speakers that their published talk has moved, changed stage or been cancelled.

Every change-log row reaches the live runtime's observers once its unit of work has committed,
whichever path made it (the API, the admin's forms, a published release, a stage swap); the
application hands those rows to :class:`SpeakerNotices`, which returns at once. Its one task then
mails each speaker of the talk who has an e-mail address, in the speaker's language (or the
talk's), with the old and new time and place and an iTIP invitation (RFC 5546): the programme
feed's UID and SEQUENCE, ``METHOD:REQUEST`` for a move and ``METHOD:CANCEL`` for a cancellation, so
the speaker's calendar updates the meeting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr

from icalendar import Calendar, vCalAddress

from messe.common.audit import record as audit
from messe.common.background import Background
from messe.common.models import Event
from messe.common.unit_of_work import unit_of_work
from messe.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_clock, format_day, gettext_for
from messe.people.domain.mailing import MailError, send_mails
from messe.programme.domain.changelog import Kind
from messe.programme.domain.ical import PRODID, talk_vevent
from messe.programme.domain.programme import NO_STAGE
from messe.programme.domain.site import Site
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.models import ScheduleChange, Speaker, Talk

log = logging.getLogger("messe")

NOTIFIED = (Kind.MOVED, Kind.RETIMED, Kind.RESTAGED, Kind.CANCELLED)
ACTOR = "messe (besked til talerne)"

SUBJECTS = {
    Kind.MOVED: "Dit foredrag '{title}' er flyttet",
    Kind.RETIMED: "Dit foredrag '{title}' har fået et nyt tidspunkt",
    Kind.RESTAGED: "Dit foredrag '{title}' er flyttet til en anden scene",
    Kind.CANCELLED: "Dit foredrag '{title}' er aflyst",
}
MOVED = "Dit foredrag '{title}' på {event} er flyttet."
CANCELLED = "Dit foredrag '{title}' på {event} er aflyst."
BEFORE = "Før: {when}, {place}"
NOW = "Nu: {when}, {place}"
PLANNED = "Det skulle have været: {when}, {place}"
WHEN = "{day} kl. {start}-{end}"
ATTACHED = "Den vedhæftede kalenderfil opdaterer aftalen i din kalender."
GREETING = "Kære {name}"
REGARDS = "Venlig hilsen"


@dataclass(frozen=True)
class Outbox:
    """Where the mails go out, and the address for the links and UIDs in them."""

    smtp_url: str
    sender: str
    base_url: str


@dataclass(frozen=True)
class Notice:
    change: ScheduleChange
    outbox: Outbox


def mail_language(speaker: Speaker, talk: Snapshot) -> str:
    """The speaker's own choice, else the talk's language, else Danish."""
    for choice in (speaker.language, talk.get("language")):
        if choice in LANGUAGES:
            return choice
    return DEFAULT_LANGUAGE


def when_and_where(talk: Snapshot, event: Event, language: str) -> dict[str, str]:
    """The talk's day, time (in the event's time zone) and stage, in ``language``."""
    _ = gettext_for(language)
    starts, ends = parse_time(talk["starts_at"]), parse_time(talk["ends_at"])
    stage = talk.get("stage") or NO_STAGE
    place = ", ".join(p for p in (_(stage["name"]), stage.get("hall", "")) if p)
    when = _(WHEN).format(day=format_day(starts, event.timezone, language),
                          start=format_clock(starts, event.timezone, language),
                          end=format_clock(ends, event.timezone, language))
    return {"when": when, "place": place}


def invitation(talk: Snapshot, event: Event, site: Site, *, sender: str, speaker: tuple[str, str],
               language: str) -> bytes:
    """The talk as an iTIP message to one speaker: a changed meeting, or a cancelled one."""
    cancelled = talk["state"] == "cancelled"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    vevent = talk_vevent(talk, event, site, gettext_for(language)("Aflyst") + ": ")
    sender_name, sender_address = parseaddr(sender)
    organizer = vCalAddress(f"mailto:{sender_address}")
    organizer.params["cn"] = sender_name or event.name
    vevent.add("organizer", organizer)
    name, address = speaker
    attendee = vCalAddress(f"mailto:{address}")
    attendee.params.update({"cn": name, "role": "REQ-PARTICIPANT"})
    vevent.add("attendee", attendee)
    cal.add_component(vevent)
    return cal.to_ical()


def speaker_mail(change: ScheduleChange, event: Event, speaker: Speaker, outbox: Outbox) -> EmailMessage:
    """The mail telling ``speaker`` of ``change`` (a move, restage, retime or cancellation)."""
    before, after = change.before or {}, change.after or {}
    language = mail_language(speaker, after)
    _ = gettext_for(language)
    values = {"title": after["title"], "event": event.name}
    if change.kind == Kind.CANCELLED:
        lines = [_(CANCELLED).format(**values), _(PLANNED).format(**when_and_where(before, event, language))]
    else:
        lines = [_(MOVED).format(**values), _(BEFORE).format(**when_and_where(before, event, language)),
                 _(NOW).format(**when_and_where(after, event, language))]
    body = "\n\n".join([_(GREETING).format(name=speaker.name), *lines[:1], "\n".join(lines[1:]), _(ATTACHED),
                        f"{_(REGARDS)}\n{event.name}"])
    message = EmailMessage()
    message["From"] = outbox.sender
    message["To"] = formataddr((speaker.name, speaker.email))
    message["Subject"] = _(SUBJECTS[change.kind]).format(**values)
    message["Message-ID"] = make_msgid(domain=parseaddr(outbox.sender)[1].rpartition("@")[2] or None)
    message.set_content(body + "\n")
    ics = invitation(after, event, Site(base_url=outbox.base_url, version=""), sender=outbox.sender,
                     speaker=(speaker.name, speaker.email), language=language)
    method = "CANCEL" if change.kind == Kind.CANCELLED else "REQUEST"
    message.add_attachment(ics.decode(), subtype="calendar", filename="foredrag.ics", params={"method": method})
    message["Content-Language"] = language  # last: making the mail multipart moves content headers inward
    return message


async def tell_speakers(notice: Notice) -> None:
    """Mail the speakers of ``notice.change`` who have an address; the audit log says how many got it."""
    change, outbox = notice.change, notice.outbox
    if change.kind not in NOTIFIED or not change.before or not change.after:
        return
    speaker_ids = [s["id"] for s in change.after.get("speakers", [])]
    speakers = await Speaker.filter(event_id=change.event_id, id__in=speaker_ids).exclude(email="").order_by("id")
    if not speakers:
        return
    event = await Event.get(id=change.event_id)
    messages = [speaker_mail(change, event, speaker, outbox) for speaker in speakers]
    try:
        report = await send_mails(outbox.smtp_url, messages)
    except MailError as exc:
        log.warning("speakers of talk %s were not told of change %s: %s", change.talk_id, change.seq, exc)
        return
    talk = await Talk.get_or_none(id=change.talk_id, event=event)
    async with unit_of_work():
        await audit(event, ACTOR, "talk.speakers_told", talk, kind=change.kind, seq=change.seq,
                    title=change.after["title"], sent=[speakers[i].name for i in report.sent],
                    refused=[speakers[i].name for i in report.refused])


class SpeakerNotices(Background[Notice]):
    """The speakers' mails, sent one change at a time off the request path."""

    def __init__(self, room: int = 1000) -> None:
        super().__init__("speaker-notices", tell_speakers, room)

    def changes_published(self, changes: list[ScheduleChange], outbox: Outbox | None) -> None:
        """Queue the changes speakers are told of and return at once; without an outbox, none."""
        if outbox is None:
            return
        for change in changes:
            if change.kind in NOTIFIED:
                self.ask(Notice(change, outbox))
