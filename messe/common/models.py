"""The tables every part shares: the event itself, the audit log, and uploads waiting to be imported."""

from tortoise import fields
from tortoise.models import Model


class Event(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=200)
    short_name = fields.CharField(max_length=40, default="")
    venue = fields.CharField(max_length=200, default="")
    address = fields.CharField(max_length=200, default="")
    description = fields.TextField(default="")
    timezone = fields.CharField(max_length=64, default="Europe/Copenhagen")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    is_current = fields.BooleanField(default=True)
    halls = fields.JSONField(default=list)
    # The last ScheduleChange.seq handed out; bumped under a row lock so seq is gap-free.
    last_seq = fields.BigIntField(default=0)
    published_version = fields.CharField(max_length=80, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "event"

    def __str__(self) -> str:
        return self.name


class AuditEntry(Model):
    id = fields.BigIntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="audit_entries", on_delete=fields.CASCADE)
    actor = fields.CharField(max_length=200, default="")
    action = fields.CharField(max_length=60)
    # What the audit log's reader filters by (talk.moved, checkin.created…): the action, made more
    # precise where one action covers several things (a talk's edit that moves or cancels it).
    kind = fields.CharField(max_length=60, default="", db_default="")  # indexed with the event (0008)
    # The writer's role when the entry was made on their request (organiser, door, exhibitor).
    actor_role = fields.CharField(max_length=20, default="", db_default="")
    object_type = fields.CharField(max_length=40, default="")
    object_id = fields.CharField(max_length=40, default="")
    detail = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_entry"
        ordering = ["-id"]


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
