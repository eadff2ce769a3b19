"""Managing who can sign in: password accounts, exhibitor staff, API tokens. Each change is
one transaction with its audit entry."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from messe.common.audit import record
from messe.common.models import Event
from messe.common.refusal import Refusal
from messe.expo.models import Exhibitor, ExhibitorStaff
from messe.people.domain.accounts import create_account, create_api_token
from messe.people.domain.passwords import hash_password
from messe.people.domain.secrets import token_hash
from messe.people.domain.sessions import Person, end_every_session, end_every_session_unsaved
from messe.people.models import Account, AccountRole, ApiToken


async def _exhibitor(event: Event, role: str, exhibitor_id: int | None) -> Exhibitor | None:
    if role != AccountRole.EXHIBITOR:
        return None
    exhibitor = await Exhibitor.get_or_none(id=exhibitor_id, event=event) if exhibitor_id else None
    if exhibitor is None:
        raise Refusal.invalid("Vælg den udstiller, kontoen hører til", field="exhibitor_id")
    return exhibitor


async def add_account(event: Event, *, username: str, password: str, role: str, name: str,
                      exhibitor_id: int | None, actor: str) -> Account:
    exhibitor = await _exhibitor(event, role, exhibitor_id)
    if await Account.filter(event=event, username=username).exists():
        raise Refusal.invalid("Brugernavnet '{value}' findes allerede", field="username", value=username)
    async with in_transaction():
        account = await create_account(event, username, password, role, name=name, exhibitor=exhibitor)
        await record(event, actor, "account.created", account, username=username, role=role)
    return account


async def add_staff(event: Event, exhibitor: Exhibitor, *, name: str, email: str, username: str, password: str,
                    actor: str) -> ExhibitorStaff:
    """A staff member of ``exhibitor`` with their own exhibitor login."""
    async with in_transaction():
        account = await add_account(event, username=username, password=password, role=AccountRole.EXHIBITOR,
                                    name=name or username, exhibitor_id=exhibitor.id, actor=actor)
        staff = await ExhibitorStaff.create(exhibitor=exhibitor, name=name or username, email=email,
                                            account=account)
        await record(event, actor, "staff.created", staff, exhibitor=exhibitor.stand, username=username)
    return staff


async def _account(event: Event, account_id: int) -> Account:
    account = await Account.get_or_none(id=account_id, event=event)
    if account is None:
        raise Refusal.not_found("Kontoen findes ikke")
    return account


async def set_active(event: Event, account_id: int, active: bool, *, actor: str,
                     actor_account_id: int | None) -> Account:
    """Let an account sign in again, or stop it; nobody can lock themselves out."""
    account = await _account(event, account_id)
    if not active and account.id == actor_account_id:
        raise Refusal.conflict("Du kan ikke deaktivere din egen konto")
    if account.is_active != active:
        async with in_transaction():
            account.is_active = active
            # Stopping an account ends its sessions for good: allowing it again revives none of them.
            ended = [] if active else end_every_session_unsaved(account)
            await account.save(update_fields=["is_active", *ended])
            await record(event, actor, "account.activated" if active else "account.deactivated", account,
                         username=account.username)
    return account


async def set_password(event: Event, account_id: int, password: str, *, actor: str) -> Account:
    account = await _account(event, account_id)
    async with in_transaction():
        account.password_hash = hash_password(password)
        await account.save(update_fields=["password_hash", *end_every_session_unsaved(account)])
        await record(event, actor, "account.password_set", account, username=account.username)
    return account


async def end_sessions(event: Event, person: Person, *, actor: str) -> None:
    """Sign ``person`` (an account or an attendee) out on every device."""
    async with in_transaction():
        await end_every_session(person)
        await record(event, actor, "sessions.ended", person)


async def add_token(event: Event, *, name: str, role: str, exhibitor_id: int | None, actor: str) -> str:
    """A new API token; only its hash is kept, so this is the one time it can be shown."""
    exhibitor = await _exhibitor(event, role, exhibitor_id)
    async with in_transaction():
        token = await create_api_token(event, role, name=name, exhibitor=exhibitor)
        created = await ApiToken.get(event=event, token_hash=token_hash(token))
        await record(event, actor, "token.created", created, name=name, role=role)
    return token


async def revoke_token(event: Event, token_id: int, *, actor: str) -> ApiToken:
    token = await ApiToken.get_or_none(id=token_id, event=event)
    if token is None:
        raise Refusal.not_found("Tokenet findes ikke")
    if token.revoked_at is None:
        async with in_transaction():
            token.revoked_at = datetime.now(UTC)
            await token.save(update_fields=["revoked_at"])
            await record(event, actor, "token.revoked", token, name=token.name)
    return token
