"""The attendee app's pages: the programme (by time or by stage, with "Nu og næste", search and
filters), one talk, the personal schedule ("Mit program") and "Hvad er ændret"; and what makes the
app installable and usable offline: its web app manifest and its service worker.

The programme lists are rendered once per version of the published programme, view and language
(caching.renderings) and placed into the page around them, which carries the visitor's own
header; a search is rendered for its request. Each page's ETag covers both. Stars live on the
phone (static/js/app/stars.js); the server renders a signed-in attendee's personal schedule too,
so that it shows without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from messe.common.models import Event
from messe.config import STATIC_DIR
from messe.expo.domain.stand_bookmarks import stand_directory
from messe.i18n import Counted
from messe.people.domain.bookmarks import starred_talk_ids
from messe.programme.domain.changelog import latest_changes
from messe.programme.domain.now_next import now_and_next
from messe.programme.domain.overlaps import overlaps
from messe.programme.domain.programme import Programme
from messe.programme.domain.search import Search
from messe.programme.domain.snapshot import Snapshot, parse_time
from messe.programme.domain.summary import RENAMED, TEMPLATES, describe
from messe.programme.interfaces.caching import answer, current_programme, etag_for, programme_version, renderings
from messe.programme.interfaces.talk_items import talk_items
from messe.programme.models import Talk, TalkState
from messe.web.api import MAX_ID, path_id
from messe.web.context import current_event, current_principal
from messe.web.csrf import existing_token
from messe.web.errors import ApiError
from messe.web.security import frameable_by
from messe.web.templates import (
    language_of,
    render,
    render_fragment,
    script_texts,
    translate,
    translate_line,
)

VIEWS = ("time", "stage")
CHANGES_SHOWN = 100
SERVICE_WORKER = STATIC_DIR / "js" / "app" / "sw.js"
THEME_COLOUR = "#12355b"

# What the phone's scripts say (static/js/app/), in Danish; each page passes them on translated
# (a counted text with both its forms, web.templates.script_texts).
APP_TEXTS = {
    "moved": "Flyttet: {title} er nu kl. {start} på {stage}",
    "movedNoStage": "Flyttet: {title} er nu kl. {start}",
    "movedFrom": "{title} er flyttet fra {old_start} til {start} på {stage}",
    "movedFromNoStage": "{title} er flyttet fra {old_start} til {start}",
    "movedFromStage": "{title} er flyttet fra {old_start} på {old_stage} til {start} på {stage}",
    "restagedFrom": "{title} er flyttet fra {old_stage} til {stage} kl. {start}",
    "cancelled": "Aflyst: {title}",
    "added": "På programmet igen: {title} kl. {start}",
    "updated": "Ændret: {title}",
    "renamed": "Nyt navn: {old_title} hedder nu {title}",
    "overlap": "Overlapper nu med {others} – hvilken vil du følge?",
    "overlapsWith": "Overlapper med {others}",
    "follow": "Følg {title}",
    "keepBoth": "Behold begge",
    "keepAll": "Behold alle",
    "following": "Du følger {title}.",
    "dismiss": "Luk",
    "offline": "Ingen forbindelse – du ser det gemte program. Ændringer kommer, når forbindelsen er tilbage.",
    "online": "Forbundet igen – programmet er opdateret.",
    "shown": Counted("{count} foredrag vist", "{count} foredrag vist"),
    "nothingNow": "Der er ingen foredrag lige nu.",
    "nothingNext": "Der er ikke flere foredrag i dag.",
    "exhibitors": Counted("{count} udstiller", "{count} udstillere"),
    "urgent": "Vigtigt",
    "announcement": "Meddelelse",
    "pushTitle": "Beskeder om dit program",
    "pushOffer": "Få besked, når dit program ændrer sig",
    "pushWhy": "Telefonen giver dig besked, også når appen er lukket, hvis et foredrag, du har stjernemarkeret, "
               "flyttes eller aflyses.",
    "pushNo": "Nej tak",
    "pushClose": "Luk",
    "pushOn": "Du får nu besked på denne enhed, når dit program ændrer sig.",
    "pushBlocked": "Beskeder er slået fra for denne side i browserens indstillinger.",
    "pushFailed": "Beskeder kunne ikke slås til. Prøv igen senere.",
    "pushApple": "På iPhone og iPad kan appen kun give besked, når den er lagt på hjemmeskærmen: tryk på Del, "
                 "vælg “Føj til hjemmeskærm”, og åbn programmet derfra.",
}


# The "what changed" lines (programme/domain/summary.py), for the quiet notices about changes.
LIVE_TEXTS = {**TEMPLATES, "renamed": RENAMED}


def talk_view(talk: Snapshot, search: Search | None = None) -> dict[str, Any]:
    """A snapshot with real times, for templates; ``shown`` is False when ``search`` leaves it out."""
    return {**talk, "starts": parse_time(talk["starts_at"]), "ends": parse_time(talk["ends_at"]),
            "cancelled": talk["state"] == TalkState.CANCELLED, "shown": search is None or search.matches(talk)}


def _talk_views(talks: Iterable[Snapshot], search: Search | None = None) -> list[dict[str, Any]]:
    return [talk_view(t, search) for t in talks]


# The talk the scripts copy to show a talk the page was not rendered with (programme/_talk.html).
BLANK_TALK: Snapshot = {"id": 0, "code": "", "title": "", "abstract": "", "language": "da",
                        "starts_at": "2000-01-01T00:00:00+00:00", "ends_at": "2000-01-01T00:00:00+00:00",
                        "state": TalkState.PUBLISHED, "stage": None, "track": None, "speakers": [], "sequence": -1}


def app_page(request: Request, name: str, event: Event, **context: Any) -> Response:
    """A page of the app (programme/app.html): with the live-update hook and the scripts' texts."""
    texts = script_texts(request, APP_TEXTS)
    return render(request, name, {"event": event, "seq": event.last_seq, "live_texts": LIVE_TEXTS,
                                  "app_texts": texts, "blank_talk": talk_view(BLANK_TALK), **context})


