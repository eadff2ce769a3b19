"""What an exhibitor's profile shows besides its own fields: the talks given by its people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from messe.expo.models import Exhibitor


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def talks_by_people_of(exhibitor: Exhibitor, staff_names: Iterable[str],
                       talks: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The published talks (snapshots, in programme order) with a speaker from ``exhibitor``: one
    whose organisation is the exhibitor's name, or who is one of its staff."""
    organisation = _folded(exhibitor.name)
    staff = {_folded(name) for name in staff_names if name.strip()}
    return [talk for talk in talks
            if any(_folded(s.get("organisation") or "") == organisation or _folded(s.get("name") or "") in staff
                   for s in talk.get("speakers") or [])]
