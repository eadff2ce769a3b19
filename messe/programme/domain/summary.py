"""One line for a person about a change-log entry ("'X' er flyttet til Scene 2 kl. 14:00–14:30"),
as a Danish template plus values so that the interface can translate it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from messe.i18n import Word
from messe.programme.domain.changelog import Kind
from messe.programme.domain.snapshot import Snapshot, parse_time


@dataclass(frozen=True)
class Line:
    template: str
    values: dict[str, str]
    # The language of each title among the values (a talk's own); a page marks it where that is
    # not the page's (WCAG 3.1.2). Stage names are in the fair's language.
    languages: dict[str, str | None] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.template.format(**self.values)


NO_STAGE = Word("ingen scene")


def _clock(value: str, tz: ZoneInfo) -> str:
    return parse_time(value).astimezone(tz).strftime("%H:%M")


def _stage(snapshot: Snapshot) -> str:
    return snapshot["stage"]["name"] if snapshot.get("stage") else NO_STAGE


def _values(prefix: str, snapshot: Snapshot, tz: ZoneInfo) -> dict[str, str]:
    return {f"{prefix}title": snapshot["title"], f"{prefix}stage": _stage(snapshot),
            f"{prefix}start": _clock(snapshot["starts_at"], tz), f"{prefix}end": _clock(snapshot["ends_at"], tz)}


TEMPLATES = {
    Kind.ADDED: "'{title}' er på programmet: {stage} kl. {start}–{end}",
    Kind.MOVED: "'{title}' er flyttet til {stage} kl. {start}–{end} (var {old_stage} kl. {old_start}–{old_end})",
    Kind.RETIMED: "'{title}' er flyttet til kl. {start}–{end} (var kl. {old_start}–{old_end})",
    Kind.RESTAGED: "'{title}' er flyttet til {stage} (var {old_stage})",
    Kind.CANCELLED: "'{title}' er aflyst",
    Kind.UPDATED: "'{title}' er opdateret",
}
RENAMED = "'{old_title}' hedder nu '{title}'"


def describe(kind: str, before: Snapshot | None, after: Snapshot | None, message: dict[str, Any] | None,
             timezone: str) -> Line:
    tz = ZoneInfo(timezone)
    if kind == Kind.ANNOUNCEMENT:
        return Line("{title}", {"title": (message or {}).get("title", "")})
    values = _values("", after, tz) if after else {}
    if before:
        values.update(_values("old_", before, tz))
    languages = {"title": (after or before or {}).get("language"), "old_title": (before or {}).get("language")}
    if kind == Kind.UPDATED and before and after and before["title"] != after["title"]:
        return Line(RENAMED, values, languages)
    return Line(TEMPLATES.get(kind, TEMPLATES[Kind.UPDATED]), values, languages)
