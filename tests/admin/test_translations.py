"""The admin pages' texts kept in tables (sections, roles, states, import problems) read in English too;
every other text is checked by tests/test_i18n_english.py."""

from __future__ import annotations

from messe.admin.interfaces.sections import SECTIONS
from messe.admin.interfaces.view import ACCOUNT_ROLES, TALK_STATES
from messe.people.models import AttendeeRole, OrganisationKind
from messe.programme.domain.frab_import import TOO_LONG
from tests.translations import untranslated


def model_texts() -> set[str]:
    return (set(TOO_LONG.values()) | {s.label for s in SECTIONS} | {s.summary for s in SECTIONS}
            | set(ACCOUNT_ROLES.values()) | set(TALK_STATES.values()) | set(AttendeeRole.ALL)
            | set(OrganisationKind.ALL))


def test_every_admin_text_kept_in_a_table_has_an_english_translation():
    texts = model_texts()
    assert len(texts) > 40
    assert untranslated(texts) == []


async def test_admin_pages_in_english(organiser):
    page = await organiser.get("/messe13/admin/attendees?lang=en")
    assert '<html lang="en">' in page.text
    assert "Search by name, organisation or e-mail" in page.text and "Showing 1–40 of 40 attendees" in page.text
    home = await organiser.get("/messe13/admin/?lang=en")
    assert "The fair in numbers" in home.text and "Import attendees" in home.text
