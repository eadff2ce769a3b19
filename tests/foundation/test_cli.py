"""The ``messe`` command line, run as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_SECRET

MESSE = [sys.executable, "-m", "messe"]


def messe(*args: str, database_url: str, extra_env: dict[str, str] | None = None,
          cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "MESSE_DATABASE_URL": database_url, "MESSE_SECRET_KEY": TEST_SECRET,
           **(extra_env or {})}
    return subprocess.run([*MESSE, *args], env=env, capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.mark.parametrize("url, expected", [
    ("mysql://root@localhost/x", "unsupported database"),
    ("postgres://postgres@127.0.0.1:1/messe", "Kan ikke forbinde til databasen"),
    ("sqlite:///nonexistent-dir/sub/messe.sqlite3", "Kan ikke forbinde til databasen"),
])
def test_bad_database_gives_one_clear_line(url, expected):
    result = messe("migrate", database_url=url)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_command_has_help():
    for command in (["demo"], ["serve"], ["migrate"], ["seed"], ["create-user"], ["token", "create"]):
        result = subprocess.run([*MESSE, *command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0, command
        assert "usage: messe" in result.stdout


def test_seed_is_idempotent_and_users_and_tokens_can_be_created(tmp_path):
    url = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    assert messe("migrate", database_url=url).returncode == 0
    first = messe("seed", database_url=url)
    second = messe("seed", database_url=url)
    assert first.returncode == 0 and second.returncode == 0, first.stderr
    counts = first.stdout.split("(")[0]
    assert counts == second.stdout.split("(")[0]
    assert "2000 deltagere" in counts and "104 udstillere" in counts
    user = messe("create-user", "stand-a1", "--role", "exhibitor", "--exhibitor", "A1", database_url=url,
                 extra_env={"MESSE_NEW_PASSWORD": "en-lang-adgangskode"})
    assert user.returncode == 0, user.stderr
    short = messe("create-user", "kort", "--role", "door", database_url=url,
                  extra_env={"MESSE_NEW_PASSWORD": "kort"})
    assert short.returncode == 2 and "mindst 10 tegn" in short.stderr
    token = messe("token", "create", "--role", "organiser", database_url=url)
    assert token.returncode == 0 and token.stdout.strip().startswith("messe_")
    missing = messe("token", "create", "--role", "exhibitor", "--exhibitor", "Z999", database_url=url)
    assert missing.returncode == 2 and "Z999" in missing.stderr


def test_migrate_on_postgres_twice(database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("this test is about PostgreSQL; SQLite is covered above")
    assert messe("migrate", database_url=database_url).returncode == 0
    again = messe("migrate", database_url=database_url)
    assert again.returncode == 0, again.stderr


def test_missing_secret_is_generated_outside_the_repo(tmp_path):
    secret_file = tmp_path / "conf" / "secret"
    env = {k: v for k, v in os.environ.items() if k != "MESSE_SECRET_KEY"}
    env.update({"MESSE_SECRET_FILE": str(secret_file), "MESSE_DATABASE_URL": f"sqlite://{tmp_path / 'x.sqlite3'}"})
    result = subprocess.run([*MESSE, "migrate"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(secret_file.read_text()) > 40
    assert oct(secret_file.stat().st_mode)[-3:] == "600"

