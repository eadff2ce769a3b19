"""Fixtures for the lead capture tests: the scanning tests' visitors, stands and staff."""

from tests.scanning.conftest import door_token, live_server, staff_tokens, stands, visitors  # noqa: F401 (fixtures)
