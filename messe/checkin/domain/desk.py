"""The door desk: finding a registered person by name, organisation or e-mail, and which people a
door staffer may then serve by hand.

Matching folds case and accents the way a person at a desk would (``fold``): "aase" finds "Åse",
"odegard" and "oedegaard" find "Ødegård", "ДМИТРИЙ" finds "Дмитрий". Every word typed must occur
somewhere in the person's name, organisation or e-mail; names that start with what was typed come
first. Only what the badge prints (and the check-in state) leaves this module.

Door staff may check in by hand, reprint and download the badge of only the people their own
desk search just showed them, or the walk-ins they registered (a *desk grant*, ``GRANT_MINUTES``
long, per staffer). Organisers may serve anyone. So a door login cannot revoke badges or fetch
badge PDFs by walking through attendee ids.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from tortoise import connections

from messe.checkin.models import CheckIn, DeskGrant
from messe.common.models import Event
from messe.common.refusal import Refusal, RefusalKind
from messe.people.models import Attendee, Organisation

MIN_QUERY = 2  # characters besides spaces, after folding: one letter would list half the fair
MAX_QUERY = 100
MAX_RESULTS = 20
GRANT_MINUTES = 15

# Letters that Unicode does not decompose into a base letter and an accent, in both spellings a
# person types them without the letter: Danish "å" is "a" or "aa", "ø" is "o" or "oe".
_SHORT = str.maketrans({"å": "a", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                        "ı": "i"})
_LONG = str.maketrans({"å": "aa", "ø": "oe", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                       "ı": "i"})


@dataclass(frozen=True)
class Found:
    attendee_id: int
    name: str
    organisation: str
    checked_in_at: datetime | None
    badge_version: int


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=16384)
def fold(text: str) -> tuple[str, str]:
    """``text`` without case or accents, in its short and its long spelling (å → a and aa)."""
    lowered = unicodedata.normalize("NFC", text).casefold()
    short, long = (" ".join(_plain(lowered.translate(table)).split()) for table in (_SHORT, _LONG))
    return short, long


def _matches(words: list[tuple[str, str]], haystack: tuple[str, str]) -> bool:
    return all(short in haystack[0] or long in haystack[1] for short, long in words)


def _rank(words: list[tuple[str, str]], name: tuple[str, str]) -> int:
    """0 when the name starts with the first word, 1 when one of its words does, 2 otherwise."""
    short, long = words[0]
    if name[0].startswith(short) or name[1].startswith(long):
        return 0
    if f" {short}" in name[0] or f" {long}" in name[1]:
        return 1
    return 2


def query_words(text: str) -> list[tuple[str, str]]:
    """The folded words of a search text, refused when there is too little to search for."""
    words = [fold(word) for word in text.split()]
    if sum(len(short) for short, _ in words) < MIN_QUERY:
        raise Refusal.invalid("Skriv mindst {min_length} bogstaver af et navn, en organisation eller en e-mail",
                              field="q", min_length=MIN_QUERY)
    return words


async def search(event: Event, text: str) -> list[Found]:
    """Up to ``MAX_RESULTS`` of the event's people matching ``text``, best first."""
    words = query_words(text)
    organisations = dict(await Organisation.filter(event=event).values_list("id", "name"))
    people = Attendee.filter(event=event, erased_at=None).order_by().values_list(
        "id", "name", "email", "organisation_id", "badge_version")
    # Every attendee of the fair is read on each search: as plain rows, because converting 2,000 rows
    # field by field through the ORM took the event loop three times as long as the rest of the search.
    # The only parameters are the event's id and NULL, so the inlined SQL holds nothing typed by a person.
    _, rows = await connections.get("default").execute_query(people.sql(params_inline=True))
    hits = []
    for attendee_id, name, email, organisation_id, version in rows:
        organisation = organisations.get(organisation_id, "")
        haystack = fold(f"{name} {organisation} {email}")
        if _matches(words, haystack):
            folded_name = fold(name)
            hits.append((_rank(words, folded_name), folded_name[0], attendee_id, name, organisation, version))
    hits.sort()
    return await _with_check_ins([(attendee_id, name, organisation, version)
                                  for _, _, attendee_id, name, organisation, version in hits[:MAX_RESULTS]])


async def as_found(attendee: Attendee) -> Found:
    """``attendee`` (organisation fetched) as the desk shows a person found."""
    organisation = attendee.organisation.name if attendee.organisation else ""
    return (await _with_check_ins([(attendee.id, attendee.name, organisation, attendee.badge_version)]))[0]


async def _with_check_ins(people: list[tuple[int, str, str, int]]) -> list[Found]:
    first_in: dict[int, datetime] = {}
    for attendee_id, at in await CheckIn.filter(attendee_id__in=[p[0] for p in people]).order_by(
            "-checked_in_at").values_list("attendee_id", "checked_in_at"):
        first_in[attendee_id] = at  # the earliest one is written last
    return [Found(attendee_id, name, organisation, first_in.get(attendee_id), version)
            for attendee_id, name, organisation, version in people]


async def grant(event: Event, staffer: str, attendee_ids: Iterable[int]) -> None:
    """Let ``staffer`` serve these attendees for the next ``GRANT_MINUTES`` (and forget their
    expired grants)."""
    ids = set(attendee_ids)
    now = datetime.now(UTC)
    await DeskGrant.filter(staffer=staffer, expires_at__lt=now).delete()
    if not ids:
        return
    until = now + timedelta(minutes=GRANT_MINUTES)
    await DeskGrant.filter(staffer=staffer, attendee_id__in=ids).update(expires_at=until)
    held = set(await DeskGrant.filter(staffer=staffer, attendee_id__in=ids).values_list("attendee_id", flat=True))
    await DeskGrant.bulk_create([DeskGrant(event=event, staffer=staffer, attendee_id=attendee_id, expires_at=until)
                                 for attendee_id in sorted(ids - held)], ignore_conflicts=True)


async def ensure_may_serve(staffer: str, attendee_id: int) -> None:
    """Refused unless ``staffer`` found this attendee at the desk (or registered them) a moment
    ago: door staff check in, reprint or download the badge of those people only."""
    if not await DeskGrant.filter(staffer=staffer, attendee_id=attendee_id,
                                  expires_at__gte=datetime.now(UTC)).exists():
        raise Refusal.of(RefusalKind.FORBIDDEN, "Find personen i søgningen ved skranken først: dørpersonale kan kun "
                         "betjene dem, de lige har fundet eller registreret")
