"""The attendee app's browser fixtures (tests/app/conftest.py): a real server and phones."""

from tests.admin.conftest import chromium  # noqa: F401
from tests.app.conftest import api, app_server, database, organiser_token, phone  # noqa: F401
