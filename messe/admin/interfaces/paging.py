"""Pages of a long list: which page was asked for (``?page=``), clamped to the pages there are."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from starlette.requests import Request


@dataclass(frozen=True)
class Paging:
    number: int
    pages: int
    per_page: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def last_shown(self) -> int:
        return min(self.total, self.offset + self.per_page)


def paging(request: Request, total: int, per_page: int) -> Paging:
    pages = max(1, ceil(total / per_page))
    raw = request.query_params.get("page", "1")
    number = min(max(1, int(raw)), pages) if raw.isdigit() and len(raw) < 8 else 1
    return Paging(number, pages, per_page, total)
