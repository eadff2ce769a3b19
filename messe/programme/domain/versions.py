"""What each published version of the programme changed, talk by talk, like pretalx's changelog.

A version's changes are the change-log rows its publication wrote: they carry its name and a
``seq`` up to the release's. Rows written afterwards by changes published at once (on the day)
carry the same name with a later ``seq``; they are a group of their own after the version, as
are those published before the first version. Announcements are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from messe.programme.domain.changelog import Kind
from messe.programme.domain.summary import Line, describe
from messe.programme.models import ScheduleChange, ScheduleRelease

RETITLED = "retitled"  # an update that renamed the talk
# How the page names each kind of change (Danish; the template translates them).
KIND_LABELS = {Kind.ADDED: "Ny", Kind.MOVED: "Flyttet", Kind.RETIMED: "Ny tid", Kind.RESTAGED: "Ny scene",
               Kind.CANCELLED: "Aflyst", RETITLED: "Ny titel", Kind.UPDATED: "Opdateret"}


@dataclass(frozen=True)
class Change:
    kind: str  # a key of KIND_LABELS
    line: Line


@dataclass
class TalkChanges:
    talk_id: int | None
    title: str  # as the talk's latest change in the group names it
    language: str | None = None  # the title's
    changes: list[Change] = field(default_factory=list)


@dataclass
class VersionChanges:
    version: str  # "" before the first version
    release: ScheduleRelease | None  # None: changes published at once after ``version``
    talks: list[TalkChanges] = field(default_factory=list)


def kind_of(change: ScheduleChange) -> str:
    if change.kind == Kind.UPDATED and change.before and change.after \
            and change.before["title"] != change.after["title"]:
        return RETITLED
    return change.kind


def _add(group: VersionChanges, change: ScheduleChange, timezone: str) -> None:
    snapshot = change.after or change.before or {}
    talk = next((t for t in group.talks if t.talk_id == change.talk_id), None)
    if talk is None:
        talk = TalkChanges(change.talk_id, snapshot.get("title", ""))
        group.talks.append(talk)
    talk.title = snapshot.get("title", talk.title)
    talk.language = snapshot.get("language", talk.language)
    talk.changes.append(Change(kind_of(change),
                               describe(change.kind, change.before, change.after, change.message, timezone)))


def version_changes(releases: list[ScheduleRelease], changes: list[ScheduleChange],
                    timezone: str) -> list[VersionChanges]:
    """Every version, newest first, each followed (above it) by what was published at once after it;
    ``changes`` in ``seq`` order. Talks in the order of their first change in the group."""
    by_name = {release.version: release for release in releases}
    groups: dict[tuple[str, bool], VersionChanges] = {
        (release.version, True): VersionChanges(release.version, release) for release in releases}
    for change in changes:
        if change.kind == Kind.ANNOUNCEMENT:
            continue
        release = by_name.get(change.version)
        in_release = release is not None and change.seq <= release.seq
        key = (change.version if release else "", in_release)
        if key not in groups:
            groups[key] = VersionChanges(key[0], release if in_release else None)
        _add(groups[key], change, timezone)
    ordered = []
    for release in sorted(releases, key=lambda r: r.seq, reverse=True):
        if (release.version, False) in groups:
            ordered.append(groups[(release.version, False)])
        ordered.append(groups[(release.version, True)])
    if ("", False) in groups:
        ordered.append(groups[("", False)])
    return ordered
