"""Web Push under ``/<event>/api/``: the VAPID public key browsers subscribe with, and the
signed-in attendee's subscriptions (DESIGN.md, "Push to closed pages")."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from messe.push.domain import subscriptions
from messe.push.domain.keys import public_key
from messe.web.api import ApiRoute, Operation, read_json
from messe.web.context import current_event, signed_in_attendee

ATTENDEE = ("attendee",)
TAGS = ("Push-beskeder",)


class PushKeyOut(BaseModel):
    public_key: str


class SubscriptionKeys(BaseModel):
    model_config = ConfigDict(extra="forbid")

    p256dh: str = Field(max_length=100)
    auth: str = Field(max_length=40)


class SubscriptionIn(BaseModel):
    """A browser's ``PushSubscription.toJSON()``."""

    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=1, max_length=subscriptions.MAX_ENDPOINT)
    expirationTime: int | None = None
    keys: SubscriptionKeys


class Unsubscribe(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=1, max_length=subscriptions.MAX_ENDPOINT)


class OldSubscription(BaseModel):
    """The subscription the browser replaced: its endpoint and auth secret (``keys.auth``)."""

    model_config = ConfigDict(extra="forbid")

    endpoint: str = Field(min_length=1, max_length=subscriptions.MAX_ENDPOINT)
    auth: str = Field(min_length=1, max_length=40)


class Renewal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    old: OldSubscription
    subscription: SubscriptionIn


class SubscriptionsOut(BaseModel):
    subscriptions: int


async def push_key(request: Request) -> Response:
    await current_event(request)
    return JSONResponse({"public_key": public_key(request.app.state.push.signer)},
                        headers={"Cache-Control": "public, max-age=3600"})


async def my_push(request: Request) -> Response:
    attendee = await signed_in_attendee(request)
    if request.method == "POST":
        body = await read_json(request, SubscriptionIn)
        await subscriptions.subscribe(attendee, body.endpoint, body.keys.p256dh, body.keys.auth,
                                      request.app.state.settings.push_hosts)
        return JSONResponse({"subscriptions": await subscriptions.subscription_count(attendee)}, status_code=201)
    endpoint = (await read_json(request, Unsubscribe)).endpoint if (await request.body()).strip() else None
    await subscriptions.unsubscribe(attendee, endpoint)
    return JSONResponse({"subscriptions": await subscriptions.subscription_count(attendee)})


async def renewal(request: Request) -> Response:
    """The service worker's ``pushsubscriptionchange``: no session (it sends no cookie, so the CSRF
    check has nothing to protect), authorised by the old subscription's secret alone."""
    event = await current_event(request)
    body = await read_json(request, Renewal)
    new = body.subscription
    count = await subscriptions.renew(event.id, body.old.endpoint, body.old.auth, new.endpoint, new.keys.p256dh,
                                      new.keys.auth, request.app.state.settings.push_hosts)
    return JSONResponse({"subscriptions": count})


routes = [
    ApiRoute("/api/push-key", push_key, {
        "GET": Operation("Den offentlige VAPID-nøgle, som browseren abonnerer med", response=PushKeyOut, tags=TAGS),
    }),
    ApiRoute("/api/me/push", my_push, {
        "POST": Operation("Få push-beskeder i denne browser, når mit program ændrer sig", ATTENDEE,
                          body=SubscriptionIn, response=SubscriptionsOut, status=201, errors=(422,), tags=TAGS),
        "DELETE": Operation("Ingen push-beskeder mere (til én browser, eller uden body til alle)", ATTENDEE,
                            body=Unsubscribe, response=SubscriptionsOut, tags=TAGS),
    }),
    ApiRoute("/api/push/renewal", renewal, {
        "POST": Operation("Browseren har skiftet et push-abonnement ud: det nye afløser det gamle (service workeren "
                          "beviser det gamle med dets endpoint og auth-nøgle og sender ingen cookie)",
                          body=Renewal, response=SubscriptionsOut, errors=(403, 422), tags=TAGS),
    }),
]
