"""Who comes to the fair and who may do what."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OrganisationKind:
    KOMMUNE = "kommune"
    REGION = "region"
    STATSLIG = "statslig myndighed"
    VIRKSOMHED = "virksomhed"
    ANDET = "andet"
    ALL = (KOMMUNE, REGION, STATSLIG, VIRKSOMHED, ANDET)


class AttendeeRole:
    DELTAGER = "deltager"
    UDSTILLER = "udstiller"
    TALER = "taler"
    PRESSE = "presse"
    ARRANGOER = "arrangør"
    ALL = (DELTAGER, UDSTILLER, TALER, PRESSE, ARRANGOER)


class AccountRole:
    ORGANISER = "organiser"
    DOOR = "door"
    EXHIBITOR = "exhibitor"
    ALL = (ORGANISER, DOOR, EXHIBITOR)


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="organisations", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=200)
    kind = fields.CharField(max_length=24, default=OrganisationKind.ANDET)

    class Meta:
        table = "organisation"
        unique_together = (("event", "name"),)
        ordering = ["name"]


class Attendee(Model):
    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="attendees", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=200)
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=40, default="")
    organisation = fields.ForeignKeyField(
        "models.Organisation", related_name="attendees", null=True, on_delete=fields.SET_NULL
    )
    job_title = fields.CharField(max_length=200, default="")
    role = fields.CharField(max_length=16, default=AttendeeRole.DELTAGER)
    consent_share_contact = fields.BooleanField(default=False)
    # The language of the mails the attendee gets and of the app when they sign in ("da" or "en").
    language = fields.CharField(max_length=2, default="da", db_default="da")
    badge_version = fields.IntField(default=1)
    badge_printed_at = fields.DatetimeField(null=True)
    # sha256 of the current personal sign-in link's token; a new link revokes the old one.
    login_token_hash = fields.CharField(max_length=64, null=True, unique=True)
    # sha256 of a link the attendee asked for by e-mail and has not opened yet: opening it makes it the
    # current link (and only then revokes the old one), so a stranger asking cannot cut anyone off.
    pending_token_hash = fields.CharField(max_length=64, null=True, unique=True)
    last_login_at = fields.DatetimeField(null=True)
    # Sessions: a signed-in cookie carries the generation it was issued under and its own id; raising
    # the generation ends every session at once, ``ended_sessions`` lists single ones ended by logout.
    session_generation = fields.IntField(default=1, db_default=1)
    ended_sessions = fields.CharField(max_length=255, default="", db_default="")
    sessions_ended_at = fields.DatetimeField(null=True)
    erased_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "attendee"
        ordering = ["name", "id"]


class Account(Model):
    """A password login for an organiser, a door staffer or an exhibitor's staffer."""

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="accounts", on_delete=fields.CASCADE)
    username = fields.CharField(max_length=120)
    name = fields.CharField(max_length=200, default="")
    password_hash = fields.CharField(max_length=200)
    role = fields.CharField(max_length=16)
    exhibitor = fields.ForeignKeyField(
        "models.Exhibitor", related_name="accounts", null=True, on_delete=fields.CASCADE
    )
    is_active = fields.BooleanField(default=True)
    last_login_at = fields.DatetimeField(null=True)
    # Sessions: a signed-in cookie carries the generation it was issued under and its own id; raising
    # the generation ends every session at once, ``ended_sessions`` lists single ones ended by logout.
    session_generation = fields.IntField(default=1, db_default=1)
    ended_sessions = fields.CharField(max_length=255, default="", db_default="")
    sessions_ended_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account"
        unique_together = (("event", "username"),)
        ordering = ["username"]


class ApiToken(Model):
    """A bearer token for scripts and devices. Only its sha256 is stored."""

    id = fields.IntField(primary_key=True)
    event = fields.ForeignKeyField("models.Event", related_name="api_tokens", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=120, default="")
    token_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharField(max_length=16)
    exhibitor = fields.ForeignKeyField(
        "models.Exhibitor", related_name="api_tokens", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class Bookmark(Model):
    """A starred talk in an attendee's personal schedule."""

    id = fields.IntField(primary_key=True)
    attendee = fields.ForeignKeyField("models.Attendee", related_name="bookmarks", on_delete=fields.CASCADE)
    talk = fields.ForeignKeyField("models.Talk", related_name="bookmarks", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "bookmark"
        unique_together = (("attendee", "talk"),)
