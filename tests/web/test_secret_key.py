"""The secret key signs sessions and derives the badge keys: messe refuses to start with one too
short to resist guessing (an empty secret file let a cookie signed with an empty key open /admin/),
says in one line how to make a good one, and keeps a secret it makes itself private from the
start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from messe.app import create_app
from messe.config import ConfigError, Settings

MESSE = [sys.executable, "-m", "messe"]
GOOD = "k" * 32


def _run(*args: str, tmp_path: Path, secret: str | None = None, secret_file: Path | None = None,
         umask: int | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MESSE_SECRET_KEY", "MESSE_SECRET_FILE")}
    env["MESSE_DATABASE_URL"] = f"sqlite://{tmp_path / 'messe.sqlite3'}"
    env["MESSE_SECRET_FILE"] = str(secret_file or tmp_path / "unused" / "secret_key")
    if secret is not None:
        env["MESSE_SECRET_KEY"] = secret
    return subprocess.run([*MESSE, *args], env=env, capture_output=True, text=True, timeout=60,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def _one_clear_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "at least 32" in lines[0] and "secrets.token_urlsafe(48)" in lines[0]
    return lines[0]


@pytest.mark.parametrize("secret", ["x", "kort-hemmelighed", "æ" * 15])
@pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", "1"]])
def test_a_short_secret_key_is_refused_at_start_in_one_line(tmp_path, secret, command):
    line = _one_clear_line(_run(*command, tmp_path=tmp_path, secret=secret))
    assert line.startswith("messe: MESSE_SECRET_KEY:")
    assert not (tmp_path / "messe.sqlite3").exists()  # refused before anything was done


@pytest.mark.parametrize("content", ["", "\n", "x", "a" * 31])
def test_a_short_secret_file_is_refused_naming_the_file(tmp_path, content):
    secret_file = tmp_path / "conf" / "secret_key"
    secret_file.parent.mkdir()
    secret_file.write_text(content)
    line = _one_clear_line(_run("migrate", tmp_path=tmp_path, secret_file=secret_file))
    assert str(secret_file) in line


def test_the_app_itself_refuses_a_short_secret():
    """Also when the settings are made in code, not read from the environment."""
    for secret in ("", "x" * 31):
        with pytest.raises(ConfigError, match="at least 32"):
            create_app(Settings(secret_key=secret))
    assert create_app(Settings(secret_key=GOOD)) is not None


def test_a_made_secret_is_private_from_the_start_even_under_a_lax_umask(tmp_path):
    secret_file = tmp_path / "home" / "messe" / "secret_key"
    result = _run("migrate", tmp_path=tmp_path, secret_file=secret_file, umask=0)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700
    made = secret_file.read_text()
    assert len(made.strip().encode()) >= 32
    assert [p.name for p in secret_file.parent.iterdir()] == ["secret_key"]  # no draft left behind
    again = _run("migrate", tmp_path=tmp_path, secret_file=secret_file)
    assert again.returncode == 0 and secret_file.read_text() == made  # kept, not made anew
