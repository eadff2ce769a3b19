"""An attendee let in at a door."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CheckIn(Model):
    """One per attendee (a unique index, migration 0010): the first scan lets them in."""

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="checkins", on_delete=fields.CASCADE)
    attendee = fields.ForeignKeyField("models.Attendee", related_name="checkins", on_delete=fields.CASCADE)
    client_id = fields.CharField(max_length=64, unique=True)
    badge_version = fields.IntField(default=1)
    door = fields.CharField(max_length=80, default="")
    account = fields.ForeignKeyField(
        "models.Account", related_name="checkins", null=True, on_delete=fields.SET_NULL
    )
    checked_in_at = fields.DatetimeField()

    class Meta:
        table = "checkin"
        ordering = ["checked_in_at"]


class DeskGrant(Model):
    """A door staffer may serve an attendee they just found at the desk (or registered as a walk-in):
    check them in by hand, reprint and download their badge, until ``expires_at``.

    ``staffer`` is the principal's device key (one per signed-in staffer or API token), so one
    staffer's search never opens anyone to another staffer.
    """

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="desk_grants", on_delete=fields.CASCADE)
    attendee = fields.ForeignKeyField("models.Attendee", related_name="desk_grants", on_delete=fields.CASCADE)
    staffer = fields.CharField(max_length=80)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "desk_grant"
        unique_together = (("staffer", "attendee"),)
