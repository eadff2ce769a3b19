"""Signed badge tokens: what a badge's QR code says, and how anyone holding the public key checks it.

A token identifies a badge; it is never a credential. It carries only what is printed on the
badge (name, organisation) plus the badge id (the attendee id), the badge version and the event.

Text form (fits QR alphanumeric mode)::

    "M1:" + base45(body || signature)          base45 as in RFC 9285

``signature`` is the last 64 bytes: Ed25519 (RFC 8032) over exactly ``body``, with the event's
key. ``body``, all integers big-endian::

    offset  size  field
    0       1     format, always 1
    1       4     attendee id (unsigned)
    5       2     badge version (unsigned); a reprint bumps it and revokes older badges
    7       1     s = length of the event slug
    8       s     event slug, ASCII
    8+s     1     n = length of the name
    9+s     n     name, UTF-8 (may be cut short and end in "…" to keep the QR small)
    9+s+n   1     o = length of the organisation
    10+s+n  o     organisation, UTF-8 (may be cut short likewise)

The public key is the raw 32-byte Ed25519 key, served base64url-encoded at
``/<event>/api/badge-key``. A scanner in a browser checks a badge with WebCrypto::

    const raw = base45decode(text.slice(3)), body = raw.slice(0, -64), sig = raw.slice(-64);
    const key = await crypto.subtle.importKey("raw", publicKey, {name: "Ed25519"}, false, ["verify"]);
    const ok = await crypto.subtle.verify({name: "Ed25519"}, key, sig, body);

The event's private key is derived from the server secret and the event slug with HKDF-SHA256,
so no private key is stored anywhere and each event has its own.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from messe.badges.domain import base45
from messe.common.refusal import Refusal, RefusalKind

PREFIX = "M1:"
FORMAT = 1
SIGNATURE_SIZE = 64
_HEADER = struct.Struct(">BIH")
# QR version 10 at level M holds 311 alphanumeric characters: the prefix plus base45 of 205 bytes.
MAX_TOKEN_BYTES = 205
MAX_BODY = MAX_TOKEN_BYTES - SIGNATURE_SIZE
ELLIPSIS = "…"

MALFORMED = "malformed"
BAD_SIGNATURE = "bad_signature"
OTHER_EVENT = "other_event"
SUPERSEDED = "superseded"


def refused_badge(reason: str, template: str, **values: object) -> Refusal:
    """A code that is not a valid, current badge of this event, ``reason`` saying why: a badge
    reprinted over is a conflict with the attendee's current one, anything else an invalid code."""
    kind = RefusalKind.CONFLICT if reason == SUPERSEDED else RefusalKind.INVALID
    return Refusal.of(kind, template, code=reason, **values)


@dataclass(frozen=True)
class BadgeClaims:
    attendee_id: int
    version: int
    event_slug: str
    name: str
    organisation: str


@lru_cache(maxsize=32)
def derive_private_key(secret_key: str, event_slug: str) -> Ed25519PrivateKey:
    """The event's badge key (kept: deriving costs 0.4 ms of CPU, and every scan, every badge and
    the scanners' key request need it)."""
    if not secret_key:
        raise ValueError("the server secret is empty; badges cannot be signed")
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"messe badge key v1",
                info=event_slug.encode("ascii")).derive(secret_key.encode("utf-8"))
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _cut(text: str, limit: int) -> bytes:
    """``text`` as UTF-8 in at most ``limit`` bytes, cut between characters and marked with "…"."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return raw
    mark = ELLIPSIS.encode("utf-8")
    kept = raw[: max(limit - len(mark), 0)].decode("utf-8", errors="ignore").rstrip()
    return kept.encode("utf-8") + mark if limit >= len(mark) else b""


def encode_body(attendee_id: int, version: int, event_slug: str, name: str, organisation: str) -> bytes:
    slug = event_slug.encode("ascii")
    budget = MAX_BODY - _HEADER.size - 3 - len(slug)
    org_limit = max(budget - len(name.encode("utf-8")), budget // 3)
    org = _cut(organisation, org_limit)
    person = _cut(name, budget - len(org))
    return (_HEADER.pack(FORMAT, attendee_id, version) + bytes([len(slug)]) + slug
            + bytes([len(person)]) + person + bytes([len(org)]) + org)


def sign_badge(private_key: Ed25519PrivateKey, attendee_id: int, version: int, event_slug: str,
               name: str, organisation: str) -> str:
    body = encode_body(attendee_id, version, event_slug, name, organisation)
    return PREFIX + base45.encode(body + private_key.sign(body))


def _refuse_malformed() -> Refusal:
    return refused_badge(MALFORMED, "Koden er ikke et badge fra messe")


def _decode(payload: str) -> tuple[bytes, bytes, BadgeClaims]:
    if not payload.startswith(PREFIX):
        raise _refuse_malformed()
    try:
        raw = base45.decode(payload[len(PREFIX):])
        body, signature = raw[:-SIGNATURE_SIZE], raw[-SIGNATURE_SIZE:]
        fmt, attendee_id, version = _HEADER.unpack_from(body)
        fields: list[bytes] = []
        pos = _HEADER.size
        for _ in range(3):
            size = body[pos]
            fields.append(body[pos + 1 : pos + 1 + size])
            if len(fields[-1]) != size:
                raise ValueError("field runs past the end")
            pos += 1 + size
        if fmt != FORMAT or pos != len(body) or len(signature) != SIGNATURE_SIZE:
            raise ValueError("wrong format or length")
        slug, name, org = (f.decode("ascii" if i == 0 else "utf-8") for i, f in enumerate(fields))
    except (ValueError, IndexError, struct.error):
        raise _refuse_malformed() from None
    return body, signature, BadgeClaims(attendee_id, version, slug, name, org)


def read_unverified(payload: str) -> BadgeClaims:
    """What a token claims, without checking it: only for choosing which key to check it with."""
    return _decode(payload)[2]


def verify_badge(payload: str, public_key: Ed25519PublicKey | bytes, event_slug: str,
                 current_version: int | None = None) -> BadgeClaims:
    """The claims of a valid badge of ``event_slug``, or a refusal (:func:`refused_badge`) saying why not.

    Pass ``current_version`` (the attendee's badge version now) to refuse reprinted-over badges.
    """
    body, signature, claims = _decode(payload)
    if claims.event_slug != event_slug:
        raise refused_badge(OTHER_EVENT, "Badget hører til et andet arrangement ({event})", event=claims.event_slug)
    key = Ed25519PublicKey.from_public_bytes(public_key) if isinstance(public_key, bytes) else public_key
    try:
        key.verify(signature, body)
    except InvalidSignature:
        raise refused_badge(BAD_SIGNATURE, "Badgets signatur er ugyldig: koden er ændret eller forfalsket") from None
    if current_version is not None and claims.version < current_version:
        raise refused_badge(SUPERSEDED, "Badget er erstattet af et nyere (version {current}); dette er version "
                                        "{version}", current=current_version, version=claims.version)
    return claims
