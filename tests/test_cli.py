"""The ``messe`` command line, run as a user would run it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from messe.cli import build_parser
from messe.serving import served_url
from tests.conftest import ROOT, TEST_SECRET
from tests.support.live_server import free_port

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


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def test_messe_alone_prints_its_commands():
    result = subprocess.run(MESSE, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("brug: messe")
    for command in ("demo", "serve", "migrate", "seed", "create-user", "token", "purge", "badges", "badge"):
        assert f"\n    {command}" in result.stdout
    token = subprocess.run([*MESSE, "token"], capture_output=True, text=True)
    assert token.returncode == 0 and "create" in token.stdout and "revoke" in token.stdout


def test_every_command_and_option_has_danish_help():
    parsers = list(_parsers(build_parser()))
    assert {("token", "list"), ("token", "revoke"), ("badge", "verify"), ("purge",)} <= {p for p, _ in parsers}
    for path, parser in parsers:
        assert parser.description, path
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                assert action.help, (path, action.dest)
        shown = parser.format_help()
        for english in ("usage:", "options:", "show this help", "positional arguments"):
            assert english not in shown, (path, english)
    wrong = subprocess.run([*MESSE, "seed", "--date", "i morgen"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "fejl: argument --date: ugyldig værdi: 'i morgen'" in wrong.stderr


def test_the_readme_lists_every_command():
    readme = (ROOT / "README.md").read_text()
    for path, parser in _parsers(build_parser()):
        if path and not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions):
            assert f"`messe {' '.join(path)}" in readme, path


def test_seed_adds_only_what_is_missing_and_moves_the_date_only_when_asked(tmp_path):
    url = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    assert messe("migrate", database_url=url).returncode == 0
    first = messe("seed", database_url=url)
    assert first.returncode == 0, first.stderr
    assert "(2026-11-27): 48 indlæg" in first.stdout and "2000 deltagere" in first.stdout
    assert "104 udstillere" in first.stdout and "Messen er oprettet." in first.stdout
    second = messe("seed", database_url=url)
    assert second.returncode == 0, second.stderr
    assert first.stdout.split(" stjerner")[0] == second.stdout.split(" stjerner")[0]
    assert "manglede intet; det offentliggjorte program er uændret" in second.stdout
    refused = messe("seed", "--date", "2026-12-04", database_url=url)
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("messe: Messen ligger allerede den 2026-11-27; brug --move-date for at "
                                      "flytte den til 2026-12-04 (telefonerne får besked)")
    moved = messe("seed", "--date", "2026-12-04", "--move-date", database_url=url)
    assert moved.returncode == 0, moved.stderr
    assert "(2026-12-04): 48 indlæg" in moved.stdout
    assert "flyttet fra 2026-11-27 til 2026-12-04; 48 ændringer er skrevet i ændringsloggen" in moved.stdout
    alone = messe("seed", "--move-date", database_url=url)
    assert alone.returncode == 2 and "--move-date kræver --date" in alone.stderr


def test_users_and_tokens_can_be_created_listed_and_revoked(tmp_path):
    url = f"sqlite://{tmp_path / 'cli.sqlite3'}"
    assert messe("migrate", database_url=url).returncode == 0
    assert messe("seed", database_url=url).returncode == 0
    user = messe("create-user", "stand-a1", "--role", "exhibitor", "--exhibitor", "A1", database_url=url,
                 extra_env={"MESSE_NEW_PASSWORD": "en-lang-adgangskode"})
    assert user.returncode == 0, user.stderr
    short = messe("create-user", "kort", "--role", "door", database_url=url,
                  extra_env={"MESSE_NEW_PASSWORD": "kort"})
    assert short.returncode == 2 and "mindst 10 tegn" in short.stderr
    token = messe("token", "create", "--role", "organiser", "--name", "Integration", database_url=url)
    assert token.returncode == 0 and token.stdout.strip().startswith("messe_")
    missing = messe("token", "create", "--role", "exhibitor", "--exhibitor", "Z999", database_url=url)
    assert missing.returncode == 2 and "Z999" in missing.stderr
    door = messe("token", "create", "--role", "door", "--name", "Dør 1", database_url=url)
    listed = messe("token", "list", database_url=url)
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()
    assert rows[0].split() == ["ID", "ROLLE", "STAND", "OPRETTET", "SIDST", "BRUGT", "TILBAGEKALDT", "NAVN"]
    assert [row.split()[1] for row in rows[1:]] == ["organiser", "door"]
    assert rows[2].endswith("Dør 1") and token.stdout.strip() not in listed.stdout
    door_id = rows[2].split()[0]
    revoked = messe("token", "revoke", door_id, database_url=url)
    assert revoked.returncode == 0 and "'Dør 1'" in revoked.stdout and "tilbagekaldt" in revoked.stdout
    assert "Dør 1" not in messe("token", "list", database_url=url).stdout
    assert "Dør 1" in messe("token", "list", "--all", database_url=url).stdout
    unknown = messe("token", "revoke", "9999", database_url=url)
    assert unknown.returncode == 2 and "intet API-token med id 9999" in unknown.stderr
    assert door.stdout.strip().startswith("messe_")


def test_links_name_the_port_served_unless_a_base_url_is_set(monkeypatch):
    monkeypatch.delenv("MESSE_BASE_URL", raising=False)
    assert served_url("127.0.0.1", 8101) == "http://127.0.0.1:8101"
    assert served_url("0.0.0.0", 8101) == "http://127.0.0.1:8101"
    assert served_url("::1", 8101) == "http://[::1]:8101"
    monkeypatch.setenv("MESSE_BASE_URL", "https://messe.example.dk/")
    assert served_url("127.0.0.1", 8101) == "https://messe.example.dk"


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



def test_demo_on_a_later_day_keeps_the_programme_and_links_name_its_port(tmp_path):
    url = f"sqlite://{tmp_path / 'demo.sqlite3'}"
    assert messe("migrate", database_url=url).returncode == 0
    assert messe("seed", database_url=url).returncode == 0  # the fair's own day, 2026-11-27: not today
    port = free_port()
    env = {**os.environ, "MESSE_DATABASE_URL": url, "MESSE_SECRET_KEY": TEST_SECRET}
    env.pop("MESSE_BASE_URL", None)
    demo = subprocess.Popen([*MESSE, "demo", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        printed = []
        for line in demo.stdout:
            printed.append(line)
            if "Uvicorn running" in line:
                break
        text = "".join(printed)
        assert "Messen bliver liggende den 2026-11-27; start med --move-date" in text
        assert "Digitaliseringsmessen 13 (2026-11-27)" in text
        assert f"http://127.0.0.1:{port}/messe13/login" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/messe13/schedule/export/schedule.ics") as answer:
            ics = answer.read().decode()
        assert f"URL:http://127.0.0.1:{port}/messe13/talks/" in ics
        assert "DTSTART:20261127T081500Z" in ics  # the opening keynote, 09:15 on the fair's own day
    finally:
        demo.terminate()
        demo.wait(timeout=30)
