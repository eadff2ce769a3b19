"""Creating and checking password accounts and API tokens."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import Q

from messe.common.models import Event
from messe.common.recently_read import RecentlyRead
from messe.common.refusal import Refusal
from messe.expo.models import Exhibitor
from messe.lookup import Lookup
from messe.people.domain.passwords import hash_password, needs_rehash, verify_password
from messe.people.domain.secrets import API_TOKEN_PREFIX, new_token, token_hash
from messe.people.domain.sessions import end_every_session_unsaved
from messe.people.domain.token_use import token_use
from messe.people.models import Account, AccountRole, ApiToken, Attendee

# Verifying against a fixed hash when the user is unknown keeps the timing the same.
_DUMMY_HASH = hash_password("messe-no-such-user")


async def create_account(
    event: Event,
    username: str,
    password: str,
    role: str,
    *,
    name: str = "",
    exhibitor: Exhibitor | None = None,
) -> Account:
    if role not in AccountRole.ALL:
        raise Refusal.invalid("Ukendt rolle '{role}'; vælg organiser, door eller exhibitor", field="role", role=role)
    if role == AccountRole.EXHIBITOR and exhibitor is None:
        raise Refusal.invalid("En udstillerkonto skal høre til en udstiller (--exhibitor STAND)", field="exhibitor")
    if await Account.filter(event=event, username=username).exists():
        raise Refusal.invalid("Brugernavnet '{value}' findes allerede", field="username", value=username)
    return await Account.create(
        event=event,
        username=username,
        name=name or username,
        password_hash=hash_password(password),
        role=role,
        exhibitor=exhibitor if role == AccountRole.EXHIBITOR else None,
    )


async def authenticate(event: Event, username: str, password: str) -> Account | None:
    account = await Account.get_or_none(event=event, username=username, is_active=True)
    if account is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(account.password_hash, password):
        return None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        await account.save(update_fields=["password_hash"])
    return account


async def create_api_token(
    event: Event, role: str, *, name: str = "", exhibitor: Exhibitor | None = None
) -> str:
    """Store a new token's hash and return the token itself, which is shown once."""
    if role not in AccountRole.ALL:
        raise Refusal.invalid("Ukendt rolle '{role}'; vælg organiser, door eller exhibitor", field="role", role=role)
    if role == AccountRole.EXHIBITOR and exhibitor is None:
        raise Refusal.invalid("Et udstiller-token skal høre til en udstiller (--exhibitor STAND)", field="exhibitor")
    token = new_token(API_TOKEN_PREFIX)
    await ApiToken.create(
        event=event,
        name=name or role,
        token_hash=token_hash(token),
        role=role,
        exhibitor=exhibitor if role == AccountRole.EXHIBITOR else None,
    )
    return token


# A scanner sends its token with each of its scans. Revoked here, a token stops working at once;
# revoked by another worker, within the copy's five seconds.
known_tokens: RecentlyRead[ApiToken] = RecentlyRead(ApiToken, lambda token: (token.event_id, token.token_hash))
_VALID_TOKEN = Lookup(ApiToken, "event_id", "token_hash", revoked_at=None)


async def find_api_token(event: Event, token: str) -> ApiToken | None:
    digest = token_hash(token)
    found = await known_tokens.read((event.id, digest), lambda: _VALID_TOKEN.get(event_id=event.id, token_hash=digest))
    if found is not None:
        token_use.note(found, datetime.now(UTC))
    return found


async def issue_personal_link_token(attendee: Attendee) -> str:
    """A new sign-in token for the attendee's personal link; the previous link stops working, and so
    does every session it signed in."""
    token = new_token()
    attendee.login_token_hash = token_hash(token)
    await attendee.save(update_fields=["login_token_hash", *end_every_session_unsaved(attendee)])
    return token


async def attendee_for_link_token(event: Event, token: str) -> Attendee | None:
    """The attendee whose current link, or requested link, ``token`` is. A requested link opened
    becomes the current one: the previous link stops working from then on."""
    if not token or len(token) > 200:
        return None
    digest = token_hash(token)
    attendee = await Attendee.filter(Q(login_token_hash=digest) | Q(pending_token_hash=digest),
                                     event=event, erased_at=None).first()
    if attendee is not None and attendee.pending_token_hash == digest:
        attendee.login_token_hash, attendee.pending_token_hash = digest, None
        await attendee.save(update_fields=["login_token_hash", "pending_token_hash"])
    return attendee
