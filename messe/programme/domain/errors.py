"""What can go wrong when editing the programme, besides breaking a rule (rules.ProgrammeError).

Messages are Danish templates with values, so the interface can translate them.
"""

from __future__ import annotations


class ProgrammeProblem(Exception):
    def __init__(self, template: str, **values: str) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


class NotFound(ProgrammeProblem):
    """The talk, stage or track does not exist in this event."""


class Conflict(ProgrammeProblem):
    """The request contradicts the programme's state (e.g. deleting a published talk)."""


class StaleRevision(Exception):
    """Someone changed the talk since the client read it (If-Match)."""
