"""The websocket protocol of ``/<event>/ws`` (DESIGN.md, "Websocket protocol") and the envelope
that carries one change-log entry between processes.

Client → server: ``{"type": "hello", "since": N}`` (again at any time to ask for everything after
N), ``{"type": "ping"}``; any other frame closes the connection (``BadFrame``). Server → client:
``change``, ``announcement``, ``resync``, ``pong``.

A change is rendered once per process into at most two frames, one with ``"starred": false``
and one with ``"starred": true``; every phone gets one of those two strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PONG = '{"type":"pong"}'


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Envelope:
    """One change-log entry as the broker carries it; built from a change-log row by the
    ``ChangeLog`` the programme part implements (messe.live.source)."""

    event_id: int
    seq: int
    kind: str
    talk_id: int | None
    after: dict[str, Any] | None
    before: dict[str, Any] | None
    message: dict[str, Any] | None
    at: str

    def encode(self) -> bytes:
        return _dumps({
            "event": self.event_id, "seq": self.seq, "kind": self.kind, "talk_id": self.talk_id,
            "after": self.after, "before": self.before, "message": self.message, "at": self.at,
        }).encode()

    @classmethod
    def decode(cls, payload: bytes | str) -> Envelope:
        data = json.loads(payload)
        return cls(event_id=int(data["event"]), seq=int(data["seq"]), kind=data["kind"],
                   talk_id=data.get("talk_id"), after=data.get("after"), before=data.get("before"),
                   message=data.get("message"), at=data.get("at", ""))


@dataclass(frozen=True, slots=True)
class Hint:
    """What a broker message says: "entry ``seq`` of event ``event_id`` exists", and nothing more.

    Anyone who can publish on the broker can forge one, so a hint carries no content: the hub
    reads the entry from the change log (DESIGN.md: a broker message is never trusted as content).
    A forged hint costs one database read and changes nothing a phone sees.
    """

    event_id: int
    seq: int

    def encode(self) -> bytes:
        return _dumps({"event": self.event_id, "seq": self.seq}).encode()

    @classmethod
    def decode(cls, payload: bytes | str) -> Hint:
        """ValueError unless ``payload`` is a JSON object with whole-number ``event`` and ``seq``
        (other keys, such as a whole envelope from an older worker, are ignored)."""
        data = json.loads(payload)
        if not isinstance(data, dict):
            raise ValueError("a JSON object expected")
        event_id, seq = data.get("event"), data.get("seq")
        for value in (event_id, seq):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_SEQ:
                raise ValueError("event and seq must be whole numbers from 1")
        return cls(event_id=event_id, seq=seq)


class Frames:
    """The text frames for one envelope: rendered once, shared by every connection."""

    __slots__ = ("_starred", "plain", "seq", "stars", "stars_at", "talk_id")

    def __init__(self, envelope: Envelope) -> None:
        self.seq = envelope.seq
        self.talk_id = envelope.talk_id
        self.plain = _dumps(client_message(envelope, starred=False))
        self._starred: str | None = None
        # Who had the talk starred, as the hub last read it (time.monotonic()); the hub keeps it.
        self.stars: set[int] | frozenset[int] | None = None
        self.stars_at = 0.0

    @property
    def starred(self) -> str:
        if self._starred is None:
            tail = ',"starred":false}'
            assert self.plain.endswith(tail)
            self._starred = self.plain[: -len(tail)] + ',"starred":true}'
        return self._starred

    def for_attendee(self, starred_talks: set[int] | frozenset[int]) -> str:
        return self.starred if self.talk_id is not None and self.talk_id in starred_talks else self.plain


def client_message(envelope: Envelope, *, starred: bool) -> dict[str, Any]:
    """What a phone receives for one change-log entry; ``starred`` is always the last key."""
    if envelope.kind == "announcement":
        message = envelope.message or {}
        return {"type": "announcement", "seq": envelope.seq, "title": message.get("title", ""),
                "body": message.get("body", ""), "level": message.get("level", "info"),
                "talk": envelope.after, "at": envelope.at, "starred": starred}
    return {"type": "change", "seq": envelope.seq, "kind": envelope.kind, "talk": envelope.after,
            "before": envelope.before, "at": envelope.at, "starred": starred}


def resync(seq: int) -> str:
    """Tell a client its ``since`` is outside the log: reload the programme; live changes follow
    from ``seq``."""
    return _dumps({"type": "resync", "seq": seq})


@dataclass(frozen=True, slots=True)
class Hello:
    since: int


@dataclass(frozen=True, slots=True)
class Ping:
    pass


MAX_SEQ = 2**63 - 1
MAX_CLIENT_FRAME = 1000  # characters; a hello is about 40

# Close codes (RFC 6455, section 7.4.1) for a client that breaks the protocol.
UNSUPPORTED_DATA = 1003
POLICY_VIOLATION = 1008
MESSAGE_TOO_BIG = 1009


class BadFrame(Exception):
    """A client frame the protocol does not allow: the server closes the connection with ``code``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def parse_client(text: str | None) -> Hello | Ping:
    """A client frame (``text`` is None for a binary frame); BadFrame when it is not one the
    protocol knows."""
    if text is None:
        raise BadFrame(UNSUPPORTED_DATA, "text frames only")
    if len(text) > MAX_CLIENT_FRAME:
        raise BadFrame(MESSAGE_TOO_BIG, f"frames of at most {MAX_CLIENT_FRAME} characters")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadFrame(POLICY_VIOLATION, "not JSON") from None
    if not isinstance(data, dict):
        raise BadFrame(POLICY_VIOLATION, "a JSON object expected")
    if data.get("type") == "ping":
        return Ping()
    if data.get("type") == "hello":
        since = data.get("since", 0)
        if since is None:
            since = 0
        if isinstance(since, bool) or not isinstance(since, int) or not 0 <= since <= MAX_SEQ:
            raise BadFrame(POLICY_VIOLATION, "since must be a seq (a whole number from 0)")
        return Hello(since)
    raise BadFrame(POLICY_VIOLATION, "type must be hello or ping")
