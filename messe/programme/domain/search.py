"""Finding talks in the programme: by words, by track and by stage.

Words are matched, case and accents as written, against what a talk's page shows: its title,
abstract, speakers and their organisations, stage and track. Every word must match.
"""

from __future__ import annotations

from dataclasses import dataclass

from messe.programme.domain.snapshot import Snapshot

MAX_WORDS = 10


def searchable_text(talk: Snapshot) -> str:
    parts = [talk["title"], talk.get("abstract", ""), (talk.get("stage") or {}).get("name", ""),
             (talk.get("track") or {}).get("name", "")]
    for speaker in talk.get("speakers", []):
        parts += [speaker["name"], speaker.get("organisation", "")]
    return " ".join(parts).casefold()


@dataclass(frozen=True)
class Search:
    words: tuple[str, ...] = ()
    track_id: int | None = None
    stage_id: int | None = None

    @classmethod
    def of(cls, text: str = "", track_id: int | None = None, stage_id: int | None = None) -> Search:
        return cls(tuple(text.casefold().split()[:MAX_WORDS]), track_id, stage_id)

    @property
    def active(self) -> bool:
        return bool(self.words) or self.track_id is not None or self.stage_id is not None

    def matches(self, talk: Snapshot) -> bool:
        if self.track_id is not None and (talk.get("track") or {}).get("id") != self.track_id:
            return False
        if self.stage_id is not None and (talk.get("stage") or {}).get("id") != self.stage_id:
            return False
        text = searchable_text(talk)
        return all(word in text for word in self.words)
