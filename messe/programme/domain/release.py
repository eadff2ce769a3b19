"""Where a talk stands between its draft and what attendees see: the state attendees see, and
whether the next publication of the draft would change it."""

from __future__ import annotations

from messe.programme.domain.changelog import classify
from messe.programme.domain.editing import next_snapshot
from messe.programme.models import Talk, TalkState


class Standing:
    """How the admin names a talk's standing (Danish; the templates translate them)."""

    HELD_BACK = "Holdes tilbage"  # a draft in the "draft" state: no publication takes it along
    NEXT_VERSION = "Med i næste version"  # never published, published with the next version
    PENDING = "Upublicerede ændringer"  # published, and the draft differs from what attendees see


def public_state(talk: Talk) -> str:
    """The state attendees see: "draft" while the talk has never been published ("Kladde"),
    otherwise that of its published snapshot, whatever the draft says."""
    if talk.published is None:
        return TalkState.DRAFT
    return TalkState.CANCELLED if talk.published["state"] == TalkState.CANCELLED else TalkState.PUBLISHED


def unpublished(talk: Talk) -> bool:
    """True when publishing would change what attendees see of ``talk`` (a talk in the "draft"
    state is never published). Its stage, track and speakers must be fetched."""
    return classify(talk.published, next_snapshot(talk)) is not None


def standing(talk: Talk) -> str:
    """What the admin says besides the public state; "" when the draft is what attendees see.
    Its stage, track and speakers must be fetched."""
    if talk.published is None:
        if talk.state == TalkState.DRAFT:
            return Standing.HELD_BACK
        return Standing.NEXT_VERSION if unpublished(talk) else ""
    return Standing.PENDING if unpublished(talk) else ""
