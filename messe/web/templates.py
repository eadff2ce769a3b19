"""Server-rendered pages: one Jinja2 environment, with language, time and the signed-in person."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from messe.i18n import (
    LANGUAGES,
    Counted,
    Word,
    format_clock,
    format_day,
    format_moment,
    gettext_for,
    ngettext_for,
    pick_language,
    plural_forms,
)
from messe.web.csrf import LazyToken, existing_token

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
# Templates do not change while messe runs: no stat() per include (once per talk of the programme).
templates.env.auto_reload = False

# What organisers enter without a language field (stage, track and hall names, exhibitor
# descriptions) is in the fair's own language. The scripts say the same in static/js/language.js.
DATA_LANGUAGE = "da"


@pass_context
def lang_of(context: Context, language: str | None) -> Markup:
    """` lang="en"` when a text in ``language`` sits on a page in another language (WCAG 3.1.2).

    The one way a template marks the language of a piece of text from its data; a global
    function rather than a macro, since a macro imported "with context" is rebuilt on every
    include (once per talk of the programme)."""
    if language and language != context.get("lang"):
        return Markup(' lang="{}"').format(language)
    return Markup("")


def marked(text: str, language: str | None, page_language: str | None) -> Markup:
    """``text`` inside a sentence, in a span marked with its language when that is not the page's."""
    if language and language != page_language:
        return Markup('<span lang="{}">{}</span>').format(language, text)
    return Markup("{}").format(text)


@pass_context
def in_language(context: Context, text: str, language: str | None) -> Markup:
    """``text`` inside a sentence, marked with its language when that is not the page's (``marked``)."""
    return marked(text, language, context.get("lang"))


@pass_context
def language_name(context: Context, code: str) -> Markup:
    """A language's own name ("Dansk", "English"), marked as written in that language."""
    return in_language(context, "English" if code == "en" else "Dansk", code)


@pass_context
def title_list(context: Context, talks: list[dict[str, Any]]) -> Markup:
    """Talks' titles, each in its own language, joined by commas (titleList in static/js/language.js)."""
    return Markup(", ").join(marked(talk["title"], talk.get("language"), context.get("lang")) for talk in talks)


templates.env.globals.update(lang_of=lang_of, in_language=in_language, language_name=language_name,
                             title_list=title_list, DATA_LANGUAGE=DATA_LANGUAGE)


LANGUAGE_COOKIE = "messe_lang"


def compile_templates() -> None:
    """Compile every template now, at start-up, rather than inside the first request that needs
    one (measured: 0.16 s holding the event loop for a page's first render under load)."""
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)


def remember_language(request: Request, response: Response, language: str) -> None:
    """Keep the visitor's language on this device for a year (a Secure cookie when served over https)."""
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", httponly=True,
                        secure=request.app.state.settings.secure_cookies)


def language_of(request: Request) -> str:
    """The visitor's language: ``?lang=``, then their saved choice, then (for API clients only)
    Accept-Language; Danish otherwise."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen is None and "/api/" in request.url.path:
        chosen = request.headers.get("accept-language", "")[:2].lower()
    return pick_language(chosen)


def _translator(language: str):
    gettext = gettext_for(language)

    def translate(message: str, **values: Any) -> str:
        text = gettext(message)
        values = {key: gettext(value) if isinstance(value, Word) else value for key, value in values.items()}
        if any(isinstance(value, Markup) for value in values.values()):  # a title marked with its language
            return escape(text).format(**values)
        return text.format(**values) if values else text

    return translate


def page_context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    language = language_of(request)
    event = context.get("event")
    tz = event.timezone if event is not None else "Europe/Copenhagen"
    return {
        "lang": language,
        "languages": LANGUAGES,
        "_": _translator(language),
        "ngettext": ngettext_for(language),
        "plural_forms": lambda singular, plural: plural_forms(language, singular, plural),
        "clock": lambda value: format_clock(value, tz, language),
        "day": lambda value: format_day(value, tz, language),
        "moment": lambda value: format_moment(value, tz, language),
        "translate_line": lambda line: translate_line(request, line),
        "csrf_token": LazyToken(request),
        "has_session_token": bool(existing_token(request)),
        "principal": getattr(request.state, "principal", None),
        **context,
    }


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    return templates.TemplateResponse(
        request, name, page_context(request, context or {}), status_code=status_code, headers=headers
    )


# The longest a rendering holds the event loop before letting scans and live sends in between.
RENDER_SLICE_SECONDS = 0.002


async def render_in_slices(template: Template, context: dict[str, Any]) -> str:
    """``template`` rendered, handing the event loop back every ``RENDER_SLICE_SECONDS``."""
    pieces: list[str] = []
    handed_back = time.perf_counter()
    for count, piece in enumerate(template.generate(context)):
        pieces.append(piece)
        if count % 64 == 63 and time.perf_counter() - handed_back > RENDER_SLICE_SECONDS:
            await asyncio.sleep(0)
            handed_back = time.perf_counter()
    return "".join(pieces)


async def render_fragment(request: Request, name: str, context: dict[str, Any]) -> Markup:
    """``name`` rendered to a fragment of a page, in slices: the programme's list takes tens of
    milliseconds to render after a change, and rendered in one piece it would hold every other
    request (a scan, a live send) that long."""
    return Markup(await render_in_slices(templates.get_template(name), page_context(request, context)))


def translate(request: Request, message: str, **values: Any) -> str:
    return _translator(language_of(request))(message, **values)


def translate_marked(request: Request, message: str, languages: dict[str, str | None], **values: Any) -> Markup:
    """``message`` in the visitor's language as HTML, each of its ``values`` that ``languages`` names
    (a talk's title in its own language, a stage's name in the fair's) marked when that is not the
    page's language, as the scripts' fillInMarked does (static/js/language.js)."""
    language = language_of(request)
    return _translator(language)(message, **{key: value if isinstance(value, Word)
                                             else marked(str(value), languages.get(key), language)
                                             for key, value in values.items()})


class Described(Protocol):
    """A line about a change (messe.programme.domain.summary.Line)."""

    template: str
    values: dict[str, str]
    languages: dict[str, str | None]


def translate_line(request: Request, line: Described) -> Markup:
    """A line about a change in the visitor's language, its titles marked with their talk's
    language and its stages' names with the fair's, where that is not the page's."""
    return translate_marked(request, line.template, {"stage": DATA_LANGUAGE, "old_stage": DATA_LANGUAGE,
                                                     **line.languages}, **line.values)


def translate_plural(request: Request, singular: str, plural: str, count: int, **values: Any) -> str:
    """``singular`` or ``plural`` as ``count`` asks, in the visitor's language, with ``{count}`` filled in."""
    return ngettext_for(language_of(request))(singular, plural, count, **values)


ScriptTexts = dict[str, Any]


def script_texts(request: Request, texts: ScriptTexts) -> ScriptTexts:
    """A table of a script's texts (nested tables too) in the visitor's language; a ``Counted``
    text becomes both its forms (``plural_forms``), for the script to pick by its count."""
    language = language_of(request)
    translate_one = _translator(language)

    def one(value: Any) -> Any:
        if isinstance(value, Counted):
            return plural_forms(language, *value)
        if isinstance(value, dict):
            return {key: one(inner) for key, inner in value.items()}
        return translate_one(value)

    return one(texts)
