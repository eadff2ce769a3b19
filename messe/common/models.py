"""The audit log's table: every part writes to it, the admin reads it."""

from tortoise import fields
from tortoise.models import Model


class AuditEntry(Model):
    id = fields.BigIntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="audit_entries", on_delete=fields.CASCADE)
    actor = fields.CharField(max_length=200, default="")
    action = fields.CharField(max_length=60)
    object_type = fields.CharField(max_length=40, default="")
    object_id = fields.CharField(max_length=40, default="")
    detail = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entry"
        ordering = ["-id"]
