"""The shared mechanisms every service uses: keyset pages, error declarations, idempotency."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from certboard_core.db import create_engine, metadata, session_factory
from certboard_core.errors import (
    AUTHENTICATED,
    Conflict,
    ErrorResponse,
    InvalidInput,
    NotFound,
    error_responses,
)
from certboard_core.idempotency import (
    Idempotency,
    IdempotencyKeyReused,
    IdempotencyRecord,
)
from certboard_core.pagination import Keyset, decode_cursor, encode_cursor
from certboard_core.testing.plugin import T0, DatabaseFactory
from certboard_core.versioned import VersionConflict

rows_meta = sa.MetaData()
items = sa.Table(
    "item",
    rows_meta,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("due_on", sa.Date, nullable=False),
)
BY_DUE = Keyset[sa.Row[tuple[uuid.UUID, date]]](
    items.c.due_on, items.c.id, key=lambda r: (r.due_on, r.id), kinds=(date, uuid.UUID)
)


@pytest.fixture
async def engine(database_factory: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_factory(None))
    async with engine.begin() as conn:
        await conn.run_sync(rows_meta.create_all)
        await conn.run_sync(
            lambda sync: metadata.create_all(sync, tables=[IdempotencyRecord.__table__])  # type: ignore[attr-defined]
        )
    yield engine
    await engine.dispose()


async def test_keyset_pages_cover_every_row_once_in_order_through_ties(
    engine: AsyncEngine,
) -> None:
    # Seven rows on three days: pages of two must split ties by id, never repeat or skip.
    days = [date(2026, 3, 1)] * 3 + [date(2026, 3, 2)] * 2 + [date(2026, 2, 28)] * 2
    made = [{"id": uuid.uuid4(), "due_on": d} for d in days]
    async with engine.begin() as conn:
        await conn.execute(items.insert(), made)
    seen: list[tuple[date, uuid.UUID]] = []
    after: str | None = None
    pages = 0
    async with engine.connect() as conn:
        while True:
            rows = (await conn.execute(BY_DUE.query(sa.select(items), after=after, limit=2))).all()
            page = BY_DUE.page(rows, limit=2)
            seen += [(r.due_on, r.id) for r in page.items]
            pages += 1
            if page.next_cursor is None:
                break
            after = page.next_cursor
    assert seen == sorted((m["due_on"], m["id"]) for m in made)
    assert pages == 4


def test_a_page_that_fits_has_no_next_cursor() -> None:
    page = BY_DUE.page([], limit=5)
    assert page.items == []
    assert page.next_cursor is None


@given(st.dates(), st.uuids())
def test_cursor_round_trip(day: date, ident: uuid.UUID) -> None:
    assert decode_cursor(encode_cursor(day, ident), date, uuid.UUID) == (day, ident)


@pytest.mark.parametrize("cursor", ["", "bm90LWEtY3Vyc29y", "%%%", encode_cursor("x", "y", "z")])
def test_a_cursor_we_never_issued_is_refused_on_the_after_field(cursor: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(cursor, date, uuid.UUID)
    assert refused.value.field == "after"


def test_error_responses_name_each_status_once_with_its_codes() -> None:
    class DuplicateThing(Conflict):
        code = "DUPLICATE_THING"

    responses = error_responses(*AUTHENTICATED, NotFound, VersionConflict, DuplicateThing)
    assert sorted(responses) == [401, 403, 404, 409, 422, 429]
    assert responses[409]["description"] == "VERSION_CONFLICT or DUPLICATE_THING"
    assert responses[422]["description"] == "VALIDATION_ERROR"
    assert all(r["model"] is ErrorResponse for r in responses.values())


class Body(BaseModel):
    n: int


class Answer(BaseModel):
    runs: int


async def test_idempotency_runs_once_per_key_and_replays_after(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    once = Idempotency(sessions, "key-1")
    runs = 0

    async def work() -> Answer:
        nonlocal runs
        runs += 1
        return Answer(runs=runs)

    for _ in range(2):
        async with sessions() as session:
            result = await once.run(session, owner="p", body=Body(n=1), now=T0, work=work)
            await session.commit()
    assert runs == 1
    assert not isinstance(result, Answer)
    assert result.headers["Idempotent-Replayed"] == "true"
    assert result.body == b'{"runs":1}'
    async with sessions() as session:
        with pytest.raises(IdempotencyKeyReused):
            await once.run(session, owner="p", body=Body(n=2), now=T0, work=work)
    # Another owner's key of the same name is its own.
    async with sessions() as session:
        assert await Idempotency(sessions, "key-1").run(
            session, owner="q", body=Body(n=1), now=T0, work=work
        ) == Answer(runs=2)


async def test_a_failed_attempt_frees_its_key_and_stores_nothing(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    once = Idempotency(sessions, "key-2")

    async def fail() -> Answer:
        raise NotFound("gone")

    async with sessions() as session:
        with pytest.raises(NotFound):
            await once.run(session, owner="p", body=Body(n=1), now=T0, work=fail)
    async with sessions() as session:
        assert (await session.exec(select(IdempotencyRecord))).all() == []

    async def succeed() -> Answer:
        return Answer(runs=1)

    later = T0 + timedelta(seconds=1)
    async with sessions() as session:
        assert await once.run(
            session, owner="p", body=Body(n=1), now=later, work=succeed
        ) == Answer(runs=1)
