"""``messe purge`` says its days with the right Danish form: "under 1 dag siden", "under 30 dage siden"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.live.conftest import Installation


def test_purge_names_one_day_and_many_days(tmp_path: Path):
    fair = Installation(database_url=f"sqlite://{tmp_path / 'messe.sqlite3'}", folder=tmp_path)
    fair.messe("migrate")
    fair.messe("seed", "--date", date.today().isoformat())  # today's fair has not ended a day ago
    assert "intet at slette (sluttede for under 1 dag siden," in fair.messe("purge", "--after-days", "1")
    assert "intet at slette (sluttede for under 30 dage siden," in fair.messe("purge", "--after-days", "30")
