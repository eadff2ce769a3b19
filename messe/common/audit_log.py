"""Reading the audit log: each entry as a sentence in the reader's language, with its before and
after values and the record it is about.

Pure: no web framework, no database. The admin's audit page asks :func:`describe` for each entry
it shows and :data:`KINDS` for its filter. :func:`kind_of` is also what :func:`messe.common.audit.record`
stores as an entry's kind, so the filter by kind is a plain column match.

Sentences are written in Danish here and translated through ``messe/locale/en/audit.po``. Times
are stored in UTC (ISO 8601) and read in the event's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel.dates import format_date

from messe.i18n import format_clock, format_moment, gettext_for, ngettext_for

# Every kind the log knows, in the order the filter offers them, with its name (Danish).
KINDS: dict[str, str] = {
    "talk.created": "Foredrag oprettet",
    "talk.moved": "Foredrag flyttet",
    "talk.cancelled": "Foredrag aflyst",
    "talk.restored": "Foredrag genoptaget",
    "talk.updated": "Foredrag ændret",
    "talk.stages_swapped": "Foredrag byttede scene",
    "talk.deleted": "Kladde slettet",
    "talk.speakers_told": "Talere fik besked",
    "programme.published": "Program offentliggjort",
    "programme.announced": "Meddelelse sendt",
    "programme.imported": "Program importeret",
    "event.moved": "Messen flyttet",
    "stage.created": "Scene oprettet",
    "stage.updated": "Scene ændret",
    "stage.deleted": "Scene slettet",
    "track.created": "Spor oprettet",
    "track.updated": "Spor ændret",
    "speaker.created": "Taler oprettet",
    "speaker.updated": "Taler ændret",
    "organisation.created": "Organisation oprettet",
    "organisation.updated": "Organisation ændret",
    "exhibitor.created": "Udstiller oprettet",
    "exhibitor.updated": "Udstiller ændret",
    "exhibitor.deleted": "Udstiller slettet",
    "attendee.created": "Deltager registreret",
    "attendee.updated": "Deltager ændret",
    "attendee.deleted": "Deltager slettet",
    "attendee.erased": "Persondata slettet",
    "attendees.imported": "Deltagere importeret",
    "attendees.exported": "Deltagere eksporteret",
    "link.issued": "Personligt link vist",
    "links.mailed": "Personlige links mailet",
    "checkin.created": "Tjekket ind",
    "badge.printed": "Badge udskrevet",
    "badge.reprinted": "Badge genudskrevet",
    "badges.printed": "Badges udskrevet",
    "lead.captured": "Lead scannet",
    "account.created": "Login oprettet",
    "staff.created": "Standpersonale oprettet",
    "account.activated": "Login genåbnet",
    "account.deactivated": "Login lukket",
    "account.password_set": "Adgangskode sat",
    "sessions.ended": "Logget ud alle steder",
    "token.created": "API-nøgle oprettet",
    "token.revoked": "API-nøgle tilbagekaldt",
    "event.purged": "Persondata slettet efter messen",
}

# How a sentence names the writer's role (Danish).
ROLES = {"organiser": "arrangør", "door": "dørpersonale", "exhibitor": "udstiller"}

# How the list of changes names a field (Danish); a field not named here is shown as it is stored.
FIELDS = {
    "title": "Titel", "starts_at": "Start", "ends_at": "Slut", "stage": "Scene", "state": "Status",
    "track": "Spor", "language": "Sprog", "abstract": "Beskrivelse", "speakers": "Talere",
    "name": "Navn", "code": "Kode", "hall": "Hal", "capacity": "Pladser", "position": "Rækkefølge",
    "color": "Farve", "organisation": "Organisation", "email": "E-mail", "phone": "Telefon",
    "job_title": "Stilling", "role": "Rolle", "stand": "Stand", "website": "Hjemmeside",
    "description": "Beskrivelse", "kind": "Slags", "date": "Dato", "bio": "Om taleren",
    "consent_share_contact": "Deler kontaktoplysninger", "organisation_id": "Organisation",
}
STATES = {"draft": "Kladde", "published": "Offentliggjort", "cancelled": "Aflyst"}
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}
TIMES = {"starts_at", "ends_at"}
LONG_TEXT = 80  # longer values (abstracts) are cut in the list of changes

# Simple records: the action's object word in a sentence (Danish, with its article).
RECORD_WORDS = {"stage": "scenen", "track": "sporet", "speaker": "taleren", "organisation": "organisationen",
                "exhibitor": "udstilleren"}

# What a link may point to: the admin has a page for these records (object type → kind of page).
LINKED = {"Talk", "Attendee", "Exhibitor", "Stage", "Track", "Speaker", "Organisation"}
GONE = {"talk.deleted", "stage.deleted", "exhibitor.deleted", "attendee.deleted"}


@dataclass(frozen=True)
class Change:
    """One value an entry changed: what it was and what it became (either may be empty)."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Line:
    """One audit entry as the reader sees it."""

    sentence: str
    kind: str
    kind_label: str
    changes: list[Change] = field(default_factory=list)
    # The record the entry is about, (object type, id), when it has a page of its own.
    target: tuple[str, str] | None = None
    note: str = ""


