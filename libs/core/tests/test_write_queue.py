"""SQLite writers of one process queue in Python: none fails for lock contention, reads never
wait, and a wait past the bound is a 503 DATABASE_BUSY with Retry-After, not a 500."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.db import Session, create_engine, session_factory, writes_on_read
from certboard_core.errors import install_error_handlers
from certboard_core.sqlite import READ_ONLY, DatabaseBusy

WRITERS = 25


def no_busy_wait(engine: AsyncEngine) -> None:
    """Make SQLite refuse a taken write lock at once: any contention it sees fails loudly."""

    @event.listens_for(engine.sync_engine, "connect")
    def _no_wait(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.close()


async def make_engine(tmp_path: Path, *, wait: bool = True, **kwargs: Any) -> AsyncEngine:
    """A counter table at 0; ``wait=False``: SQLite's busy_timeout is 0 (``no_busy_wait``)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}", **kwargs)
    if not wait:
        no_busy_wait(engine)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
        await conn.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")
    return engine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """One writer past the queue at a time, and SQLite refusing any contention at once."""
    engine = await make_engine(tmp_path, wait=False, writers_ahead=1)
    yield engine
    await engine.dispose()


async def count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT n FROM counter"))).scalar_one())


async def write_at_once(engine: AsyncEngine) -> int:
    """WRITERS read-then-write the counter together; the most ever inside a transaction."""
    sessions = session_factory(engine)
    start = asyncio.Barrier(WRITERS)
    inside = 0
    most_inside = 0

    async def writer() -> None:
        nonlocal inside, most_inside
        await start.wait()  # all ask for the lock together
        async with sessions() as session, session.begin():
            n = (await session.exec(text("SELECT n FROM counter"))).scalar_one()
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0)  # let the others run: they must be waiting in the queue
            await session.exec(text("UPDATE counter SET n = :n").bindparams(n=n + 1))
            inside -= 1

    await asyncio.gather(*(writer() for _ in range(WRITERS)))
    return most_inside


async def test_many_writers_at_once_all_succeed_one_after_another(engine) -> None:
    # SQLite refuses any contention here at once (busy_timeout 0): the queue avoids all of it.
    assert await write_at_once(engine) == 1
    assert await count(engine) == WRITERS  # no lost update either


async def test_with_the_next_writer_waiting_in_sqlite_all_succeed_too(tmp_path: Path) -> None:
    """The default: one writer writes, the next waits in SQLite for its COMMIT."""
    engine = await make_engine(tmp_path)
    try:
        assert await write_at_once(engine) == 1
        assert await count(engine) == WRITERS
    finally:
        await engine.dispose()


async def test_a_read_does_not_wait_for_the_queue(engine) -> None:
    sessions = session_factory(engine)
    async with sessions() as writer, writer.begin():
        await writer.exec(text("UPDATE counter SET n = 7"))  # holds the queue and the lock
        async with sessions() as reader:
            await reader.connection(execution_options={READ_ONLY: True})
            # Were the read queued it would wait for this very task: wait_for would fail it.
            seen = await asyncio.wait_for(reader.exec(text("SELECT n FROM counter")), timeout=10)
            assert seen.scalar_one() == 0  # the snapshot before the uncommitted write
    assert await count(engine) == 7


async def test_the_queue_is_left_after_a_rollback_and_an_error(engine) -> None:
    sessions = session_factory(engine)

    async def fail_midway() -> None:
        async with sessions() as session, session.begin():
            await session.exec(text("UPDATE counter SET n = 1"))
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        await fail_midway()
    async with sessions() as session:
        with pytest.raises(Exception, match="no such table"):
            await session.exec(text("INSERT INTO missing VALUES (1)"))
    async with sessions() as session, session.begin():
        await session.exec(text("UPDATE counter SET n = 2"))
    assert await count(engine) == 2


async def test_a_wait_past_the_bound_is_database_busy(tmp_path: Path) -> None:
    engine = await make_engine(tmp_path, write_queue_seconds=0.05, writers_ahead=1)
    sessions = session_factory(engine)
    taken = asyncio.Event()
    done = asyncio.Event()

    async def holder() -> None:
        async with sessions() as session, session.begin():
            await session.exec(text("UPDATE counter SET n = 1"))
            taken.set()
            await done.wait()

    holding = asyncio.create_task(holder())
    await taken.wait()
    try:
        async with sessions() as session:
            with pytest.raises(DatabaseBusy) as refused:
                await session.exec(text("UPDATE counter SET n = 99"))
        assert refused.value.status_code == 503
        assert refused.value.headers == {"Retry-After": "1"}
    finally:
        done.set()
        await holding
    async with sessions() as session, session.begin():  # the queue is usable again
        await session.exec(text("UPDATE counter SET n = n + 1"))
    assert await count(engine) == 2
    await engine.dispose()


async def test_a_request_that_waits_too_long_is_answered_503_and_changes_nothing(
    tmp_path: Path,
) -> None:
    engine = await make_engine(tmp_path, write_queue_seconds=0.05, writers_ahead=1)
    app = FastAPI()
    install_error_handlers(app)
    app.state.sessions = session_factory(engine)

    @app.post("/bump")
    async def bump(session: Session) -> dict[str, int]:
        await session.exec(text("UPDATE counter SET n = n + 1"))
        return {"bumped": 1}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://app"
    ) as client:
        async with app.state.sessions() as holder, holder.begin():
            await holder.exec(text("UPDATE counter SET n = 10"))
            busy = await client.post("/bump")
        again = await client.post("/bump")
    await engine.dispose()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "1"
    assert busy.json()["error"]["code"] == "DATABASE_BUSY"
    assert again.json() == {"bumped": 1}
    assert await count_once(tmp_path) == 11


async def count_once(tmp_path: Path) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}")
    try:
        return await count(engine)
    finally:
        await engine.dispose()


async def test_another_process_holding_the_lock_past_busy_timeout_is_database_busy(
    engine, tmp_path: Path
) -> None:
    """Another process (its own queue) keeps SQLite's lock: a 503 once busy_timeout ends."""
    other = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'queue.db'}")
    try:
        async with other.begin() as conn:
            await conn.execute(text("UPDATE counter SET n = 5"))
            async with session_factory(engine)() as session:
                with pytest.raises(DatabaseBusy):
                    await session.exec(text("UPDATE counter SET n = 6"))
    finally:
        await other.dispose()
    assert await count(engine) == 5


async def test_a_read_that_writes_begins_as_a_write(engine) -> None:
    app = FastAPI()
    app.state.sessions = session_factory(engine)

    async def read_only(session: AsyncSession) -> bool:
        connection = await session.connection()
        return bool(connection.sync_connection.get_execution_options().get(READ_ONLY))  # type: ignore[union-attr]

    @app.get("/plain")
    async def plain(session: Session) -> bool:
        return await read_only(session)

    @app.get("/audited", dependencies=[Depends(writes_on_read)])
    async def audited(session: Session) -> bool:
        return await read_only(session)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://db") as client:
        assert (await client.get("/plain")).json() is True
        assert (await client.get("/audited")).json() is False
