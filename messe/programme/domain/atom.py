"""The change log as an Atom feed (RFC 4287)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    updated: datetime
    link: str
    content: str


def feed(*, feed_id: str, title: str, updated: datetime, self_url: str, page_url: str, author: str,
         language: str, entries: list[FeedEntry]) -> bytes:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", language)

    def add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    add(root, "id", feed_id)
    add(root, "title", title)
    add(root, "updated", updated.isoformat())
    add(root, "link", rel="self", type="application/atom+xml", href=self_url)
    add(root, "link", rel="alternate", type="text/html", href=page_url)
    add(add(root, "author"), "name", author)
    for entry in entries:
        element = add(root, "entry")
        add(element, "id", entry.id)
        add(element, "title", entry.title)
        add(element, "updated", entry.updated.isoformat())
        add(element, "link", rel="alternate", type="text/html", href=entry.link)
        add(element, "content", entry.content, type="text")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
