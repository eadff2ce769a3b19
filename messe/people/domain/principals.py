"""Who is making a request: the :class:`Principal` a bearer token or a signed-in session names.

messe.web reads the ``Authorization`` header and the session cookie once per request
(messe.web.context) and asks this module whom they name; the people part alone knows accounts,
attendees, API tokens and when a session has ended. Each resolution costs one read of the
person's row (an API token's at most every five seconds; see ``accounts.known_tokens``).
"""

from __future__ import annotations

from dataclasses import dataclass

from messe.common.models import Event
from messe.people.domain.accounts import find_api_token
from messe.people.domain.sessions import SessionClaim, session_alive
from messe.people.models import Account, AccountRole, Attendee

ORGANISER = AccountRole.ORGANISER
DOOR = AccountRole.DOOR
EXHIBITOR = AccountRole.EXHIBITOR
ATTENDEE = "attendee"


@dataclass(frozen=True)
class Principal:
    kind: str  # "anonymous", ATTENDEE, or an AccountRole
    event_id: int | None = None
    account_id: int | None = None
    attendee_id: int | None = None
    exhibitor_id: int | None = None
    name: str = ""
    via_token: bool = False
    token_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.kind == "anonymous"

    @property
    def is_organiser(self) -> bool:
        return self.kind == ORGANISER

    @property
    def label(self) -> str:
        """How the audit log names this person."""
        if self.via_token:
            return f"token:{self.name or self.kind}"
        return self.name or self.kind

    @property
    def device(self) -> str:
        """One key per signed-in staffer or API token (what a per-device limit counts)."""
        if self.via_token:
            return f"token:{self.token_id}"
        return f"{self.kind}:{self.account_id or self.attendee_id or ''}"


ANONYMOUS = Principal(kind="anonymous")


async def principal_for_token(event: Event, token: str) -> Principal | None:
    """Whom an API token of ``event`` names; None for an unknown or revoked token."""
    api_token = await find_api_token(event, token)
    if api_token is None:
        return None
    return Principal(kind=api_token.role, event_id=event.id, exhibitor_id=api_token.exhibitor_id,
                     name=api_token.name, via_token=True, token_id=api_token.id)


async def principal_for_session(event: Event, claim: SessionClaim | None, account_id: object,
                                attendee_id: object) -> Principal | None:
    """Whom a session of ``event`` names (a staff account, else an attendee, as its cookie says);
    None when it names nobody any more: the session has ended, or the person is gone (the caller
    drops the cookie). ANONYMOUS for a session that names nobody at all."""
    if account_id:
        account = await Account.get_or_none(id=account_id, event=event, is_active=True)
        if account is not None and session_alive(account, claim):
            return Principal(kind=account.role, event_id=event.id, account_id=account.id,
                             exhibitor_id=account.exhibitor_id, name=account.name)
    if attendee_id:
        attendee = await Attendee.get_or_none(id=attendee_id, event=event, erased_at=None)
        if attendee is not None and session_alive(attendee, claim):
            return Principal(kind=ATTENDEE, event_id=event.id, attendee_id=attendee.id, name=attendee.name)
    if account_id or attendee_id:
        return None
    return ANONYMOUS


async def attendee_of(principal: Principal) -> Attendee:
    """The signed-in attendee ``principal`` is (resolved this request, so the row is there)."""
    return await Attendee.get(id=principal.attendee_id)
