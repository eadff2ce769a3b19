"""schemathesis with every check against the OpenAPI document of a running server (its own database):
no server errors, every response matches what the document says, every request the document forbids
is refused and every one it allows is accepted, except where the operation's description names the
business rule (uniqueness, time order) that refused it. Anonymously, as a signed-in attendee (session
and CSRF token) and with the token of each staff role (so the scanning bodies are fuzzed too).

``MESSE_FUZZ_EXAMPLES`` sets the examples per operation (default 12; e.g. 200 for a deeper run)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import load_all_checks, positive_data_acceptance

from messe.web.openapi import RULES_HEADING

EXAMPLES = int(os.environ.get("MESSE_FUZZ_EXAMPLES", "12"))


def _check_operation(operation: Any, base_url: str, headers: dict[str, str]) -> None:
    """Every check on ``operation``; a valid body refused for a business rule the operation's
    description names is no failure."""
    ruled = RULES_HEADING in operation.definition.raw.get("description", "")
    excluded = [positive_data_acceptance] if ruled else []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), derandomize=True)
    def run(case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, excluded_checks=excluded)

    run()


def _fuzz(base_url: str, schema_url: str, headers: dict[str, str]) -> list[str]:
    load_all_checks()
    schema = schemathesis.openapi.from_url(schema_url)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _check_operation(operation, base_url, headers)
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, not just the first
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    return failures


@pytest.mark.parametrize("who", ["anonymous", "attendee", "organiser", "exhibitor", "door"])
def test_api_survives_fuzzing(fuzz_server, who):
    headers = ({} if who == "anonymous" else fuzz_server.attendee_headers() if who == "attendee"
               else {"Authorization": f"Bearer {fuzz_server.token(who)}"})
    failures = _fuzz(fuzz_server.base_url, fuzz_server.url("api/openapi.json"), headers)
    assert not failures, "\n\n".join(failures)
