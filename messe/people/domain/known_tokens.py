"""API tokens this process has looked up lately, so that a busy scanner's every request does not
read its token row again.

A scanner sends its bearer token with each of its scans; reading the token row each time was an
eighth of a scanning hour's work (py-spy). A token found is kept for ``KEPT_SECONDS``. Saving or
deleting a token here (revoking it, its "last used" minute) forgets it at once; a token revoked
by another worker process stops working here within ``KEPT_SECONDS``.
"""

from __future__ import annotations

import time
from typing import Any

from tortoise.signals import post_delete, post_save

from messe.people.models import ApiToken

KEPT_SECONDS = 5.0
MOST_KEPT = 10_000

_kept: dict[tuple[int, str], tuple[float, ApiToken]] = {}


def kept(event_id: int, digest: str) -> ApiToken | None:
    held = _kept.get((event_id, digest))
    if held is None or held[0] < time.monotonic():
        return None
    return held[1]


def keep(token: ApiToken) -> None:
    if len(_kept) >= MOST_KEPT:
        _kept.clear()
    _kept[(token.event_id, token.token_hash)] = (time.monotonic() + KEPT_SECONDS, token)


def forget_all() -> None:
    _kept.clear()


async def _token_changed(sender: type[ApiToken], instance: ApiToken, *args: Any) -> None:
    _kept.pop((instance.event_id, instance.token_hash), None)


post_save(ApiToken)(_token_changed)
post_delete(ApiToken)(_token_changed)
