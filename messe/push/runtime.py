"""Starting and stopping the push sender with the application, and hearing published changes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from email.utils import parseaddr
from typing import Any

from messe.config import Settings
from messe.push.domain.keys import vapid_signer
from messe.push.domain.subscriptions import forget
from messe.push.sender import PushSender, SenderLimits


def contact(settings: Settings) -> str:
    """The VAPID ``sub`` claim: who a push service may write to about our pushes."""
    return f"mailto:{parseaddr(settings.mail_from)[1]}"


def make_sender(settings: Settings, limits: SenderLimits | None = None) -> PushSender:
    return PushSender(vapid_signer(settings.secret_key, settings.vapid_private_key), contact(settings),
                      settings.push_hosts, forget, limits)


@contextlib.asynccontextmanager
async def push_runtime(app: Any, settings: Settings) -> AsyncIterator[PushSender]:
    """Run the sender for the life of ``app`` (``app.state.push``); enter it inside the live
    runtime, whose published changes it observes."""
    sender: PushSender = app.state.push
    await sender.start()
    app.state.change_observers.append(sender.changes_published)
    try:
        yield sender
    finally:
        app.state.change_observers.remove(sender.changes_published)
        await sender.stop()
