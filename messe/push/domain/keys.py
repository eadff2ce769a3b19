"""The VAPID key pair (RFC 8292) that signs every push: configured, or derived from the secret key
so that every worker and every restart publishes the same public key (a browser's subscription is
bound to it)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from messe.config import ConfigError

# The order of the P-256 group: a private scalar lies in [1, N - 1].
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class VapidKeyError(ConfigError):
    """The configured VAPID private key cannot be read."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    """base64url with or without padding; ValueError for anything else."""
    if not text or not all(c.isalnum() or c in "-_=" for c in text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))


def derived_key(secret: str) -> ec.EllipticCurvePrivateKey:
    digest = hmac.new(secret.encode(), b"messe web push vapid key", hashlib.sha512).digest()
    return ec.derive_private_key(int.from_bytes(digest, "big") % (P256_ORDER - 1) + 1, ec.SECP256R1())


def configured_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM private key, or the 32-byte private scalar in base64url (what ``vapid --gen`` and
    web-push tools print)."""
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = ec.derive_private_key(int.from_bytes(from_b64url(text), "big"), ec.SECP256R1())
    except (ValueError, TypeError) as exc:
        raise VapidKeyError(f"MESSE_VAPID_PRIVATE_KEY: not a P-256 private key ({exc})") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise VapidKeyError("MESSE_VAPID_PRIVATE_KEY: the key must be an EC key on the P-256 curve")
    return key


def vapid_signer(secret: str, configured: str = "") -> Vapid02:
    return Vapid02(private_key=configured_key(configured) if configured else derived_key(secret))


def public_key(signer: Vapid02) -> str:
    """The application server key browsers subscribe with: the uncompressed point, base64url."""
    return b64url(signer.public_key.public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint))
