"""Finding attendees by name, organisation or e-mail, and by role."""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from messe.common.models import Event
from messe.people.models import Attendee, AttendeeRole


def attendee_query(event: Event, text: str = "", role: str = "") -> QuerySet[Attendee]:
    """The event's attendees matching every word of ``text`` (in name, organisation or e-mail),
    with that ``role`` if one is given, by name."""
    query = Attendee.filter(event=event, erased_at=None)
    for word in text.split()[:8]:
        query = query.filter(Q(name__icontains=word) | Q(email__icontains=word)
                             | Q(organisation__name__icontains=word))
    if role in AttendeeRole.ALL:
        query = query.filter(role=role)
    return query.order_by("name", "id")
