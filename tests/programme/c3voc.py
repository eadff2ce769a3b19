"""c3voc's schedule.json → schedule.xml mapping, as its converter applies it (``schedule_json2xml.py``,
the ``xml()`` method of ``voc.schedule.Schedule`` in c3voc-schedule-tools 1.1.0), for checking that
messe's JSON becomes XSD-valid XML in the hands of the c3voc tools. That package pins lxml < 5 and
icalendar < 6, so it cannot be installed beside messe; these are its rules, written out (checked to
give the same XML as the release on messe's export and on the pretalx and frab examples):

- ``id``, ``guid`` and ``code`` become attributes, and so does every plain value of a day (with
  ``day_`` dropped from the key), of the generator and of a track;
- a dict with a single string value becomes that text;
- ``base_url`` moves from the schedule into the conference; ``daysCount`` becomes ``days``;
  the conference's ``rooms`` list is dropped; its ``days`` become children of the root;
- a plural key holding a list becomes one element per item, singular; inside an event the
  plural element wraps them (``persons/person``); a day's ``rooms`` dict becomes one
  ``room name=…`` per key holding its ``event`` elements;
- a link or attachment becomes ``href`` (its url) and attributes, its title the text;
- a person becomes its name as text with its ``id`` and ``guid``;
- ``do_not_record`` becomes ``recording/license`` + ``recording/optout``; ``do_not_stream`` is dropped;
- empty values become empty elements; the generator of the JSON is not carried over (release 1.1.0).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

_ATTRIBUTE_PARENTS = {"generator", "track", "color"}


def _fill(value: Any, node: etree._Element, parent: str, root: etree._Element) -> None:
    if not value:
        return
    if isinstance(value, str | int):
        node.text = str(value)
        return
    if parent == "person":
        node.text = value.get("public_name") or value.get("name")
        for key in ("id", "guid"):
            if value.get(key) is not None:
                node.set(key, str(value[key]))
        return
    assert isinstance(value, dict), f"{parent}: {value!r} is neither text nor a mapping"
    if parent == "schedule" and "base_url" in value:
        value = dict(value)
        base_url = value.pop("base_url")
        value["conference"] = {**value["conference"], "base_url": base_url}
    count = len(value)  # the keys that become elements rather than attributes
    license_ = ""
    for key, item in value.items():
        if parent == "day" and key.startswith("day_"):
            key = key[4:]
        if key in ("id", "guid", "code") or parent in _ATTRIBUTE_PARENTS or (
                parent == "day" and isinstance(item, str | int)):
            if item is not None:
                node.set(key, str(item))
            count -= 1
            continue
        if parent in ("link", "attachment"):  # <link href="url">title</link>
            if key == "title":
                node.text = item
            else:
                node.set("href" if key == "url" else key, str(item))
                count -= 1
            continue
        if count == 1 and isinstance(item, str):
            node.text = item
            continue
        target = node
        if parent == "room":
            target = etree.SubElement(node, "room", name=key or "")
            key = "event"
        if key == "days":
            target = root
        if key == "rooms" and parent == "conference":
            continue
        if key.endswith("s"):
            if parent == "event":
                target = etree.SubElement(node, key)
            key = key[:-1]
        elif parent == "conference" and key == "daysCount":
            key = "days"
        elif key == "recording_license":
            license_ = item
            continue
        elif key == "do_not_stream":
            continue
        elif key in ("do_not_record", "recording"):
            key, item = "recording", {"license": license_, "optout": "true" if item is True else "false"}
        if isinstance(item, list):
            for element in item:
                _fill(element, etree.SubElement(target, key), key, root)
        elif parent == "day" and key == "room":
            _fill(item, target, key, root)
        else:
            _fill(item, etree.SubElement(target, key), key, root)


def json_to_xml(document: dict[str, Any]) -> etree._Element:
    """The XML c3voc's converter writes for a schedule.json document."""
    root = etree.Element("schedule")
    _fill(document["schedule"], root, "schedule", root)
    return root
