"""Stand numbers in natural order: A2 before A10, and hall A before hall B."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TypeVar

from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from messe.expo.models import Exhibitor

_PARTS = re.compile(r"(\d+)")
E = TypeVar("E", bound=Exhibitor)


def stand_key(stand: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that compares the digits in ``stand`` as numbers ("A2" < "A10" < "B1")."""
    return tuple((1, int(part)) if part.isdigit() else (0, part.upper()) for part in _PARTS.split(stand) if part)


def by_stand(exhibitors: Iterable[E]) -> list[E]:
    return sorted(exhibitors, key=lambda e: stand_key(e.stand))


def in_stand_order(query: QuerySet[Exhibitor]) -> QuerySet[Exhibitor]:
    """``query`` ordered by stand in the database (for paging), the same as :func:`stand_key` for
    stands of one letter and a number, as the fair's are: the letter, then the shorter number."""
    return (query.annotate(stand_letter=RawSQL("upper(substr(stand, 1, 1))"), stand_length=RawSQL("length(stand)"))
            .order_by("stand_letter", "stand_length", "stand", "id"))
