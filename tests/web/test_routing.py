"""The event's router remembers which route answered a method and path, and answers exactly as
Starlette's router does: the first route that fully matches wins, the method counts, and what
matches no route fully (405, a missing slash, 404) is worked out as before."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route, Router, WebSocketRoute

from messe.web.routing import RememberingRouter


def _answer(name: str):
    async def endpoint(request):
        return PlainTextResponse(f"{name} {dict(request.path_params)} {request.scope['root_path']}")
    return endpoint


async def _socket(websocket):
    await websocket.accept()
    await websocket.send_text("socket")
    await websocket.close()


def _routes():
    return [
        Route("/talks/new", _answer("new talk"), methods=["GET"]),
        Route("/talks/{id:int}", _answer("talk"), methods=["GET"]),
        Route("/talks/{id:int}", _answer("move"), methods=["PATCH"]),
        Route("/leads", _answer("leads"), methods=["GET", "POST"]),
        Route("/checkin/", _answer("door"), methods=["GET"]),
        WebSocketRoute("/leads", _socket),
    ]


def _app(router_class) -> Starlette:
    router = router_class(_routes()) if router_class is RememberingRouter else Router(routes=_routes())
    return Starlette(routes=[Mount("/{event}", app=router)])


REQUESTS = [("GET", "/messe13/talks/new"), ("GET", "/messe13/talks/7"), ("PATCH", "/messe13/talks/7"),
            ("GET", "/messe13/talks/8"), ("GET", "/messe14/talks/7"), ("POST", "/messe13/leads"),
            ("GET", "/messe13/leads"), ("DELETE", "/messe13/leads"), ("PUT", "/messe13/talks/7"),
            ("GET", "/messe13/checkin"), ("GET", "/messe13/nowhere"), ("GET", "/messe13/talks/x")]


async def _answers(app: Starlette) -> list[tuple[int, str, str | None]]:
    answers = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        for _ in range(2):  # found, then remembered
            for method, path in REQUESTS:
                response = await client.request(method, path, follow_redirects=False)
                answers.append((response.status_code, response.text, response.headers.get("location")))
    return answers


async def test_every_request_is_answered_as_starlettes_router_answers_it():
    remembered, plain = await _answers(_app(RememberingRouter)), await _answers(_app(Router))
    assert remembered == plain
    assert remembered[0][1].startswith("new talk") and remembered[1][1].startswith("talk {'event': 'messe13', 'id': 7}")
    assert remembered[2][1].startswith("move") and remembered[4][1].endswith("/messe14")
    assert [status for status, _, _ in remembered[7:12]] == [405, 405, 307, 404, 404]


async def _open_socket(app: Starlette, path: str) -> list[dict]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "websocket.connect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "websocket", "path": path, "root_path": "", "headers": [], "query_string": b"",
             "scheme": "ws", "server": ("testserver", 80), "client": ("127.0.0.1", 5000), "subprotocols": []}
    await app(scope, receive, send)
    return sent


async def test_a_websocket_and_a_request_at_the_same_path_each_reach_their_own_route():
    app = _app(RememberingRouter)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        for _ in range(2):
            assert (await client.get("/messe13/leads")).text.startswith("leads")
            sent = await _open_socket(app, "/messe13/leads")
            assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]
            assert sent[1]["text"] == "socket"


@pytest.mark.parametrize("most", [1, 3])
async def test_it_remembers_a_bounded_number_of_paths(monkeypatch, most):
    monkeypatch.setattr(RememberingRouter, "MOST", most)
    router = RememberingRouter(_routes())
    app = Starlette(routes=[Mount("/{event}", app=router)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        for talk in range(20):
            answer = (await client.get(f"/messe13/talks/{talk}")).text
            assert answer.startswith(f"talk {{'event': 'messe13', 'id': {talk}}}")
    assert 1 <= len(router._answered) <= most
