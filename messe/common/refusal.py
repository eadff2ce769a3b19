"""Why the domain refuses a request: the one error type every part raises.

A refusal says what kind of no it is (HTTP-neutral; ``messe.web.errors`` maps kinds to status
codes in one place) and carries one or more problems, each a Danish message template with its
values, so that the interface translates it for the reader, and the field to fix if any.
``reason`` is a stable word for programs (a scanner tells a forged badge from a superseded one),
``subject`` the record the refusal is about when the screen offers a way on (the registered
person a walk-in turned out to be).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class RefusalKind(Enum):
    INVALID = "invalid"  # a value the person must change
    NOT_FOUND = "not_found"  # the record does not exist (in this event)
    CONFLICT = "conflict"  # the request contradicts the current state
    STALE = "stale"  # someone changed the record since the client read it
    FORBIDDEN = "forbidden"  # this person may not do this


@dataclass(frozen=True)
class Problem:
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)
    field: str | None = None  # the form or JSON field to fix

    @property
    def message(self) -> str:
        return self.template.format(**self.values)


class Refusal(Exception):
    def __init__(self, kind: RefusalKind, problems: Sequence[Problem], *, reason: str | None = None,
                 subject: object = None) -> None:
        if not problems:
            raise ValueError("a refusal names at least one problem")
        super().__init__("; ".join(problem.message for problem in problems))
        self.kind = kind
        self.problems = tuple(problems)
        self.reason = reason
        self.subject = subject

    @classmethod
    def of(cls, kind: RefusalKind, template: str, *, field: str | None = None, code: str | None = None,
           subject: object = None, **values: Any) -> Refusal:
        """A refusal with one problem; ``code`` becomes its ``reason`` (the template's values may
        use any name, ``reason`` too)."""
        return cls(kind, [Problem(template, values, field)], reason=code, subject=subject)

    @classmethod
    def invalid(cls, template: str, *, field: str | None = None, **values: Any) -> Refusal:
        return cls.of(RefusalKind.INVALID, template, field=field, **values)

    @classmethod
    def not_found(cls, template: str, **values: Any) -> Refusal:
        return cls.of(RefusalKind.NOT_FOUND, template, **values)

    @classmethod
    def conflict(cls, template: str, *, field: str | None = None, subject: object = None,
                 **values: Any) -> Refusal:
        return cls.of(RefusalKind.CONFLICT, template, field=field, subject=subject, **values)

    @classmethod
    def stale(cls) -> Refusal:
        return cls.of(RefusalKind.STALE, "Nogen har ændret dette, siden du hentede det")

    @property
    def message(self) -> str:
        """The Danish text, for logs and the command line (screens translate the problems)."""
        return str(self)

    @property
    def template(self) -> str:
        return self.problems[0].template

    @property
    def values(self) -> Mapping[str, Any]:
        return self.problems[0].values

    @property
    def field(self) -> str | None:
        return self.problems[0].field
