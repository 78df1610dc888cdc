"""Database engine and the per-request session: the request commits or rolls back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import (
    BigInteger,
    DateTime,
    Enum,
    Integer,
    MetaData,
    TypeDecorator,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.sqlite import (
    READ_ONLY,
    SQLITE_BUSY_TIMEOUT_MS,
    SQLITE_WRITE_QUEUE_SECONDS,
    SQLITE_WRITERS_AHEAD,
    WriteQueue,
    configure_sqlite,
)

# Named constraints keep Alembic migrations stable across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


def enum_type(enum_class: type[StrEnum], length: int = 32) -> Enum:
    """A StrEnum stored as its value in a plain VARCHAR: new members need no migration."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC in and out on every backend (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC instant")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def aggregate_date(value: date | str | None) -> date | None:
    """A MIN or MAX of a date column: SQLite hands it back as text, PostgreSQL as a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(
    url: str,
    *,
    write_queue_seconds: float = SQLITE_WRITE_QUEUE_SECONDS,
    writers_ahead: int = SQLITE_WRITERS_AHEAD,
    **kwargs: Any,
) -> AsyncEngine:
    """An async engine; on SQLite with WAL, a busy timeout, write-ready transactions and a
    queue of this process's writers (``WriteQueue``; a wait past ``write_queue_seconds`` is
    DatabaseBusy)."""
    if is_sqlite(url):
        engine = create_async_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        configure_sqlite(engine.sync_engine, WriteQueue(write_queue_seconds, writers_ahead))
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def writes_on_read(request: Request) -> None:
    """For a GET that writes (a read that is audited): as a route dependency, its unit of work
    begins as a write. A SQLite read transaction that later writes fails at once once another
    writer has committed since it began."""
    request.state.writes_on_read = True


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: committed when the endpoint returns, rolled back if it raises."""
    factory: async_sessionmaker[AsyncSession] = request.app.state.sessions
    async with factory() as session:
        reads_only = not getattr(request.state, "writes_on_read", False)
        if request.method in SAFE_METHODS and reads_only:
            # Reads begin without taking SQLite's write lock (no effect on PostgreSQL).
            await session.connection(execution_options={READ_ONLY: True})
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


# scope="function": the commit happens before the response is sent, so a failed commit is
# reported to the caller instead of being lost after a 2xx.
Session = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def add_unique(session: AsyncSession, row: SQLModel) -> bool:
    """Insert ``row`` unless a unique constraint says it exists; the transaction stays usable.

    A savepoint keeps a refused insert from poisoning the caller's transaction, so callers can
    answer "duplicate" (or a 409) instead of failing the request.
    """
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


async def update_versioned(
    session: AsyncSession, model: Any, row_id: Any, expected_version: int, values: dict[str, Any]
) -> bool:
    """Apply ``values`` and bump ``version`` only if nobody changed the row since
    ``expected_version`` was read (optimistic concurrency: never a lost update)."""
    result = await session.exec(
        update(model)
        .where(model.id == row_id, model.version == expected_version)
        .values(**values, version=expected_version + 1)
    )
    return bool(result.rowcount == 1)
