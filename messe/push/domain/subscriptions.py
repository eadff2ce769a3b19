"""Storing and removing an attendee's push subscriptions.

A subscription names the address messe will post to, so it is checked strictly before it is kept:
https on a push service's host (``Settings.push_hosts``; plain http only on a loopback host the
configuration names), and keys of the sizes RFC 8291 fixes.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from messe.common.refusal import Problem, Refusal, RefusalKind
from messe.common.unit_of_work import unit_of_work
from messe.people.models import Attendee
from messe.push.domain.keys import from_b64url
from messe.push.models import PushSubscription

MAX_ENDPOINT = 1000
# Browsers per attendee (phone, laptop, tablet, a reinstalled app…); a new one beyond it replaces the oldest.
MAX_PER_ATTENDEE = 10


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    return any(host.endswith(entry[1:]) if entry.startswith("*.") else host == entry
               for entry in allowed if not entry.startswith("http://"))


def endpoint_problem(endpoint: str, allowed: tuple[str, ...]) -> Problem | None:
    if len(endpoint) > MAX_ENDPOINT:
        return Problem("Adressen er for lang (højst {max} tegn)", {"max": str(MAX_ENDPOINT)}, "endpoint")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return Problem("Skal være en webadresse", field="endpoint")
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or not host or parts.fragment:
        return Problem("Skal være en webadresse", field="endpoint")
    if parts.scheme == "http" and f"http://{host}" in allowed:
        return None
    if parts.scheme != "https":
        return Problem("Skal være en https-adresse", field="endpoint")
    if port not in (None, 443) or not host_allowed(host, allowed):
        return Problem("{host} er ikke en push-tjeneste, som messe sender til", {"host": host[:100]}, "endpoint")
    return None


def _key_problems(p256dh: str, auth: str) -> list[Problem]:
    problems = []
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point := from_b64url(p256dh))
        if len(point) != 65:
            raise ValueError("not uncompressed")
    except ValueError:
        problems.append(Problem("Skal være en P-256-nøgle (65 byte i base64url)", field="keys.p256dh"))
    try:
        if len(from_b64url(auth)) != 16:
            raise ValueError("not 16 bytes")
    except ValueError:
        problems.append(Problem("Skal være 16 byte i base64url", field="keys.auth"))
    return problems


def check(endpoint: str, p256dh: str, auth: str, allowed: tuple[str, ...]) -> None:
    """Refused naming every bad part, or nothing."""
    problems = [p for p in [endpoint_problem(endpoint, allowed)] if p] + _key_problems(p256dh, auth)
    if problems:
        raise Refusal(RefusalKind.INVALID, [Problem("Push-abonnementet kan ikke bruges"), *problems])


async def subscribe(attendee: Attendee, endpoint: str, p256dh: str, auth: str,
                    allowed: tuple[str, ...]) -> PushSubscription:
    """Keep the browser's subscription for ``attendee`` (a browser that subscribed before, for
    anyone, now belongs to them with its new keys)."""
    check(endpoint, p256dh, auth, allowed)
    subscription, _ = await PushSubscription.update_or_create(
        endpoint=endpoint, defaults={"attendee_id": attendee.id, "p256dh": p256dh, "auth": auth})
    surplus = await (PushSubscription.filter(attendee_id=attendee.id).order_by("-id")
                     .offset(MAX_PER_ATTENDEE).values_list("id", flat=True))
    if surplus:
        await PushSubscription.filter(id__in=list(surplus)).delete()
    return subscription


async def renew(event_id: int, old_endpoint: str, old_auth: str, endpoint: str, p256dh: str, auth: str,
                allowed: tuple[str, ...]) -> int:
    """The browser replaced a subscription (``pushsubscriptionchange``): its service worker, which
    has no session and no page, proves it held the old one by its endpoint and auth secret, which
    only that browser and messe know (RFC 8291 keeps the secret from the push service). The new
    subscription takes the old one's place, for the same attendee; the attendee's subscription count.
    Only a subscription to ``event_id`` (the address it was sent to) is renewed there."""
    old = await PushSubscription.filter(endpoint=old_endpoint, attendee__event_id=event_id).first()
    if old is None or not hmac.compare_digest(old.auth.encode(), old_auth.encode()):
        raise Refusal(RefusalKind.FORBIDDEN, [Problem("Det gamle push-abonnement kendes ikke")])
    check(endpoint, p256dh, auth, allowed)
    async with unit_of_work():
        await PushSubscription.filter(endpoint=endpoint).exclude(id=old.id).delete()
        old.endpoint, old.p256dh, old.auth = endpoint, p256dh, auth
        await old.save(update_fields=["endpoint", "p256dh", "auth"])
    return await PushSubscription.filter(attendee_id=old.attendee_id).count()


async def unsubscribe(attendee: Attendee, endpoint: str | None = None) -> int:
    """Forget one of the attendee's browsers (or all of them); how many were removed."""
    found = PushSubscription.filter(attendee_id=attendee.id)
    return await (found.filter(endpoint=endpoint) if endpoint is not None else found).delete()


async def subscription_count(attendee: Attendee) -> int:
    return await PushSubscription.filter(attendee_id=attendee.id).count()


async def forget(subscription_id: int) -> None:
    """The push service said the subscription is gone (404/410)."""
    await PushSubscription.filter(id=subscription_id).delete()
