"""The lead detail page: contact details only with consent, edits by form, other exhibitors' leads hidden."""

from __future__ import annotations

import re
import uuid

from messe.expo.models import Lead
from messe.people.domain.accounts import create_account
from tests.conftest import bearer
from tests.scanning.conftest import badge_payload


async def test_staff_read_and_edit_a_lead_by_form(client, fair, stands, visitors, staff_tokens):
    own = (await client.post("/messe13/api/leads", headers=bearer(staff_tokens[0]), json={
        "payload": badge_payload(visitors[0]), "client_id": uuid.uuid4().hex})).json()
    other = (await client.post("/messe13/api/leads", headers=bearer(staff_tokens[1]), json={
        "payload": badge_payload(visitors[1]), "client_id": uuid.uuid4().hex})).json()
    await create_account(fair, "stand-a", "korrekt-hest-batteri", "exhibitor", name="Stine Stand",
                         exhibitor=stands[0])
    login = await client.get("/messe13/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    await client.post("/messe13/login", data={"username": "stand-a", "password": "korrekt-hest-batteri",
                                               "csrf_token": token})
    page = await client.get(f"/messe13/leads/{own['id']}")
    assert page.status_code == 200 and visitors[0].name in page.text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)  # new since signing in
    if not visitors[0].consent_share_contact:
        assert "ikke givet samtykke" in page.text
    tag = stands[0].lead_tags[0]
    saved = await client.post(f"/messe13/leads/{own['id']}", data={
        "csrf_token": token, "notes": "Sender tilbud æøå", "rating": "3", "tags": tag})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    lead = await Lead.get(id=own["id"])
    assert (lead.notes, lead.rating, lead.tags) == ("Sender tilbud æøå", 3, [tag])
    refused = await client.post(f"/messe13/leads/{own['id']}", data={"csrf_token": token, "rating": "9"})
    assert refused.status_code == 422 and "Må højst være 5" in refused.text
    # The error summary at the top is focused when the page loads and links to the rating.
    summary = refused.text.split('class="alert alert--error error-summary"')[1].split("</div>")[0]
    assert "data-focus-on-load" in summary and '<a href="#lead-rating">Vurdering: Må højst være 5' in summary
    assert 'id="lead-rating"' in refused.text and "/static/js/focus-on-load.js" in refused.text
    assert (await client.get(f"/messe13/leads/{other['id']}")).status_code == 404
    assert (await client.post(f"/messe13/leads/{other['id']}", data={"csrf_token": token, "notes": "x"})) \
        .status_code == 404
