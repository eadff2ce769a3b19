"""Telling speakers of their changes for the life of the application, by hearing published changes."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from messe.config import Settings
from messe.programme.domain.speaker_notices import Outbox, SpeakerNotices
from messe.programme.models import ScheduleChange


def outbox(settings: Settings) -> Outbox | None:
    """Where speakers' mails go out; None when no mail server is configured (nothing is sent)."""
    if not settings.smtp_url:
        return None
    return Outbox(smtp_url=settings.smtp_url, sender=settings.mail_from, base_url=settings.base_url)


@contextlib.asynccontextmanager
async def speaker_notice_runtime(app: Any) -> AsyncIterator[SpeakerNotices]:
    """Run ``app.state.speaker_notices``; enter it inside the live runtime, whose
    published changes (messe.common.unit_of_work) it observes. The settings are read at each publication."""
    notices: SpeakerNotices = app.state.speaker_notices

    def observe(changes: list[ScheduleChange]) -> None:
        notices.changes_published(changes, outbox(app.state.settings))

    async with notices.running():
        app.state.change_observers.append(observe)
        try:
            yield notices
        finally:
            app.state.change_observers.remove(observe)