def kind_of(action: str, detail: Mapping[str, Any]) -> str:
    """The kind of an entry: its action, or for a talk's edit what the edit did to the talk."""
    if action != "talk.updated":
        return action
    before, after = _facts(detail, "before"), _facts(detail, "after")
    if before.get("state") != after.get("state") and "state" in after:
        if after["state"] == "cancelled":
            return "talk.cancelled"
        if before.get("state") == "cancelled":
            return "talk.restored"
    if any(after.get(key) != before.get(key) for key in ("starts_at", "stage") if key in after or key in before):
        return "talk.moved"
    return action


def describe(*, action: str, actor: str, actor_role: str = "", detail: Mapping[str, Any] | None = None,
             object_type: str = "", object_id: str = "", kind: str = "", language: str = "da",
             timezone: str = "Europe/Copenhagen") -> Line:
    """The entry as a sentence in ``language`` with its changes, kind and target."""
    detail = detail or {}
    kind = kind or kind_of(action, detail)
    reader = _Reader(language, timezone)
    who = reader.who(actor, actor_role)
    sentence = _sentence(reader, kind, action, who, detail)
    target = None
    if object_type in LINKED and object_id and kind not in GONE:
        target = (object_type, object_id)
    note = ""
    if kind.startswith("talk.") and "published" in detail and kind not in ("talk.deleted", "talk.speakers_told"):
        note = reader._("Sendt til deltagerne") if detail["published"] else reader._("Kun i kladden")
    return Line(sentence, kind, reader._(KINDS.get(kind, kind)), _changes(reader, kind, detail), target, note)


def kind_choices(kinds: list[str], language: str) -> list[tuple[str, str]]:
    """The filter's kinds, (kind, name in ``language``), in the order of :data:`KINDS`."""
    _ = gettext_for(language)
    order = list(KINDS)
    known = sorted((k for k in kinds if k in KINDS), key=order.index)
    return [(k, _(KINDS[k])) for k in known] + [(k, k) for k in sorted(set(kinds) - set(KINDS))]


