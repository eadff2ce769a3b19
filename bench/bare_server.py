"""The baseline for ``bench/programme_read.py``: a bare Starlette app that answers every path with
bytes captured from messe, from memory, under the same uvicorn stack.

    python bench/bare_server.py CAPTURE.json PORT

``CAPTURE.json`` maps a path to ``{"type", "etag", "identity", "gzip"}`` (bodies base64). The app
does only what any server of fixed bytes must: pick the encoding and answer ``If-None-Match``.
"""

from __future__ import annotations

import base64
import json
import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def bare_app(capture: dict[str, dict[str, str]]) -> Starlette:
    answers = {path: (entry["type"], entry["etag"], base64.b64decode(entry["identity"]),
                      base64.b64decode(entry["gzip"])) for path, entry in capture.items()}

    async def answer(request: Request) -> Response:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        media_type, etag, identity, gzipped = answers[path]
        headers = {"etag": etag, "vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(gzipped, media_type=media_type, headers={**headers, "content-encoding": "gzip"})
        return Response(identity, media_type=media_type, headers=headers)

    return Starlette(routes=[Route("/{path:path}", answer)])


if __name__ == "__main__":
    import uvicorn

    with open(sys.argv[1]) as file:
        app = bare_app(json.load(file))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), access_log=False, log_level="warning")
