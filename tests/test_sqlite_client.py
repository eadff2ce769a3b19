"""messe's SQLite client: statements outside a transaction go to the database thread together;
a transaction still has the connection to itself."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.context import TortoiseContext
from tortoise.exceptions import IntegrityError

from messe.sqlite_client import PipelinedSqliteClient


@pytest.fixture
async def client(tmp_path):
    db = PipelinedSqliteClient(str(tmp_path / "pipelined.sqlite3"), connection_name="pipelined")
    await db.create_connection(with_db=True)
    await db.execute_script("CREATE TABLE lead (id INTEGER PRIMARY KEY, badge TEXT UNIQUE, notes TEXT)")
    async with TortoiseContext():  # where a transaction names its connection
        yield db
    await db.close()


async def test_many_scans_at_once_each_get_their_own_row(client):
    inside = []
    enter = client._lock.enter_shared

    async def counted() -> None:
        await enter()
        inside.append(client._lock._shared)

    client._lock.enter_shared = counted
    ids = await asyncio.gather(*(client.execute_insert("INSERT INTO lead (badge) VALUES (?)", [f"B{n}"])
                                 for n in range(30)))
    assert sorted(ids) == list(range(1, 31))
    assert max(inside) > 1  # sent together, not one after another
    count, rows = await client.execute_query("SELECT badge FROM lead ORDER BY id")
    assert count == 30 and [row["badge"] for row in rows] == [f"B{n}" for n in range(30)]


async def test_a_repeated_badge_is_refused_as_the_orm_expects(client):
    await client.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["B1"])
    results = await asyncio.gather(client.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["B1"]),
                                   client.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["B2"]),
                                   return_exceptions=True)
    assert isinstance(results[0], IntegrityError) and results[1] == 2


async def test_an_update_counts_its_own_rows_while_inserts_run_beside_it(client):
    await client.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["B0"])
    inserts = [client.execute_insert("INSERT INTO lead (badge) VALUES (?)", [f"B{n}"]) for n in range(1, 20)]
    *_, updated = await asyncio.gather(*inserts, client.execute_query("UPDATE lead SET notes = 'x' WHERE id = 1"))
    assert updated[0] == 1


async def test_a_transaction_has_the_connection_to_itself(client):
    await client.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["before"])
    async with client.acquire_connection() as connection:  # as a transaction takes it
        await connection.execute("BEGIN")
        await connection.execute("INSERT INTO lead (badge) VALUES ('inside')")
        # A read from outside waits: it neither joins the transaction nor sees half of it.
        outside = asyncio.create_task(client.execute_query_dict("SELECT badge FROM lead ORDER BY id"))
        await asyncio.sleep(0.05)
        assert not outside.done()
        await connection.execute("ROLLBACK")
    assert [row["badge"] for row in await outside] == ["before"]

    # A transaction that starts while statements are on their way waits for them to finish.
    many = [asyncio.create_task(client.execute_insert("INSERT INTO lead (badge) VALUES (?)", [f"B{n}"]))
            for n in range(10)]
    await asyncio.sleep(0)
    async with client.acquire_connection() as connection:
        assert all(task.done() for task in many)
        count = await connection.execute_fetchall("SELECT count(*) FROM lead")
    assert count[0][0] == 11


async def test_a_transaction_begun_while_scans_are_on_their_way_sees_them_and_keeps_later_ones_out(client):
    sent = [asyncio.create_task(client.execute_insert("INSERT INTO lead (badge) VALUES (?)", [f"B{n}"]))
            for n in range(10)]
    await asyncio.sleep(0)  # each is on the database thread's queue now
    async with client._in_transaction() as transaction:
        _, rows = await transaction.execute_query("SELECT count(*) AS n FROM lead")
        assert rows[0]["n"] == 10  # its BEGIN ran after them
        later = asyncio.create_task(client.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["later"]))
        await transaction.execute_insert("INSERT INTO lead (badge) VALUES (?)", ["inside"])
        await asyncio.sleep(0.05)
        assert not later.done()  # held back until the transaction has ended
        _, rows = await transaction.execute_query("SELECT badge FROM lead WHERE badge IN ('inside', 'later')")
        assert [row["badge"] for row in rows] == ["inside"]
    await later
    assert all(task.done() for task in sent)
    _, rows = await client.execute_query("SELECT badge FROM lead ORDER BY id DESC LIMIT 2")
    assert [row["badge"] for row in rows] == ["later", "inside"]
