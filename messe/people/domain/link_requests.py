"""Personal links that attendees ask for by e-mail, mailed in the background.

The page that takes the request answers at once, the same way whether or not the address is
registered (it looks nothing up), and hands the request to this queue; one task per process then
finds the attendee and mails the link. So neither the answer nor its timing tells a stranger who
is coming. The queue is bounded: when a flood fills it, further requests are dropped (and logged),
which the answer does not reveal either.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from messe.common.background import Background
from messe.common.models import Event
from messe.people.domain.attendees import registered_with_email
from messe.people.domain.mailing import MailError, mail_personal_links

log = logging.getLogger("messe")

ROOM = 1000


@dataclass(frozen=True)
class LinkRequest:
    event_id: int
    email: str
    language: str
    smtp_url: str
    sender: str
    base_url: str


class LinkRequests(Background[LinkRequest]):
    def __init__(self, room: int = ROOM) -> None:
        super().__init__("link-requests", _mail, room)


async def _mail(request: LinkRequest) -> None:
    event = await Event.get(id=request.event_id)
    attendee = await registered_with_email(event, request.email)  # never two, even where the address is twice
    if attendee is None:
        return
    try:
        await mail_personal_links(event, [attendee], smtp_url=request.smtp_url, sender=request.sender,
                                  base_url=request.base_url, language=request.language, actor="deltageren selv",
                                  requested=True)
    except MailError as exc:
        log.warning("personal link mail for a requested link failed: %s", exc)
