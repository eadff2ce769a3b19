"""Turning the programme's domain errors into API errors in the visitor's language."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from starlette.requests import Request

from messe.programme.domain.errors import Conflict, NotFound, StaleRevision
from messe.programme.domain.rules import ProgrammeError
from messe.web.errors import ApiError
from messe.web.templates import translate


@contextlib.contextmanager
def domain_errors(request: Request) -> Iterator[None]:
    """A broken rule is 422 naming the clash, an unknown record 404, a contradiction 409 and a
    stale If-Match 412."""
    try:
        yield
    except ProgrammeError as exc:
        first = exc.violations[0]
        raise ApiError(422, translate(request, first.template, **first.values), fields=[
            {"field": v.field, "message": v.template, "values": v.values} for v in exc.violations]) from None
    except NotFound as exc:
        raise ApiError(404, translate(request, exc.template, **exc.values)) from None
    except Conflict as exc:
        raise ApiError(409, translate(request, exc.template, **exc.values)) from None
    except StaleRevision:
        raise ApiError(412) from None
