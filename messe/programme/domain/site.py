"""Where the programme lives on the web: the absolute URLs exports and feeds link to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """Where the programme lives on the web, for the URLs in the export."""

    base_url: str  # e.g. https://messe.example.dk
    version: str

    def event_url(self, slug: str) -> str:
        return f"{self.base_url}/{slug}/"

    def talk_url(self, slug: str, talk_id: int) -> str:
        return f"{self.base_url}/{slug}/talks/{talk_id}"