def _facts(detail: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = detail.get(key)
    return dict(value) if isinstance(value, Mapping) else {}


class _Reader:
    """Translations and time formats of one language and time zone."""

    def __init__(self, language: str, timezone: str) -> None:
        self.language = language
        self.timezone = timezone
        self.gettext = gettext_for(language)
        self.ngettext = ngettext_for(language)

    def _(self, message: str, **values: Any) -> str:
        text = self.gettext(message)
        return text.format(**values) if values else text

    def who(self, actor: str, role: str) -> str:
        name = actor or "messe"
        if name.startswith("token:"):
            name = self._("API-nøglen '{name}'", name=name.removeprefix("token:"))
        if role in ROLES:
            return self._("{name} ({role})", name=name, role=self._(ROLES[role]))
        return name

    def clock(self, value: Any) -> str:
        moment = _moment(value)
        return format_clock(moment, self.timezone, self.language) if moment else ""

    def place(self, facts: Mapping[str, Any]) -> str:
        """"10:00 Store Sal": a talk's start and stage."""
        return " ".join(part for part in (self.clock(facts.get("starts_at")), str(facts.get("stage") or "")) if part)

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return ""
        if name in TIMES:
            moment = _moment(value)
            return format_moment(moment, self.timezone, self.language) if moment else str(value)
        if name == "date":
            moment = _moment(value)
            return format_date(moment, "long", locale=self.language) if moment else str(value)
        if name == "state":
            return self._(STATES.get(value, str(value)))
        if name == "language":
            return LANGUAGE_NAMES.get(value, str(value))
        if isinstance(value, bool):
            return self._("ja") if value else self._("nej")
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        text = str(value)
        return text if len(text) <= LONG_TEXT else text[:LONG_TEXT - 1].rstrip() + "…"


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _changes(reader: _Reader, kind: str, detail: Mapping[str, Any]) -> list[Change]:
    before, after = _facts(detail, "before"), _facts(detail, "after")
    if not before and not after:
        return []
    names = [n for n in dict.fromkeys([*after, *before]) if before.get(n) != after.get(n) or not before]
    if kind == "talk.created":
        names = [n for n in names if n not in ("abstract",)]
    return [Change(reader._(FIELDS.get(n, n)), reader.value(n, before.get(n)), reader.value(n, after.get(n)))
            for n in names if n != "title" or before]


def _sentence(r: _Reader, kind: str, action: str, who: str, d: Mapping[str, Any]) -> str:
    _, n = r._, r.ngettext
    before, after = _facts(d, "before"), _facts(d, "after")
    title = str(d.get("title") or after.get("title") or before.get("title") or "")
    name = str(d.get("name") or after.get("name") or before.get("name") or d.get("username") or "")
    count = d.get("count")
    if kind == "talk.created":
        place = r.place(after)
        if place:
            return _("{who} oprettede '{title}' ({place})", who=who, title=title, place=place)
        return _("{who} oprettede '{title}'", who=who, title=title)
    if kind == "talk.moved":
        return _("{who} flyttede '{title}' fra {before} til {after}", who=who, title=title,
                 before=r.place(before) or "?", after=r.place(after) or "?")
    if kind == "talk.cancelled":
        return _("{who} aflyste '{title}' ({place})", who=who, title=title, place=r.place(after) or "?")
    if kind == "talk.restored":
        return _("{who} genoptog '{title}' ({place})", who=who, title=title, place=r.place(after) or "?")
    if kind == "talk.updated":
        if before.get("title") and after.get("title") and before["title"] != after["title"]:
            return _("{who} omdøbte '{before}' til '{after}'", who=who, before=before["title"], after=after["title"])
        if title:
            return _("{who} ændrede '{title}'", who=who, title=title)
        return _("{who} ændrede et foredrag", who=who)
    if kind == "talk.stages_swapped":
        if title and d.get("other_title"):
            return _("{who} byttede scene for '{title}' og '{other}'", who=who, title=title, other=d["other_title"])
        return _("{who} byttede scene for to foredrag", who=who)
    if kind == "talk.deleted":
        return _("{who} slettede kladden '{title}'", who=who, title=title)
    if kind == "talk.speakers_told":
        sent = len(d.get("sent") or [])
        text = n("{who} skrev til {count} taler om '{title}'", "{who} skrev til {count} talere om '{title}'",
                 sent, who=who, title=title)
        refused = len(d.get("refused") or [])
        if refused:
            text += " " + n("({count} mail blev afvist)", "({count} mails blev afvist)", refused)
        return text
    if kind == "programme.published":
        return n("{who} offentliggjorde version {version} med {count} ændring",
                 "{who} offentliggjorde version {version} med {count} ændringer",
                 int(d.get("changes") or 0), who=who, version=d.get("version", ""))
    if kind == "programme.announced":
        return _("{who} sendte meddelelsen '{title}'", who=who, title=title)
    if kind == "programme.imported":
        return _("{who} importerede programmet fra {filename}", who=who, filename=d.get("filename") or "?")
    if kind == "event.moved":
        return n("{who} flyttede messen fra {before} til {after} ({count} foredrag)",
                 "{who} flyttede messen fra {before} til {after} ({count} foredrag)",
                 int(d.get("talks") or 0), who=who, before=r.value("date", d.get("before")),
                 after=r.value("date", d.get("after")))
    record, _dot, verb = action.partition(".")
    if record in RECORD_WORDS and verb in ("created", "updated", "deleted"):
        word = _(RECORD_WORDS[record])
        label = name or str(d.get("code") or d.get("stand") or "")
        template = {"created": "{who} oprettede {record} '{name}'", "updated": "{who} ændrede {record} '{name}'",
                    "deleted": "{who} slettede {record} '{name}'"}[verb]
        if not label:
            template = {"created": "{who} oprettede {record}", "updated": "{who} ændrede {record}",
                        "deleted": "{who} slettede {record}"}[verb]
        return _(template, who=who, record=word, name=label)
    person = name or _("en deltager")
    if kind == "attendee.created":
        if d.get("method") == "walk_in":
            return _("{who} registrerede {name} ved døren", who=who, name=person)
        return _("{who} registrerede {name}", who=who, name=person)
    if kind == "attendee.updated":
        return _("{who} ændrede oplysningerne om {name}", who=who, name=person)
    if kind == "attendee.deleted":
        return _("{who} slettede deltageren {name}", who=who, name=person)
    if kind == "attendee.erased":
        return _("{who} slettede en deltagers persondata", who=who)
    if kind == "attendees.imported":
        created = int(d.get("created") or 0)
        return n("{who} importerede {count} deltager fra {filename}",
                 "{who} importerede {count} deltagere fra {filename}", created, who=who,
                 filename=d.get("filename") or "?")
    if kind == "attendees.exported":
        return n("{who} eksporterede {count} deltager", "{who} eksporterede {count} deltagere",
                 int(count or 0), who=who)
    if kind == "link.issued":
        return _("{who} lavede et nyt personligt link til {name}", who=who, name=person)
    if kind == "links.mailed":
        mailed = int(d.get("sent") if isinstance(d.get("sent"), int) else (count or 0))
        return n("{who} mailede et personligt link til {count} deltager",
                 "{who} mailede personlige links til {count} deltagere", mailed, who=who)
    if kind == "checkin.created":
        if d.get("method") == "scan":
            return _("{who} tjekkede {name} ind med en scanning af badget", who=who, name=person)
        if d.get("method") == "walk_in":
            return _("{who} tjekkede {name} ind som gæst uden forhåndstilmelding", who=who, name=person)
        return _("{who} tjekkede {name} ind i hånden", who=who, name=person)
    if kind == "badge.printed":
        return _("{who} udskrev badget til {name}", who=who, name=person)
    if kind == "badge.reprinted":
        return _("{who} genudskrev badget til {name} (version {version})", who=who, name=person,
                 version=d.get("badge_version", "?"))
    if kind == "badges.printed":
        return n("{who} udskrev {count} badge", "{who} udskrev {count} badges", int(count or 0), who=who)
    if kind == "lead.captured":
        return _("{who} scannede {name} som lead hos {exhibitor}", who=who, name=person,
                 exhibitor=d.get("exhibitor") or "?")
    if kind == "account.created":
        return _("{who} oprettede login '{username}' ({role})", who=who, username=d.get("username", ""),
                 role=_(ROLES.get(str(d.get("role")), str(d.get("role") or ""))))
    if kind == "staff.created":
        return _("{who} oprettede login '{username}' til stand {stand}", who=who, username=d.get("username", ""),
                 stand=d.get("exhibitor", ""))
    if kind == "account.activated":
        return _("{who} genåbnede login '{username}'", who=who, username=d.get("username", ""))
    if kind == "account.deactivated":
        return _("{who} lukkede login '{username}'", who=who, username=d.get("username", ""))
    if kind == "account.password_set":
        return _("{who} satte en ny adgangskode for '{username}'", who=who, username=d.get("username", ""))
    if kind == "sessions.ended":
        return _("{who} loggede {name} ud på alle enheder", who=who, name=name or _("en person"))
    if kind == "token.created":
        return _("{who} oprettede API-nøglen '{name}' ({role})", who=who, name=name,
                 role=_(ROLES.get(str(d.get("role")), str(d.get("role") or ""))))
    if kind == "token.revoked":
        return _("{who} tilbagekaldte API-nøglen '{name}'", who=who, name=name)
    if kind == "event.purged":
        return n("{who} slettede persondata om {count} deltager", "{who} slettede persondata om {count} deltagere",
                 int(d.get("attendees_erased") or 0), who=who)
    return _("{who}: {action}", who=who, action=action)

