"""What the scanning API endpoints (leads and check-ins) share: the scan's fields, checking the
badge, and refusing it with a reason."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request

from messe.badges.domain.tokens import BadgeClaims
from messe.people.models import Attendee
from messe.scanning.domain.scans import verify_scan
from messe.web.context import current_event, current_principal
from messe.web.ratelimit import enforce

Payload = Annotated[str, Field(min_length=1, max_length=400, description="The text of the badge's QR code")]
ClientId = Annotated[str, Field(
    min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$",
    description="Made once per scan by the scanning device (e.g. a UUID); a retry sends the same id")]

REFUSALS = ("Afviste badges: 422 med reason malformed, forged, tampered, other_event eller unknown_attendee; "
            "409 med reason superseded (genoptrykt badge); 429 når en enhed skanner mere end en person kan")
# The error statuses of a scan besides 401/403/422, for the OpenAPI document.
SCAN_ERRORS = (409, 429)


async def scanned_badge(request: Request, payload: str) -> tuple[Attendee, BadgeClaims]:
    """The attendee whose current badge this is (refused otherwise, with the reason).

    Each scanning device (token or signed-in staffer) may scan at a human pace; a flood is 429."""
    principal = await current_principal(request)
    await enforce(request, "scan", str(principal.event_id), principal.device)
    event = await current_event(request)
    return await verify_scan(event, payload, request.app.state.settings.secret_key)
