"""Exhibitors on numbered stands and the leads their staff scan."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Exhibitor(Model):
    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="exhibitors", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=200)
    stand = fields.CharField(max_length=12)
    hall = fields.CharField(max_length=20, default="")
    description = fields.TextField(default="")
    website = fields.CharField(max_length=300, default="")
    # Floor-plan cell of the stand inside its hall (grid units).
    x = fields.IntField(default=0)
    y = fields.IntField(default=0)
    width = fields.IntField(default=1)
    lead_tags = fields.JSONField(default=list)

    class Meta:
        table = "exhibitor"
        unique_together = (("event", "stand"),)
        ordering = ["stand"]


class ExhibitorStaff(Model):
    id = fields.IntField(primary_key=True)
    exhibitor = fields.ForeignKeyField("models.Exhibitor", related_name="staff", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254, default="")
    account = fields.OneToOneField(
        "models.Account", related_name="staff_profile", null=True, on_delete=fields.SET_NULL
    )
    attendee = fields.ForeignKeyField(
        "models.Attendee", related_name="staff_roles", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "exhibitor_staff"
        ordering = ["name"]


class Lead(Model):
    """A visitor scanned by an exhibitor: one per exhibitor and attendee."""

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="leads", on_delete=fields.CASCADE)
    exhibitor = fields.ForeignKeyField("models.Exhibitor", related_name="leads", on_delete=fields.CASCADE)
    attendee = fields.ForeignKeyField("models.Attendee", related_name="leads", on_delete=fields.CASCADE)
    client_id = fields.CharField(max_length=64, unique=True)
    badge_version = fields.IntField(default=1)
    notes = fields.TextField(default="")
    rating = fields.IntField(default=0)
    tags = fields.JSONField(default=list)
    scanned_by = fields.ForeignKeyField(
        "models.Account", related_name="leads_scanned", null=True, on_delete=fields.SET_NULL
    )
    scanned_at = fields.DatetimeField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "lead"
        unique_together = (("exhibitor", "attendee"),)
        ordering = ["-scanned_at"]


class StandBookmark(Model):
    """A stand an attendee saved in "Mit program" (to visit): one per attendee and exhibitor."""

    id = fields.IntField(primary_key=True)
    attendee = fields.ForeignKeyField("models.Attendee", related_name="stand_bookmarks", on_delete=fields.CASCADE)
    exhibitor = fields.ForeignKeyField("models.Exhibitor", related_name="bookmarks", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stand_bookmark"
        unique_together = (("attendee", "exhibitor"),)
