"""What the scanner pages (leads and door) share: their script's configuration and messages, the
sign-in redirect, form errors, and the service worker that lets them open offline."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse

from messe.badges.domain.tokens import BAD_SIGNATURE, MALFORMED, OTHER_EVENT, SUPERSEDED
from messe.common.refusal import Refusal
from messe.config import STATIC_DIR
from messe.i18n import Counted
from messe.people.models import Attendee
from messe.scanning.domain.scans import MESSAGES, public_key_text
from messe.web.context import current_event, current_principal
from messe.web.errors import ApiError
from messe.web.templates import script_texts, translate

SERVICE_WORKER = STATIC_DIR / "js" / "scan" / "sw.js"

Texts = dict[str, Any]

# What both scanner pages' scripts say, in Danish; the pages translate them for the reader (a counted
# text with both its forms, web.templates.script_texts).
SCANNER_TEXT: Texts = {
    "pending": Counted("{count} venter på synkronisering", "{count} venter på synkronisering"),
    "synced": "Alt er synkroniseret",
    "offline": "ingen forbindelse",
    "signedOut": "Du er logget ud. Log ind igen for at synkronisere.",
    "waiting": "Venter på synkronisering",
    "cameraStart": "Start kamera",
    "cameraStop": "Stop kamera",
    "camera": {  # why the camera did not start (static/js/scan/page.js), never the browser's English
        "denied": "Siden har ikke adgang til kameraet. Tillad kameraet i browserens indstillinger for siden, "
                  "og tryk Start kamera igen.",
        "missing": "Der er intet kamera, siden kan bruge. Tast koden fra badget i feltet nedenfor i stedet.",
        "busy": "Kameraet bruges af en anden app. Luk den, og tryk Start kamera igen.",
        "insecure": "Kameraet kan kun bruges, når siden er åbnet med https.",
        "failed": "Kameraet kunne ikke startes. Tryk Start kamera igen, eller tast koden fra badget i feltet nedenfor.",
    },
    "signOutWaiting": Counted("{count} skanning er ikke synkroniseret endnu. Den bliver på telefonen til næste "
                              "gang, du logger ind. Log ud alligevel?",
                              "{count} skanninger er ikke synkroniseret endnu. De bliver på telefonen til næste "
                              "gang, du logger ind. Log ud alligevel?"),
    "noCrypto": "Browseren kan ikke tjekke badges (Ed25519 mangler). Brug en nyere browser.",
    "refused": {
        MALFORMED: MESSAGES[MALFORMED],
        BAD_SIGNATURE: "Badgets signatur er ugyldig: koden er ændret eller forfalsket",
        OTHER_EVENT: MESSAGES[OTHER_EVENT],
        SUPERSEDED: MESSAGES[SUPERSEDED],
    },
}


async def scanner_config(request: Request, store: str, text: Texts, **urls: str) -> dict[str, object]:
    """What a scanner page's script needs: its messages, and to check badges with no network, the
    event's public key and which attendees have been reprinted (so older badges are refused offline)."""
    event = await current_event(request)
    reprints = await Attendee.filter(event=event, badge_version__gt=1).values_list("id", "badge_version")
    return {
        "event": event.slug,
        "timezone": event.timezone,
        "publicKey": public_key_text(request.app.state.settings.secret_key, event.slug),
        "reprints": {str(attendee_id): version for attendee_id, version in reprints},
        "store": f"messe-scan:{event.slug}:{store}",
        "urls": urls,
        "text": script_texts(request, {**SCANNER_TEXT, **text}),
    }


async def sign_in_first(request: Request) -> RedirectResponse | None:
    """Send a visitor who is not signed in to the login page, and back here afterwards."""
    if not (await current_principal(request)).is_anonymous:
        return None
    event = await current_event(request)
    return RedirectResponse(f"/{event.slug}/login?next={request.url.path}", status_code=303)


def field_messages(request: Request, exc: ApiError | Refusal) -> dict[str, str]:
    """A form's invalid fields, each with its message in the reader's language."""
    error = ApiError.refused(exc) if isinstance(exc, Refusal) else exc
    return {f["field"]: translate(request, f["message"], **f.get("values", {})) for f in error.fields}


async def service_worker(request: Request) -> FileResponse:
    """The scanner pages' service worker, served next to the page so that it controls that page."""
    return FileResponse(SERVICE_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"})
