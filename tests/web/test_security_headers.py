"""Security headers on every kind of response, pages that work under their own
Content-Security-Policy, and the session cookie's flags. HSTS and the cookie's Secure flag only
when messe is served over https (``MESSE_BASE_URL``)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from messe.app import create_app
from messe.people.domain.accounts import issue_personal_link_token
from messe.people.models import Attendee
from tests.web.conftest import EVENT, http_routes

HTTPS_BASE = "https://messe.digitaliseringsmessen.dk"
# Every kind of response: page, API, export, redirect, static file, and errors from each layer.
RESPONSES = [
    ("GET", f"{EVENT}/", 200),
    ("GET", f"{EVENT}/api/talks", 200),
    ("GET", f"{EVENT}/schedule/export/schedule.ics", 200),
    ("GET", "/", 307),
    ("GET", "/static/css/messe.css", 200),
    ("GET", f"{EVENT}/talks/999999", 404),
    ("GET", "/no-such-fair/api/talks", 404),
    ("GET", f"{EVENT}/admin/", 303),
    ("GET", f"{EVENT}/api/live", 401),
    ("POST", f"{EVENT}/api/talks", 413),
    ("GET", f"{EVENT}/exhibitors?q=%00", 400),
]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


async def _responses(client: httpx.AsyncClient) -> AsyncIterator[tuple[str, httpx.Response]]:
    for method, url, status in RESPONSES:
        content = b"x" * (5 * 1024 * 1024 + 1) if method == "POST" else None
        response = await client.request(method, url, content=content, headers={"Accept": "text/html"})
        assert response.status_code == status, (url, response.status_code)
        yield f"{method} {url}", response


async def test_every_response_carries_the_security_headers(client, fair):
    async for label, response in _responses(client):
        policy = directives(response.headers.get("content-security-policy", ""))
        assert policy["script-src"] == ["'self'"], label  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["frame-ancestors"] == ["'none'"], label
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], label
        assert response.headers.get("referrer-policy") in ("same-origin", "no-referrer"), label
        assert response.headers.get("x-content-type-options") == "nosniff", label
        assert "strict-transport-security" not in response.headers, label  # served over plain http


async def test_no_page_relies_on_what_its_policy_blocks(client, callers, app):
    """The policy allows no inline script: a page with one (or with an onclick=) would silently
    lose it in every browser. JSON data blocks are fine."""
    wrong = []
    for path, method in http_routes(app.routes):
        if method != "GET":
            continue
        url = re.sub(r"{\w+:int}", "1", path).replace("{event}", EVENT.strip("/")).replace("{token}", "x") \
            .replace("{job}", "x")
        for who in ("anonymous", "attendee", "exhibitor_a", "door", "organiser"):
            response = await client.get(url, headers={**callers[who], "Accept": "text/html"})
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            for attributes in SCRIPT_TAG.findall(response.text):
                if "src=" not in attributes and 'type="application/json"' not in attributes:
                    wrong.append(f"{who} {url}: inline <script{attributes}>")
            wrong += [f"{who} {url}: inline handler {m}" for m in INLINE_HANDLER.findall(response.text)]
    assert not wrong, "\n".join(sorted(set(wrong)))


@pytest.fixture
async def https_client(app) -> AsyncIterator[httpx.AsyncClient]:
    """The same installation, configured to be served at an https address."""
    served = create_app(dataclasses.replace(app.state.settings, base_url=HTTPS_BASE))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=served), base_url=HTTPS_BASE) as client:
        yield client


async def test_https_adds_hsts_to_every_response(https_client, fair):
    async for label, response in _responses(https_client):
        hsts = response.headers.get("strict-transport-security", "")
        assert re.fullmatch(r"max-age=(\d+); includeSubDomains", hsts), label
        assert int(hsts.split("=")[1].split(";")[0]) >= 180 * 24 * 3600, label


async def _session_cookie(client: httpx.AsyncClient, fair, name: str = "messe_session") -> str:
    attendee = await Attendee.filter(event=fair).order_by("id").first()
    response = await client.get(f"{EVENT}/link/{await issue_personal_link_token(attendee)}")
    assert response.status_code == 303
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert len(cookies) == 1, response.headers.get_list("set-cookie")
    return cookies[0].lower()


async def test_the_session_cookie_is_httponly_and_samesite_lax(client, fair):
    flags = {f.strip() for f in (await _session_cookie(client, fair)).split(";")[1:]}
    assert {"httponly", "samesite=lax"} <= flags and "secure" not in flags


async def test_over_https_the_session_cookie_is_also_secure_and_host_only(https_client, fair):
    """The __Host- prefix: the browser keeps the cookie only if it is Secure, for path / and this host
    alone, so a sibling subdomain cannot plant or overwrite a session."""
    cookie = await _session_cookie(https_client, fair, name="__Host-messe_session")
    flags = {f.strip() for f in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "secure", "path=/"} <= flags
    assert not any(f.startswith("domain=") for f in flags)
    assert (await https_client.get(f"{EVENT}/me/schedule")).status_code == 200  # the session works under it


async def test_over_https_the_language_cookie_is_secure_too(https_client, client, fair):
    for served, secure in ((https_client, True), (client, False)):
        # An anonymous visitor's page carries no token, and its language switch needs none.
        response = await served.post("/language", data={"lang": "en", "next": "/"})
        assert response.status_code == 303, response.text[:200]
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("messe_lang="))
        assert ("secure" in {f.strip().lower() for f in cookie.split(";")[1:]}) is secure
