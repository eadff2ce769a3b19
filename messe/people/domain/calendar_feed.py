"""The address of an attendee's personal calendar feed.

Calendar apps fetch the feed without a session, so the address itself is the credential: the
attendee's id and an HMAC of it under the server's secret (nothing is stored). It stays the
same for as long as the secret does, so a subscription keeps working all through the fair.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

TOKEN = re.compile(r"^(\d{1,10})-([A-Za-z0-9_-]{24})$")


def _mac(secret: str, event_slug: str, attendee_id: int) -> str:
    digest = hmac.new(secret.encode(), f"calendar-feed:{event_slug}:{attendee_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def feed_token(secret: str, event_slug: str, attendee_id: int) -> str:
    return f"{attendee_id}-{_mac(secret, event_slug, attendee_id)}"


def feed_attendee(secret: str, event_slug: str, token: str) -> int | None:
    """The attendee whose feed ``token`` opens, or None when it is not one of ours."""
    found = TOKEN.match(token)
    if found is None:
        return None
    attendee_id = int(found.group(1))
    if not hmac.compare_digest(found.group(2), _mac(secret, event_slug, attendee_id)):
        return None
    return attendee_id
