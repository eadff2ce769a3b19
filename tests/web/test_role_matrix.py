"""Every route × every kind of caller: each gets exactly what it should and nothing more.

The routes are read from the application itself, so a new route without a rule here fails.
"Allowed" means the route did not refuse the caller (no 401/403, no redirect to sign-in, no
server error); what the route then does is tested where the route is. "Refused" means 401, 403,
or a redirect to the sign-in page. Browser callers carry their session's CSRF token, so a refusal
is about who they are, not a missing token.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import bearer
from tests.web.conftest import http_routes

ANYONE = frozenset({"anonymous", "attendee", "other_attendee", "exhibitor_a", "exhibitor_b", "door", "organiser"})
SIGNED_IN = ANYONE - {"anonymous"}
ORGANISER = frozenset({"organiser"})
ATTENDEE = frozenset({"attendee", "other_attendee"})
EXHIBITOR = frozenset({"exhibitor_a", "exhibitor_b"})
DOOR = frozenset({"door"})

# path -> {method: who may call it}; "*" stands for every method of the route.
RULES: dict[str, dict[str, frozenset[str]]] = {
    "/": {"*": ANYONE},
    "/language": {"*": ANYONE},
    "/{event}/link": {"*": ANYONE},
    "/{event}/login": {"*": ANYONE},
    "/{event}/logout": {"*": ANYONE},
    "/{event}/logout/everywhere": {"*": ANYONE},
    "/{event}/link/{token}": {"*": ANYONE},
    "/{event}/api/attendees": {"*": ORGANISER},
    "/{event}/api/attendees/{id:int}": {"*": ORGANISER},
    "/{event}/api/attendees/{id:int}/erase": {"*": ORGANISER},
    "/{event}/api/organisations": {"*": ORGANISER},
    "/{event}/api/me/stars": {"*": ATTENDEE},
    "/{event}/api/me/stars/{talk_id:int}": {"*": ATTENDEE},
    "/{event}/api/me/push": {"*": ATTENDEE},
    "/{event}/api/me/stands": {"*": ATTENDEE},
    "/{event}/api/me/stands/{exhibitor_id:int}": {"*": ATTENDEE},
    "/{event}/api/push-key": {"*": ANYONE},
    "/{event}/api/push/renewal": {"*": ANYONE},  # authorised by the old subscription's secret (tests/push)
    "/{event}/me/data": {"*": ATTENDEE},
    "/{event}/me/data.json": {"*": ATTENDEE},
    "/{event}/me/erase": {"*": ATTENDEE},
    "/{event}/me/calendar": {"*": ATTENDEE},
    "/{event}/": {"*": ANYONE},
    "/{event}/programme": {"*": ANYONE},
    "/{event}/embed": {"*": ANYONE},
    "/{event}/talks/{id:int}": {"*": ANYONE},
    "/{event}/changes": {"*": ANYONE},
    "/{event}/changes.atom": {"*": ANYONE},
    "/{event}/me/schedule": {"*": ANYONE},
    "/{event}/me/schedule.ics": {"*": ANYONE},
    "/{event}/me/{token}/schedule.ics": {"*": ANYONE},
    "/{event}/manifest.webmanifest": {"*": ANYONE},
    "/{event}/sw.js": {"*": ANYONE},
    "/{event}/schedule/export/schedule.xml": {"*": ANYONE},
    "/{event}/schedule/export/schedule.json": {"*": ANYONE},
    "/{event}/schedule/export/schedule.ics": {"*": ANYONE},
    "/{event}/api/talks": {"GET": ANYONE, "POST": ORGANISER},
    "/{event}/api/talks/{id:int}": {"GET": ANYONE, "PATCH": ORGANISER, "DELETE": ORGANISER},
    "/{event}/api/stages": {"GET": ANYONE, "POST": ORGANISER},
    "/{event}/api/stages/{id:int}": {"GET": ANYONE, "PATCH": ORGANISER, "DELETE": ORGANISER},
    "/{event}/api/tracks": {"*": ANYONE},
    "/{event}/api/speakers": {"*": ANYONE},
    "/{event}/api/changes": {"*": ANYONE},
    "/{event}/api/announcements": {"*": ORGANISER},
    "/{event}/api/publish": {"*": ORGANISER},
    "/{event}/api/live": {"*": ORGANISER},
    "/{event}/api/exhibitors": {"GET": ANYONE, "POST": ORGANISER},
    "/{event}/api/exhibitors/{id:int}": {"GET": ANYONE, "PATCH": ORGANISER, "DELETE": ORGANISER},
    "/{event}/exhibitors": {"*": ANYONE},
    "/{event}/exhibitors/map": {"*": ANYONE},
    "/{event}/exhibitors/{id:int}": {"*": ANYONE},
    "/{event}/api/leads": {"*": EXHIBITOR},
    "/{event}/api/leads/export.csv": {"*": EXHIBITOR},
    "/{event}/api/leads/export.xlsx": {"*": EXHIBITOR},
    "/{event}/api/leads/{id:int}": {"*": EXHIBITOR},
    "/{event}/leads/": {"*": EXHIBITOR},
    "/{event}/leads/{id:int}": {"*": EXHIBITOR},
    "/{event}/leads/sw.js": {"*": ANYONE},
    "/{event}/api/badge-key": {"*": ANYONE},
    "/{event}/api/badges/{attendee_id:int}/print": {"*": ORGANISER | DOOR},
    "/{event}/badges/{attendee_id:int}.pdf": {"*": ORGANISER | DOOR},
    "/{event}/api/checkins": {"*": DOOR | ORGANISER},
    "/{event}/api/checkins/counts": {"*": DOOR | ORGANISER},
    "/{event}/api/checkins/search": {"*": DOOR | ORGANISER},
    "/{event}/checkin/": {"*": DOOR | ORGANISER},
    "/{event}/checkin/walk-in": {"*": DOOR | ORGANISER},
    "/{event}/checkin/sw.js": {"*": ANYONE},
    "/{event}/api/openapi.json": {"*": ANYONE},
}
# Everything under /admin/ is for organisers only (one gate guards the whole section).
PREFIX_RULES = {"/{event}/admin/": ORGANISER}
LOGIN_REDIRECT = re.compile(r"/messe13/login")


def allowed_for(path: str, method: str) -> frozenset[str]:
    if path in RULES:
        rule = RULES[path]
        return rule.get(method, rule.get("*"))
    for prefix, who in PREFIX_RULES.items():
        if path.startswith(prefix):
            return who
    raise AssertionError(f"no access rule for {method} {path}: add it to RULES in {__file__}")


def concrete(path: str, ids: dict[str, int]) -> str:
    path = path.replace("{event}", "messe13").replace("{token}", "no-such-token").replace("{job}", "no-such-job")
    return re.sub(r"{(\w+):int}", lambda m: str(ids.get(m.group(1), ids["id"])), path)


def test_every_route_has_a_rule(app):
    missing = []
    for path, method in http_routes(app.routes):
        try:
            allowed_for(path, method)
        except AssertionError as exc:
            missing.append(str(exc))
    assert not missing, "\n".join(missing)


def _refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code in (302, 303, 307) and bool(LOGIN_REDIRECT.search(response.headers.get("location", "")))


async def test_role_matrix(client, callers, app):
    # Ids of nothing: a route must check the caller before it looks anything up, and no caller's
    # own records are deleted along the way.
    ids = {"id": 999999, "talk_id": 999999, "attendee_id": 999999}
    wrong: list[str] = []
    # Signing out ends the callers' sessions (even in the copied cookie): those routes come last.
    for path, method in sorted(http_routes(app.routes), key=lambda route: route[0].startswith("/{event}/logout")):
        allowed = allowed_for(path, method)
        url = concrete(path, ids)
        for who, credentials in callers.items():
            headers = dict(credentials)
            client.cookies.clear()
            kwargs = {"json": {"x": None}} if method in ("POST", "PATCH", "PUT") else {}
            response = await client.request(method, url, headers=headers, follow_redirects=False, **kwargs)
            if response.status_code >= 500:
                wrong.append(f"{who:15} {method:6} {url}: server error {response.status_code}")
            elif who in allowed and _refused(response):
                wrong.append(f"{who:15} {method:6} {url}: refused ({response.status_code}) but should be allowed")
            elif who not in allowed and not _refused(response):
                wrong.append(f"{who:15} {method:6} {url}: allowed ({response.status_code}) but should be refused")
    client.cookies.clear()
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", ["/messe13/api/talks", "/messe13/exhibitors", "/messe13/"])
async def test_a_bad_token_is_refused_everywhere(client, fair, path):
    response = await client.get(path, headers=bearer("messe_forged"))
    assert response.status_code == 401
