"""Whole answers to anonymous reads, kept in memory and served before any routing, session or
database work.

2,000 phones opening the programme ask the same few questions: the programme page, a talk, the
exports, the public API lists. A route that answers the same to every anonymous visitor says so
with :func:`share`; the middleware then keeps the answer for that path, query and language, and
serves it (its ETag answered with 304, gzip compressed once per answer, not once per request)
until the event's revision changes (messe.web.events) or ``seconds`` have passed, whichever
comes first. The time limit covers what a revision cannot see: the clock (Nu og næste) and
writes by another worker to rows outside the change log.

Invariants:

* only GET and HEAD requests without ``Authorization`` and without a session cookie are
  answered from here, so nothing personal is ever shared;
* only a 200 that sets no cookie, of a route that called :func:`share`, is kept;
* an answer built while the revision changed is not kept (it may predate the change);
* while one request rebuilds an expired answer, the others get the previous one instead of
  piling up behind it; the first request for a new key is built once, the others wait for it.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from messe.web.events import EventDirectory
from messe.web.templates import LANGUAGE_COOKIE

SHARED_SECONDS = 2.0
ENTRIES = 256
GZIP_FROM_BYTES = 1024
WAIT_FOR_BUILD_SECONDS = 10.0
SESSION_COOKIES = ("messe_session", "__Host-messe_session")  # the latter under https
SHARE_SCOPE_KEY = "messe.share"
KEPT_HEADERS = frozenset({b"content-type", b"etag", b"cache-control", b"vary", b"content-language",
                          b"content-disposition", b"content-security-policy", b"x-content-type-options",
                          b"referrer-policy", b"x-frame-options", b"permissions-policy",
                          b"cross-origin-opener-policy", b"strict-transport-security"})


@dataclass
class Sharing:
    """Set by a route that answers every anonymous visitor alike (see :func:`share`)."""

    seconds: float | None = None


def share(request: Request, seconds: float = SHARED_SECONDS) -> None:
    """Let this anonymous answer be served to every anonymous visitor for up to ``seconds``."""
    sharing = request.scope.get(SHARE_SCOPE_KEY)
    if sharing is not None:
        sharing.seconds = seconds


@dataclass
class Answer:
    revision: int
    expires: float
    headers: list[tuple[bytes, bytes]]
    etag: bytes
    body: bytes
    _gzipped: bytes | None = field(default=None, repr=False)

    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope["headers"])


def _cookies(headers: dict[bytes, bytes]) -> SimpleCookie | None:
    raw = headers.get(b"cookie")
    if raw is None:
        return None
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(raw.decode("latin-1"))
    except Exception:  # an unparsable cookie header: not ours to answer
        return None
    return cookies


def _accepts_gzip(headers: dict[bytes, bytes]) -> bool:
    return b"gzip" in headers.get(b"accept-encoding", b"")


def _matches(etag: bytes, header: bytes | None) -> bool:
    if not header:
        return False
    wanted = etag.removeprefix(b"W/")
    return any(t.strip() == b"*" or t.strip().removeprefix(b"W/") == wanted for t in header.split(b","))


class PublicCacheMiddleware:
    def __init__(self, app: ASGIApp, entries: int = ENTRIES) -> None:
        self.app = app
        self.entries = entries
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._building: dict[tuple, asyncio.Future[None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope) if scope["type"] == "http" else None
        if key is None:
            await self.app(scope, receive, send)
            return
        events = scope["app"].state.events
        slug = key[0].split("/", 2)[1]
        answer = self._answers.get(key)
        now = time.monotonic()
        if answer is not None and (key in self._building or (
                answer.revision == events.revision(slug) and now < answer.expires)):
            self._answers.move_to_end(key)
            await self._serve(scope, send, answer)
            return
        waiting = self._building.get(key)
        if waiting is not None:
            await asyncio.wait([waiting], timeout=WAIT_FOR_BUILD_SECONDS)
            answer = self._answers.get(key)
            if answer is not None:
                await self._serve(scope, send, answer)
                return
        if scope["method"] != "GET" or key in self._building:
            await self.app(scope, receive, send)
            return
        self._building[key] = asyncio.get_running_loop().create_future()
        try:
            await self._build(scope, receive, send, key, events.revision(slug), events, slug,
                              renewing=answer is not None)
        finally:
            self._building.pop(key).set_result(None)

    @staticmethod
    def _key(scope: Scope) -> tuple | None:
        if scope["method"] not in ("GET", "HEAD"):
            return None
        path: str = scope["path"]
        if path.count("/") < 2 or path.startswith(("/static/", "/vendor/")):
            return None
        headers = _headers(scope)
        if b"authorization" in headers:
            return None
        language = ""
        cookies = _cookies(headers)
        if cookies is not None:
            if any(name in cookies for name in SESSION_COOKIES):
                return None
            if LANGUAGE_COOKIE in cookies:
                language = cookies[LANGUAGE_COOKIE].value
        if "/api/" in path:
            language += "|" + headers.get(b"accept-language", b"")[:2].decode("latin-1").lower()
        return (path, scope.get("query_string", b""), language)

    async def _build(self, scope: Scope, receive: Receive, send: Send, key: tuple, revision: int,
                     events: EventDirectory, slug: str, renewing: bool) -> None:
        """Pass the request on and keep the answer if it may be shared. When ``renewing`` an
        answer this route shared before, the app is asked for the whole page (a client's ETag
        would get a 304, which cannot be kept) and the client is answered from what was kept."""
        sharing = Sharing()
        inner = {**scope, SHARE_SCOPE_KEY: sharing}
        if renewing:
            inner["headers"] = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            if not renewing:
                await send(message)

        await self.app(inner, receive, capture)
        answer = self._keep(key, revision, events.revision(slug), sharing, start, b"".join(chunks))
        if not renewing:
            return
        if answer is not None:
            await self._serve(scope, send, answer)
        elif start is not None:
            await send(start)
            await send({"type": "http.response.body", "body": b"".join(chunks)})

    def _keep(self, key: tuple, revision: int, revision_now: int, sharing: Sharing, start: Message | None,
              body: bytes) -> Answer | None:
        if sharing.seconds is None or start is None or start["status"] != 200 or revision_now != revision:
            return None
        headers = [(k.lower(), v) for k, v in start.get("headers", [])]
        if any(k == b"set-cookie" for k, _ in headers):
            return None
        etag = next((v for k, v in headers if k == b"etag"), b"")
        if not etag:
            etag = b'W/"' + hashlib.blake2b(body, digest_size=10).hexdigest().encode() + b'"'
        kept = [(k, v) for k, v in headers if k in KEPT_HEADERS and k not in (b"etag", b"vary")]
        answer = self._answers[key] = Answer(revision, time.monotonic() + sharing.seconds, kept, etag, body)
        self._answers.move_to_end(key)
        while len(self._answers) > self.entries:
            self._answers.popitem(last=False)
        return answer

    @staticmethod
    async def _serve(scope: Scope, send: Send, answer: Answer) -> None:
        headers = _headers(scope)
        common = [*answer.headers, (b"etag", answer.etag), (b"vary", b"Accept-Encoding, Accept-Language, Cookie")]
        if _matches(answer.etag, headers.get(b"if-none-match")):
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        body = answer.body
        if len(body) >= GZIP_FROM_BYTES and _accepts_gzip(headers):
            body = answer.gzipped()
            common.append((b"content-encoding", b"gzip"))
        common.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": common})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
