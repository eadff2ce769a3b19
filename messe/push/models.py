"""Where an attendee's browsers receive Web Push messages."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PushSubscription(Model):
    """A browser's ``PushSubscription``: the push service's address for it and its message keys.

    The endpoint is unique: one browser belongs to whoever signed in on it last.
    """

    id = fields.IntField(primary_key=True)
    attendee = fields.ForeignKeyField("models.Attendee", related_name="push_subscriptions",
                                      on_delete=fields.CASCADE)
    endpoint = fields.CharField(max_length=1000, unique=True)
    p256dh = fields.CharField(max_length=100)
    auth = fields.CharField(max_length=40)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "push_subscription"
