"""Every admin route is for organisers only: anonymous visitors are sent to the login page,
other signed-in roles get 403; organisers see every page."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from messe.badges.domain.badge_jobs import JobState
from messe.expo.models import Exhibitor
from messe.people.domain.accounts import create_account, issue_personal_link_token
from messe.people.models import Account, Attendee, Organisation
from messe.programme.models import Speaker, Stage, Talk, Track
from tests.admin.conftest import PASSWORD, csrf_of, sign_in
from tests.conftest import bearer, make_token


def admin_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every admin route, ids filled in with 1."""
    event_mount = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/{event}")
    admin = next(r for r in event_mount.routes if isinstance(r, Mount) and r.path == "/admin")
    found = []
    for route in admin.routes:
        assert isinstance(route, Route)
        path = "/messe13/admin" + re.sub(r"\{[^}]+\}", "1", route.path)
        found += [(method, path) for method in sorted(route.methods - {"HEAD"})]
    return found


async def test_there_are_admin_routes(app):
    routes = admin_routes(app)
    assert ("GET", "/messe13/admin/") in routes and ("POST", "/messe13/admin/attendees/import") in routes
    assert len(routes) > 30


async def test_anonymous_visitors_are_sent_to_the_login_page(client, fair, app):
    await client.get("/messe13/login")
    for method, path in admin_routes(app):
        response = await client.request(method, path)
        assert response.status_code == 303, (method, path)
        expected = path if method == "GET" else "/messe13/admin/"
        assert response.headers["location"] == f"/messe13/login?next={expected}", (method, path)


async def test_login_then_returns_to_the_admin_page_asked_for(client, fair):
    await create_account(fair, "anne", PASSWORD, "organiser")
    response = await client.get("/messe13/admin/attendees?q=anne")
    assert response.headers["location"] == "/messe13/login?next=/messe13/admin/attendees%3Fq%3Danne"
    page = await client.get(response.headers["location"])
    assert 'name="next" value="/messe13/admin/attendees?q=anne"' in page.text
    done = await client.post("/messe13/login", data={"username": "anne", "password": PASSWORD,
                                                     "next": "/messe13/admin/attendees?q=anne",
                                                     "csrf_token": csrf_of(page.text)})
    assert done.headers["location"] == "/messe13/admin/attendees?q=anne"


@pytest.mark.parametrize("role", ["door", "exhibitor"])
async def test_other_roles_get_403(client, fair, app, role):
    exhibitor = await Exhibitor.filter(event=fair).first() if role == "exhibitor" else None
    await create_account(fair, "bo", PASSWORD, role, exhibitor=exhibitor)
    await sign_in(client, "bo")
    token = csrf_of((await client.get("/messe13/login")).text)
    for method, path in admin_routes(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = await client.request(method, path, data=data)
        assert response.status_code == 403, (method, path)
        assert "Du har ikke adgang" in response.text


async def test_signed_in_attendees_get_403(client, fair):
    attendee = await Attendee.filter(event=fair).first()
    await client.get(f"/messe13/link/{await issue_personal_link_token(attendee)}")
    response = await client.get("/messe13/admin/attendees")
    assert response.status_code == 403


async def test_bearer_tokens_of_other_roles_get_403(client, fair):
    response = await client.get("/messe13/admin/", headers=bearer(await make_token(fair, "door")))
    assert response.status_code == 403


async def test_organiser_sees_every_page(organiser, fair, app, jobs):
    models = {"stages": Stage, "tracks": Track, "speakers": Speaker, "attendees": Attendee,
              "organisations": Organisation, "exhibitors": Exhibitor, "accounts": Account, "programme": Talk}
    job = jobs.create(fair, [], layout="a6", filters={}, reprint=False, actor="test")
    job.state = JobState.DONE
    jobs.save(job)
    jobs.pdf(job).write_bytes(b"%PDF-1.4")
    for method, path in admin_routes(app):
        if method != "GET":
            continue
        section = path.split("/")[3]
        if section == "badges":
            path = path.replace("/1", f"/{job.id}")
        elif "/1" in path:
            first = await models[section].filter(event=fair).first()
            path = path.replace("/1", f"/{first.id}")
        elif path.endswith("/capacity/swap"):  # names the two talks it would swap
            one, two = await Talk.filter(event=fair).order_by("id").limit(2)
            path += f"?talk={one.id}&other={two.id}"
        response = await organiser.get(path)
        assert response.status_code == 200, path
        assert '<html lang="da">' in response.text or path.endswith((".csv", ".json", ".pdf"))
