"""A scanned badge checked against the database: the attendee it belongs to, or why it is refused.

The signature, the event and the version are checked with ``messe.badges.domain.tokens``; on top
of that a refusal names one reason a person can act on. A bad signature is told apart as
*tampered* (a badge we issued whose printed details were edited: Ed25519 signatures are
deterministic, so the presented signature is exactly ours for the attendee's real details) or
*forged* (a signature we never made).
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from messe.badges.domain import base45
from messe.badges.domain.tokens import (
    MALFORMED,
    OTHER_EVENT,
    PREFIX,
    SIGNATURE_SIZE,
    SUPERSEDED,
    BadgeClaims,
    b64url,
    derive_private_key,
    encode_body,
    public_key_bytes,
    read_unverified,
    refused_badge,
    verify_badge,
)
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.lookup import Lookup
from messe.people.models import Attendee

FORGED = "forged"
TAMPERED = "tampered"
UNKNOWN_ATTENDEE = "unknown_attendee"

MESSAGES = {
    MALFORMED: "Koden er ikke et badge fra messe",
    FORGED: "Falsk badge: signaturen er ikke lavet af arrangøren",
    TAMPERED: "Badget er ændret: navn eller organisation passer ikke til signaturen",
    OTHER_EVENT: "Badget hører til et andet arrangement ({event})",
    SUPERSEDED: "Badget er erstattet af et nyere (version {current}); dette er version {version}",
    UNKNOWN_ATTENDEE: "Badget er gyldigt, men deltageren findes ikke længere",
}
# Attendee ids are 32-bit signed in the database; a badge may claim any unsigned 32-bit id.
_MAX_ATTENDEE_ID = 2**31 - 1
# How many earlier badge versions are tried when telling tampered from forged.
_MAX_VERSIONS_TRIED = 20


def scan_refusal(reason: str, **values: object) -> Refusal:
    """A scanned code that is not a valid, current badge of a known attendee of this event."""
    return refused_badge(reason, MESSAGES[reason], **values)


def client_id_taken(client_id: str) -> Refusal:
    """A scan's ``client_id`` already names another scan (of another visitor)."""
    return Refusal.conflict("client_id {client_id} er allerede brugt til en anden skanning", client_id=client_id)


def public_key_text(secret_key: str, event_slug: str) -> str:
    """The event's public badge key as scanners receive it: raw 32 bytes, base64url."""
    return b64url(public_key_bytes(derive_private_key(secret_key, event_slug)))


def _organisation(attendee: Attendee) -> str:
    return attendee.organisation.name if attendee.organisation else ""


def _is_edited_badge(payload: str, claims: BadgeClaims, attendee: Attendee | None, slug: str,
                     key: Ed25519PrivateKey) -> bool:
    """True when the payload carries our signature of one of ``attendee``'s real badges."""
    if attendee is None:
        return False
    signature = base45.decode(payload[len(PREFIX):])[-SIGNATURE_SIZE:]
    newest = min(max(attendee.badge_version, claims.version), _MAX_VERSIONS_TRIED)
    return any(
        key.sign(encode_body(attendee.id, version, slug, attendee.name, _organisation(attendee))) == signature
        for version in range(1, newest + 1)
    )


@lru_cache(maxsize=8192)
def _signed_claims(secret_key: str, event_slug: str, payload: str) -> BadgeClaims:
    """The claims of a badge whose signature is valid (a refusal otherwise, which is not kept).

    One badge is shown at the door and at many stands, and its signature, once valid, stays
    valid; keeping the answer saves the check (0.2 ms of CPU) on every later scan. Whether it is
    still the attendee's current badge is asked of the database on every scan."""
    return verify_badge(payload, derive_private_key(secret_key, event_slug).public_key(), event_slug)


# Every scan at the door and at the stands looks its attendee up (with the organisation its badge prints).
_CURRENT_ATTENDEE = Lookup(Attendee, "id", "event_id", select_related=("organisation",), erased_at=None)


async def verify_scan(event: Event, payload: str, secret_key: str) -> tuple[Attendee, BadgeClaims]:
    """The attendee (with organisation) whose current badge ``payload`` is, or a refusal saying why not."""
    payload = payload.strip()
    try:
        claims = _signed_claims(secret_key, event.slug, payload)
    except Refusal as exc:
        raise await _refusal(exc, payload, event, derive_private_key(secret_key, event.slug)) from None
    attendee = None
    if claims.attendee_id <= _MAX_ATTENDEE_ID:
        attendee = await _CURRENT_ATTENDEE.get(id=claims.attendee_id, event_id=event.id)
    if attendee is None:
        raise scan_refusal(UNKNOWN_ATTENDEE)
    if claims.version < attendee.badge_version:
        raise scan_refusal(SUPERSEDED, current=attendee.badge_version, version=claims.version)
    return attendee, claims


async def _refusal(exc: Refusal, payload: str, event: Event, key: Ed25519PrivateKey) -> Refusal:
    """What to tell about a badge ``verify_badge`` refused; a bad signature is tampered or forged."""
    if exc.reason == MALFORMED:
        return scan_refusal(MALFORMED)
    claims = read_unverified(payload)
    if exc.reason == OTHER_EVENT:
        return scan_refusal(OTHER_EVENT, event=claims.event_slug)
    attendee = None
    if 0 < claims.attendee_id <= _MAX_ATTENDEE_ID:
        attendee = await Attendee.get_or_none(id=claims.attendee_id, event=event).select_related("organisation")
    return scan_refusal(TAMPERED if _is_edited_badge(payload, claims, attendee, event.slug, key) else FORGED)
