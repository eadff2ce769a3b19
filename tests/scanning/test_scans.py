"""Checking a scanned badge: a badge seen before is still refused once it has been reprinted
over, and a forged one is refused however often it is shown."""

from __future__ import annotations

import pytest

from messe.badges.domain.tokens import SUPERSEDED, derive_private_key, sign_badge
from messe.common.refusal import Refusal
from messe.people.models import Attendee
from messe.scanning.domain.scans import FORGED, verify_scan
from tests.conftest import TEST_SECRET


async def test_a_badge_scanned_before_its_reprint_is_refused_after_it(fair):
    attendee = await Attendee.filter(event=fair).first()
    badge = sign_badge(derive_private_key(TEST_SECRET, fair.slug), attendee.id, attendee.badge_version, fair.slug,
                       attendee.name, "")
    for _ in range(2):  # at the door, then at a stand
        found, claims = await verify_scan(fair, badge, TEST_SECRET)
        assert found.id == attendee.id and claims.version == attendee.badge_version
    await Attendee.filter(id=attendee.id).update(badge_version=attendee.badge_version + 1)
    with pytest.raises(Refusal) as refused:
        await verify_scan(fair, badge, TEST_SECRET)
    assert refused.value.reason == SUPERSEDED


async def test_a_badge_signed_with_another_key_is_refused_every_time(fair):
    attendee = await Attendee.filter(event=fair).first()
    forged = sign_badge(derive_private_key("another-secret-of-at-least-32-bytes!", fair.slug), attendee.id,
                        attendee.badge_version, fair.slug, attendee.name, "")
    for _ in range(2):
        with pytest.raises(Refusal) as refused:
            await verify_scan(fair, forged, TEST_SECRET)
        assert refused.value.reason == FORGED
