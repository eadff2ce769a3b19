"""A change reaches its listeners only once its unit of work has committed, exactly once, with
the outermost unit; a unit that fails tells nobody and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from messe.common.unit_of_work import NoUnitOfWork, listening, unit_of_work
from messe.programme.domain.changelog import Entry, lock_event, record
from messe.programme.models import ScheduleChange


def announcement(text: str) -> Entry:
    return Entry("announcement", message={"title": text, "body": text})


async def test_rows_are_heard_after_the_commit_once_with_the_outermost_unit(fair):
    heard: list[list[int]] = []
    committed_when_heard: list[bool] = []

    def listener(rows):
        heard.append([row.seq for row in rows])
        committed_when_heard.append(all(row.id is not None for row in rows))

    with listening(listener):
        async with unit_of_work():
            event = await lock_event(fair.id)
            first = await record(event, [announcement("Kaffe i foyeren")])
            async with unit_of_work():  # a use case calling another
                second = await record(event, [announcement("Frokost kl. 12")])
            assert heard == []  # the outer unit has not committed yet
    assert heard == [[first[0].seq, second[0].seq]]
    assert committed_when_heard == [True]
    assert await ScheduleChange.filter(seq__in=heard[0], event_id=fair.id).count() == 2


async def test_a_unit_that_fails_tells_nobody_and_writes_nothing(fair):
    heard: list = []
    before = await ScheduleChange.filter(event_id=fair.id).count()
    with listening(heard.append), pytest.raises(ValueError):
        async with unit_of_work():
            event = await lock_event(fair.id)
            await record(event, [announcement("Aflyst")])
            raise ValueError("the rules refused it")
    assert heard == []
    assert await ScheduleChange.filter(event_id=fair.id).count() == before


async def test_a_change_log_row_outside_a_unit_of_work_is_refused(fair):
    with pytest.raises(NoUnitOfWork):
        await record(await lock_event(fair.id), [announcement("Ingen hører det")])


def test_every_transaction_in_messe_is_a_unit_of_work():
    """A transaction opened any other way would publish nothing it writes to the change log."""
    messe = Path(__file__).resolve().parents[2] / "messe"
    own = [str(path.relative_to(messe)) for path in messe.rglob("*.py")
           if "tortoise.transactions" in path.read_text() and path.name != "unit_of_work.py"]
    assert own == []
