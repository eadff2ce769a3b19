"""The address of an attendee's personal calendar feed.

Calendar apps fetch the feed without a session, so the address itself is the credential: the
attendee's id and session generation, and an HMAC of both under the server's secret (nothing more
is stored). It stays the same while the attendee's sessions do, so a subscription keeps working
all through the fair, and it stops working with them: a new personal link, "sign out everywhere"
or an erasure raises the generation (``messe.people.domain.sessions``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

TOKEN = re.compile(r"^(\d{1,10})-(\d{1,10})-([A-Za-z0-9_-]{24})$")


@dataclass(frozen=True)
class FeedHolder:
    attendee_id: int
    session_generation: int


def _mac(secret: str, event_slug: str, holder: FeedHolder) -> str:
    message = f"calendar-feed:{event_slug}:{holder.attendee_id}:{holder.session_generation}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def feed_token(secret: str, event_slug: str, holder: FeedHolder) -> str:
    return f"{holder.attendee_id}-{holder.session_generation}-{_mac(secret, event_slug, holder)}"


def feed_holder(secret: str, event_slug: str, token: str) -> FeedHolder | None:
    """Whose feed ``token`` opens (if their session generation is still this one), or None when
    it is not one of ours."""
    found = TOKEN.match(token)
    if found is None:
        return None
    holder = FeedHolder(int(found.group(1)), int(found.group(2)))
    if not hmac.compare_digest(found.group(3), _mac(secret, event_slug, holder)):
        return None
    return holder
