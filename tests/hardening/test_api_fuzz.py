"""schemathesis against the OpenAPI document of a running server: no server errors, and every
response matches what the document says, anonymously and with the token of each staff role (so the
scanning bodies, which only exhibitor and door staff reach, are fuzzed too).

``MESSE_FUZZ_EXAMPLES`` sets the examples per operation (default 12; e.g. 200 for a deeper run)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("MESSE_FUZZ_EXAMPLES", "12"))


def _fuzz(base_url: str, schema_url: str, headers: dict[str, str]) -> list[str]:
    schema = schemathesis.openapi.from_url(schema_url)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, not just the first
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    return failures


@pytest.mark.parametrize("who", ["anonymous", "organiser", "exhibitor", "door"])
def test_api_survives_fuzzing(fuzz_server, who):
    headers = {} if who == "anonymous" else {"Authorization": f"Bearer {fuzz_server.token(who)}"}
    failures = _fuzz(fuzz_server.base_url, fuzz_server.url("api/openapi.json"), headers)
    assert not failures, "\n\n".join(failures)
