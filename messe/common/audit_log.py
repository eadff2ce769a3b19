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
    "lead.updated": "Lead rettet",
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
    "is_active": "Kan logge ind", "notes": "Noter", "rating": "Vurdering", "tags": "Tags",
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
        """How a sentence names its writer; every sentence begins with it."""
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


# Sentences that need no more than the entry's values (Danish; see _values for the names).
SENTENCES = {
    "talk.cancelled": "{who} aflyste '{title}' ({place})",
    "talk.restored": "{who} genoptog '{title}' ({place})",
    "talk.deleted": "{who} slettede kladden '{title}'",
    "programme.announced": "{who} sendte meddelelsen '{title}'",
    "programme.imported": "{who} importerede programmet fra {filename}",
    "attendee.updated": "{who} ændrede oplysningerne om {person}",
    "attendee.deleted": "{who} slettede deltageren {person}",
    "attendee.erased": "{who} slettede en deltagers persondata",
    "link.issued": "{who} lavede et nyt personligt link til {person}",
    "badge.printed": "{who} udskrev badget til {person}",
    "badge.reprinted": "{who} genudskrev badget til {person} (version {version})",
    "lead.captured": "{who} scannede {person} som lead hos {exhibitor}",
    "lead.updated": "{who} rettede leadet {person} hos {exhibitor}",
    "account.created": "{who} oprettede login '{username}' ({role})",
    "staff.created": "{who} oprettede login '{username}' til stand {stand}",
    "account.activated": "{who} genåbnede login '{username}'",
    "account.deactivated": "{who} lukkede login '{username}'",
    "account.password_set": "{who} satte en ny adgangskode for '{username}'",
    "sessions.ended": "{who} loggede {someone} ud på alle enheder",
    "token.created": "{who} oprettede API-nøglen '{name}' ({role})",
    "token.revoked": "{who} tilbagekaldte API-nøglen '{name}'",
}
# Sentences with a count: (singular, plural, the detail that holds the count).
COUNTED = {
    "programme.published": ("{who} offentliggjorde version {version} med {count} ændring",
                            "{who} offentliggjorde version {version} med {count} ændringer", "changes"),
    "event.moved": ("{who} flyttede messen fra {before} til {after} ({count} foredrag)",
                    "{who} flyttede messen fra {before} til {after} ({count} foredrag)", "talks"),
    "attendees.imported": ("{who} importerede {count} deltager fra {filename}",
                           "{who} importerede {count} deltagere fra {filename}", "created"),
    "attendees.exported": ("{who} eksporterede {count} deltager", "{who} eksporterede {count} deltagere", "count"),
    "links.mailed": ("{who} mailede et personligt link til {count} deltager",
                     "{who} mailede personlige links til {count} deltagere", "sent"),
    "badges.printed": ("{who} udskrev {count} badge", "{who} udskrev {count} badges", "count"),
    "event.purged": ("{who} slettede persondata om {count} deltager",
                     "{who} slettede persondata om {count} deltagere", "attendees_erased"),
}
# A simple record's sentences, by what happened to it and whether the entry names it.
RECORD_SENTENCES = {
    ("created", True): "{who} oprettede {record} '{name}'", ("created", False): "{who} oprettede {record}",
    ("updated", True): "{who} ændrede {record} '{name}'", ("updated", False): "{who} ændrede {record}",
    ("deleted", True): "{who} slettede {record} '{name}'", ("deleted", False): "{who} slettede {record}",
}
CHECKIN_SENTENCES = {
    "scan": "{who} tjekkede {person} ind med en scanning af badget",
    "walk_in": "{who} tjekkede {person} ind som gæst uden forhåndstilmelding",
    "hand": "{who} tjekkede {person} ind i hånden",
}


def _values(r: _Reader, who: str, d: Mapping[str, Any]) -> dict[str, Any]:
    """What the sentences may name: who, the talk's title and place, the person, the record's name…"""
    before, after = _facts(d, "before"), _facts(d, "after")
    name = str(d.get("name") or after.get("name") or before.get("name") or "")
    role = str(d.get("role") or "")
    dated = isinstance(d.get("before"), str)  # the fair moved from one day to another
    return {
        "who": who, "name": name, "person": name or r._("en deltager"), "someone": name or r._("en person"),
        "title": str(d.get("title") or after.get("title") or before.get("title") or ""),
        "place": r.place(after) or "?", "username": d.get("username", ""), "role": r._(ROLES.get(role, role)),
        "stand": d.get("exhibitor", ""), "exhibitor": d.get("exhibitor") or "?", "version": d.get("version") or
        d.get("badge_version", "?"), "filename": d.get("filename") or "?", "other": d.get("other_title", ""),
        "before": r.value("date", d.get("before")) if dated else r.place(before) or "?",
        "after": r.value("date", d.get("after")) if dated else r.place(after) or "?",
    }


def _sentence(r: _Reader, kind: str, action: str, who: str, d: Mapping[str, Any]) -> str:
    values = _values(r, who, d)
    if kind in SENTENCES:
        return r._(SENTENCES[kind], **values)
    if kind in COUNTED:
        singular, plural, key = COUNTED[kind]
        count = d.get(key)
        return r.ngettext(singular, plural, count if isinstance(count, int) else 0, **values)
    if kind.startswith("talk."):
        return _talk_sentence(r, kind, d, values)
    record, _dot, verb = action.partition(".")
    if record in RECORD_WORDS and (verb, True) in RECORD_SENTENCES:
        label = values["name"] or str(d.get("code") or d.get("stand") or "")
        return r._(RECORD_SENTENCES[verb, bool(label)], **{**values, "record": r._(RECORD_WORDS[record]),
                                                              "name": label})
    if kind == "attendee.created":
        if d.get("method") == "walk_in":
            return r._("{who} registrerede {person} ved døren", **values)
        return r._("{who} registrerede {person}", **values)
    if kind == "checkin.created":
        return r._(CHECKIN_SENTENCES.get(str(d.get("method")), CHECKIN_SENTENCES["hand"]), **values)
    return r._("{who}: {action}", who=who, action=action)


def _talk_sentence(r: _Reader, kind: str, d: Mapping[str, Any], values: dict[str, Any]) -> str:
    before, after = _facts(d, "before"), _facts(d, "after")
    if kind == "talk.created":
        if r.place(after):
            return r._("{who} oprettede '{title}' ({place})", **values)
        return r._("{who} oprettede '{title}'", **values)
    if kind == "talk.moved":
        return r._("{who} flyttede '{title}' fra {before} til {after}", **values)
    if kind == "talk.stages_swapped":
        if values["title"] and values["other"]:
            return r._("{who} byttede scene for '{title}' og '{other}'", **values)
        return r._("{who} byttede scene for to foredrag", **values)
    if kind == "talk.speakers_told":
        text = r.ngettext("{who} skrev til {count} taler om '{title}'", "{who} skrev til {count} talere om '{title}'",
                          len(d.get("sent") or []), **values)
        refused = len(d.get("refused") or [])
        if refused:
            text += " " + r.ngettext("({count} mail blev afvist)", "({count} mails blev afvist)", refused)
        return text
    if before.get("title") and after.get("title") and before["title"] != after["title"]:
        return r._("{who} omdøbte '{before}' til '{after}'", **{**values, "before": before["title"],
                                                               "after": after["title"]})
    if values["title"]:
        return r._("{who} ændrede '{title}'", **values)
    return r._("{who} ændrede et foredrag", **values)
