"""``messe badges`` and ``messe badge verify``, run as an organiser would run them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from messe.badges.domain.tokens import read_unverified
from tests.badges.pdfcheck import decode_pages, page_texts, squash
from tests.conftest import TEST_SECRET


def messe(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MESSE_DATABASE_URL": url, "MESSE_SECRET_KEY": TEST_SECRET}
    return subprocess.run([sys.executable, "-m", "messe", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[str, Path]:
    """A SQLite database with the whole seeded fair (2,000 attendees)."""
    path = tmp_path_factory.mktemp("cli") / "messe.sqlite3"
    url = f"sqlite://{path}"
    for command in ("migrate", "seed"):
        result = messe(command, url=url)
        assert result.returncode == 0, result.stderr
    return url, path


def query(path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql, params).fetchall()


def test_both_commands_have_help():
    for command in (["badges"], ["badge", "verify"]):
        result = subprocess.run([sys.executable, "-m", "messe", *command, "--help"], capture_output=True,
                                text=True)
        assert result.returncode == 0 and "brug: messe" in result.stdout


def test_the_whole_fair_on_a4_sheets(seeded, tmp_path):
    url, db = seeded
    out = tmp_path / "all.pdf"
    result = messe("badges", "--layout", "a4-4up", "--out", str(out), url=url)
    assert result.returncode == 0, result.stderr
    assert "2000 badges på 500 sider" in result.stdout
    assert out.stat().st_size < 10_000_000
    assert len(page_texts(out)) == 500
    printed = query(db, "SELECT count(*) FROM attendee WHERE badge_printed_at IS NOT NULL")[0][0]
    assert printed == 2000


def test_one_role_and_one_organisation(seeded, tmp_path):
    url, db = seeded
    out = tmp_path / "presse.pdf"
    result = messe("badges", "--role", "Presse", "--out", str(out), url=url)
    assert result.returncode == 0, result.stderr
    press = query(db, "SELECT id, name FROM attendee WHERE role = 'presse' AND erased_at IS NULL")
    codes = decode_pages(out, dpi=100)
    assert sorted(read_unverified(c.text).attendee_id for c in codes) == sorted(i for i, _ in press)
    texts = "".join(squash(t) for t in page_texts(out))
    assert all(squash(name) in texts for _, name in press)
    org = query(db, "SELECT o.name, count(*) FROM attendee a JOIN organisation o ON a.organisation_id = o.id "
                    "GROUP BY o.name ORDER BY count(*) LIMIT 1")[0]
    result = messe("badges", "--organisation", org[0].upper(), "--layout", "cr80", "--out",
                   str(tmp_path / "org.pdf"), url=url)
    assert result.returncode == 0, result.stderr
    assert (f"{org[1]} badges på" if org[1] != 1 else "1 badge på 1 side ") in result.stdout


def test_a_reprint_at_the_door_revokes_the_old_badge(seeded, tmp_path):
    url, db = seeded
    attendee_id, version = query(db, "SELECT id, badge_version FROM attendee ORDER BY id LIMIT 1")[0]
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    assert messe("badges", "--attendee", str(attendee_id), "--out", str(first), url=url).returncode == 0
    result = messe("badges", "--attendee", str(attendee_id), "--reprint", "--out", str(second), url=url)
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT badge_version FROM attendee WHERE id = ?", attendee_id)[0][0] == version + 1
    old, new = decode_pages(first)[0].text, decode_pages(second)[0].text
    valid = messe("badge", "verify", new, url=url)
    assert valid.returncode == 0 and valid.stdout.startswith("gyldig") and f"version {version + 1}" in valid.stdout
    refused = messe("badge", "verify", old, url=url)
    assert refused.returncode == 1 and "superseded" in refused.stdout


@pytest.mark.parametrize("payload, reason", [("hello", "malformed"), ("M1:" + "0" * 150, "malformed")])
def test_verify_says_why_not(seeded, payload, reason):
    result = messe("badge", "verify", payload, url=seeded[0])
    assert result.returncode == 1 and reason in result.stdout and "Traceback" not in result.stderr


@pytest.mark.parametrize("args, words", [
    (["--layout", "a5"], "a4-4up, a6, cr80, label-4x3"),
    (["--organisation", "Findes Ikke Kommune"], "Ingen deltagere"),
    (["--event", "messe99"], "Arrangementet findes ikke"),
])
def test_mistakes_give_one_clear_line(seeded, tmp_path, args, words):
    result = messe("badges", "--out", str(tmp_path / "x.pdf"), *args, url=seeded[0])
    assert result.returncode == 2 and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_role_is_refused_by_the_parser(seeded):
    result = messe("badges", "--role", "vip", url=seeded[0])
    assert result.returncode == 2 and "ukendt rolle" in result.stderr
