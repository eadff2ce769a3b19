"""A real server for the hardening tests, with an organiser API token."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.scanning.live_server import LiveServer, start_live_server


@dataclass
class FuzzServer:
    server: LiveServer
    organiser_token: str

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzServer]:
    server = start_live_server(tmp_path_factory.mktemp("fuzz"))
    env = {**os.environ, "MESSE_DATABASE_URL": server.database_url, "MESSE_SECRET_KEY": server.secret_key}
    token = subprocess.run([sys.executable, "-m", "messe", "token", "create", "--role", "organiser"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    try:
        yield FuzzServer(server, token)
    finally:
        server.stop()