def _page_etag(request: Request, event: Event, *parts: Any) -> str:
    """Pages carry the visitor's header (name, CSRF token), so their ETag includes the session."""
    principal = getattr(request.state, "principal", None)
    return etag_for(programme_version(event), language_of(request), principal, existing_token(request), *parts)


def _chosen_id(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    if not (value.isascii() and value.isdigit() and len(value) <= 10):
        return None
    return int(value) if 0 < int(value) <= MAX_ID else None


def _search(request: Request) -> Search:
    return Search.of(request.query_params.get("q", "")[:100], _chosen_id(request, "track"),
                     _chosen_id(request, "stage"))


def _groups(programme: Programme, view: str, search: Search,
            index: dict[str, Any]) -> list[tuple[Any, list[dict[str, Any]]]]:
    groups = programme.by_stage() if view == "stage" else programme.by_time()
    return [(key, [{**talk_view(t, search), "hour": index["talk_hour"][t["id"]]} for t in talks])
            for key, talks in groups]


def _time_index(programme: Programme, search: Search) -> dict[str, Any]:
    """The links of the time index (one per hour, to its first slot and that slot's first talk;
    hidden when a search leaves none of its talks) and, for each slot and each talk, the hour it is
    under."""
    slots = programme.by_time()
    places = programme.hours()
    links: list[dict[str, Any]] = []
    hour_of: dict[int, int] = {}
    talk_hour: dict[int, int] = {}
    for (place, start), (following, _) in zip(places, [*places[1:], (len(slots) + 1, None)], strict=True):
        talks = [talk for slot in range(place, following) for talk in slots[slot - 1][1]]
        hour_of.update(dict.fromkeys(range(place, following), place))
        talk_hour.update(dict.fromkeys((talk["id"] for talk in talks), place))
        links.append({"slot": place, "start": start, "talk": talks[0]["id"],
                      "shown": any(search.matches(talk) for talk in talks)})
    return {"links": links, "hour_of": hour_of, "talk_hour": talk_hour}


def _now_slot(programme: Programme, at: datetime) -> int | None:
    """The slot "Gå til nu" leads to at ``at``, as static/js/app/timeindex.js chooses it: the last
    one started that day (in the event's time zone); before the day's first talk, that one; None
    on a day without talks."""
    today = [(place, start) for place, (start, _) in enumerate(programme.by_time(), start=1)
             if start.astimezone(programme.tz).date() == at.astimezone(programme.tz).date()]
    started = [place for place, start in today if start <= at]
    return started[-1] if started else today[0][0] if today else None


async def _programme_list(request: Request, event: Event, programme: Programme, view: str,
                          search: Search, now_slot: int | None = None) -> Markup:
    """The programme's list in ``view`` under its time index: rendered once per version of the
    programme, language and slot of "Gå til nu" (a search for its request). The scripts show
    "Gå til nu" themselves; the embed, which has none, gets it from ``now_slot``."""

    async def body() -> Markup:
        index = _time_index(programme, search)
        groups = _groups(programme, view, search, index)
        items = await talk_items.render(request, event, (talk for _, talks in groups for talk in talks))
        return await render_fragment(request, f"programme/_by_{view}.html", {
            "event": event, "groups": groups, "items": items, "filtered": search.active,
            "several_days": len(programme.days()) > 1, "time_index": index, "view": view, "now_slot": now_slot})

    if search.active:
        return await body()
    key = ("programme", event.id, view, language_of(request), now_slot)
    return await renderings.get(key, programme_version(event), body)


async def programme_page(request: Request) -> Response:
    event = await current_event(request)
    view = request.query_params.get("view", "time")
    if view not in VIEWS:
        view = "time"
    programme = await current_programme(event)
    search = _search(request)
    moment = now_and_next(programme.talks, datetime.now(UTC))
    welcome = request.query_params.get("welcome") == "1"

    async def page() -> Response:
        fragment = await _programme_list(request, event, programme, view, search)
        return app_page(request, "programme/programme.html", event, view=view, body=fragment, programme=programme,
                     search=search, shown=sum(1 for t in programme.talks if search.matches(t)),
                     now=_talk_views(moment.now), next=_talk_views(moment.next), welcome=welcome)

    return await answer(request, _page_etag(request, event, "programme", view, search, moment.key, welcome), page)


async def embed_page(request: Request) -> Response:
    """The programme by time without the app around it, for other sites to show in a frame: only
    messe itself and the origins in ``MESSE_EMBED_ORIGINS`` may frame it; its links open the app in
    a new tab (programme/embed.html). The same list as the programme page's, from the same cache;
    having no scripts, its "Gå til nu" is the server's, for the time of the request."""
    event = await current_event(request)
    programme = await current_programme(event)
    now_slot = _now_slot(programme, datetime.now(UTC))

    async def page() -> Response:
        fragment = await _programme_list(request, event, programme, "time", Search(), now_slot)
        return render(request, "programme/embed.html", {"event": event, "body": fragment, "principal": None})

    etag = etag_for(programme_version(event), language_of(request), "embed", now_slot)
    response = await answer(request, etag, page)
    return frameable_by(response, request.app.state.settings.embed_origins)


async def talk_page(request: Request) -> Response:
    event = await current_event(request)
    talk_id = path_id(request)
    published = await Talk.filter(id=talk_id, event=event).first().values_list("published", flat=True)
    if not published:
        raise ApiError(404, "Foredraget findes ikke")
    return await answer(request, _page_etag(request, event, "talk", talk_id),
                        lambda: app_page(request, "programme/talk.html", event, talk=talk_view(published)))


async def my_schedule_page(request: Request) -> Response:
    """The personal schedule ("Mit program"): the signed-in attendee's starred talks with their
    overlaps; on the phone, the script shows the stars it keeps (also those made before signing in)."""
    event = await current_event(request)
    principal = await current_principal(request)
    programme = await current_programme(event)
    starred: list[Snapshot] = []
    directory = await stand_directory(event, principal.attendee_id if principal.kind == "attendee" else None)
    if principal.kind == "attendee" and principal.attendee_id is not None:
        ids = set(await starred_talk_ids(principal.attendee_id))
        starred = [t for t in programme.talks if t["id"] in ids]
    clashes = overlaps(starred)
    talks = [{**talk_view(t), "overlaps": clashes.get(t["id"], [])} for t in starred]
    # The calendar feed's address is a credential, so it is on its own page (/me/calendar), which
    # no cache keeps; this page is saved for offline use.
    return await answer(
        request, _page_etag(request, event, "schedule", [t["id"] for t in starred], directory.version),
        lambda: app_page(request, "programme/my_schedule.html", event, talks=talks, stands=directory),
        personal=True)


def change_line(request: Request, event: Event, kind: str, before: Snapshot | None, after: Snapshot | None,
                message: dict[str, Any] | None) -> str:
    line = describe(kind, before, after, message, event.timezone)
    return translate(request, line.template, **line.values)


def marked_change_line(request: Request, event: Event, kind: str, before: Snapshot | None,
                       after: Snapshot | None, message: dict[str, Any] | None) -> Markup:
    """``change_line`` for a page: the talk's titles marked with its language, the stages' names
    with the fair's, where that is not the page's (WCAG 3.1.2)."""
    return translate_line(request, describe(kind, before, after, message, event.timezone))


async def changes_page(request: Request) -> Response:
    event = await current_event(request)

    async def body() -> Markup:
        changes = await latest_changes(event, CHANGES_SHOWN)
        items = [{"seq": c.seq, "kind": c.kind, "at": c.created_at, "talk_id": c.talk_id,
                  "summary": marked_change_line(request, event, c.kind, c.before, c.after, c.message),
                  "body": (c.message or {}).get("body", ""), "urgent": (c.message or {}).get("level") == "urgent"}
                 for c in changes]
        return await render_fragment(request, "programme/_changes.html", {"event": event, "changes": items})

    async def page() -> Response:
        key = ("changes", event.id, language_of(request))
        fragment = await renderings.get(key, programme_version(event), body)
        return app_page(request, "programme/changes.html", event, body=fragment)

    return await answer(request, _page_etag(request, event, "changes"), page)


async def manifest(request: Request) -> Response:
    """The web app manifest: the app is the event's own pages, installed from ``/<event>/``."""
    event = await current_event(request)
    home = f"/{event.slug}/"

    def icon(name: str, size: int, purpose: str) -> dict[str, str]:
        return {"src": f"/static/icons/{name}-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
                "purpose": purpose}

    data = {
        "id": home, "name": event.name, "short_name": event.short_name or event.name[:12],
        "description": translate(request, "Programmet, dit eget program og udstillerne – også uden net."),
        "lang": language_of(request), "dir": "ltr", "start_url": home, "scope": home, "display": "standalone",
        # no "orientation": the installed app turns with the phone (WCAG 1.3.4)
        "background_color": "#ffffff", "theme_color": THEME_COLOUR,
        "icons": [icon("messe", 192, "any"), icon("messe", 512, "any"),
                  icon("messe-maskable", 192, "maskable"), icon("messe-maskable", 512, "maskable")],
        "shortcuts": [{"name": translate(request, "Mit program"), "url": f"{home}me/schedule"},
                      {"name": translate(request, "Udstillere"), "url": f"{home}exhibitors"}],
    }
    return await answer(request, etag_for("manifest", data), lambda: JSONResponse(
        data, media_type="application/manifest+json"))


async def service_worker(request: Request) -> Response:
    """The app's service worker, served from ``/<event>/`` so that it may control the event's pages."""
    await current_event(request)
    return FileResponse(SERVICE_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"})
