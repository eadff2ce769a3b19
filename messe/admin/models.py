"""What the admin keeps for itself: uploads waiting for their import, and the like."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PendingImport(Model):
    """An uploaded file waiting for the organiser to confirm its import after the preview.

    The file itself is kept (base64) and read again on confirmation, so what is imported is
    checked against the database as it is at that moment.
    """

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="pending_imports", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=20)
    filename = fields.CharField(max_length=200, default="")
    content = fields.TextField()
    options = fields.JSONField(default=dict)
    created_by = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "pending_import"
