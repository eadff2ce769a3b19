"""Programme records. Times are stored in UTC; the event's time zone is for display."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Stage(Model):
    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="stages", on_delete=fields.CASCADE)
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=120)
    hall = fields.CharField(max_length=20, default="")
    capacity = fields.IntField(default=0)
    position = fields.IntField(default=0)

    class Meta:
        table = "stage"
        unique_together = (("event", "code"),)
        ordering = ["position", "id"]


class Track(Model):
    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="tracks", on_delete=fields.CASCADE)
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=120)
    color = fields.CharField(max_length=7, default="#1f4e79")

    class Meta:
        table = "track"
        unique_together = (("event", "code"),)
        ordering = ["name"]


class Speaker(Model):
    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="speakers", on_delete=fields.CASCADE)
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=200)
    organisation = fields.CharField(max_length=200, default="")
    job_title = fields.CharField(max_length=200, default="")
    bio = fields.TextField(default="")
    # Where the speaker is told when their published talk moves or is cancelled (never public).
    email = fields.CharField(max_length=254, default="", db_default="")
    # The language of those mails ("da" or "en"); "" follows the talk's language.
    language = fields.CharField(max_length=2, default="", db_default="")

    class Meta:
        table = "speaker"
        unique_together = (("event", "code"),)
        ordering = ["name"]


class TalkState:
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    ALL = (DRAFT, PUBLISHED, CANCELLED)


class Talk(Model):
    """A talk as the organisers edit it.

    ``published`` holds the snapshot attendees see (None until first published), so
    the draft can differ from the public programme until the organiser publishes.
    """

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="talks", on_delete=fields.CASCADE)
    code = fields.CharField(max_length=40)
    title = fields.CharField(max_length=300)
    abstract = fields.TextField(default="")
    language = fields.CharField(max_length=8, default="da")
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    stage = fields.ForeignKeyField(
        "models.Stage", related_name="talks", null=True, on_delete=fields.SET_NULL
    )
    track = fields.ForeignKeyField(
        "models.Track", related_name="talks", null=True, on_delete=fields.SET_NULL
    )
    state = fields.CharField(max_length=12, default=TalkState.DRAFT)
    speakers = fields.ManyToManyField("models.Speaker", related_name="talks", through="talk_speaker")
    published = fields.JSONField(null=True)
    # Bumped on every saved edit; the API's ETag and the admin's optimistic concurrency use it.
    revision = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "talk"
        unique_together = (("event", "code"),)
        ordering = ["starts_at", "id"]


class ScheduleChange(Model):
    """One entry of the event's change log (DESIGN.md, "The change log")."""

    id = fields.BigIntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="changes", on_delete=fields.CASCADE)
    seq = fields.BigIntField()
    kind = fields.CharField(max_length=20)
    talk_id = fields.IntField(null=True)
    before = fields.JSONField(null=True)
    after = fields.JSONField(null=True)
    message = fields.JSONField(null=True)
    version = fields.CharField(max_length=80, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "schedule_change"
        unique_together = (("event", "seq"),)
        ordering = ["seq"]


class ScheduleRelease(Model):
    """A named publication of the draft, like a pretalx release."""

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="releases", on_delete=fields.CASCADE)
    version = fields.CharField(max_length=80)
    comment = fields.TextField(default="")
    seq = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "schedule_release"
        unique_together = (("event", "version"),)
        ordering = ["-id"]
