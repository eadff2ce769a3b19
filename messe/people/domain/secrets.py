"""Random tokens (API tokens, personal sign-in links) of which only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

API_TOKEN_PREFIX = "messe_"


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
