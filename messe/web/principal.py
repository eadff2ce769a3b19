"""Who is making a request: resolved once per request from a bearer token or the session."""

from __future__ import annotations

from dataclasses import dataclass

from messe.people.models import AccountRole


@dataclass(frozen=True)
class Principal:
    kind: str  # "anonymous", "attendee", or an AccountRole
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
        return self.kind == AccountRole.ORGANISER

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
