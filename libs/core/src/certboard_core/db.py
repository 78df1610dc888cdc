"""Database engine and the per-request session: the request commits or rolls back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
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
    event,
    text,
    update,
)
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_
from sqlalchemy.util.concurrency import in_greenlet
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.errors import DomainError

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

# How long a writer waits in SQLite for the write lock: held by another process (the sweep
# CLI, another replica) or by the one writer of this process ahead of it (``WriteQueue``).
SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long a writer may wait in this process's queue before it is answered 503 DATABASE_BUSY.
SQLITE_WRITE_QUEUE_SECONDS = 30.0
# Writers of one process past its queue at once: one writing, the next waiting for its COMMIT.
SQLITE_WRITERS_AHEAD = 2
# Per connection, and taken only as pages are read. SQLite's default of 2 MiB is a fraction
# of one table's indexes; a sweep over 100,000 applications runs 20% faster with this.
SQLITE_CACHE_MIB = 32
READ_ONLY = "certboard_read_only"
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


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class DatabaseBusy(DomainError):
    """The database's write lock stayed taken past its bound: nothing was done, retry."""

    status_code = 503
    code = "DATABASE_BUSY"
    retry_after = 1

    @property
    def headers(self) -> dict[str, str]:
        """When to try again, as ``Retry-After`` seconds."""
        return {"Retry-After": str(self.retry_after)}


class WriteQueue:
    """This process's SQLite write transactions, in the order they asked, ``ahead`` at a time.

    SQLite's own wait (busy_timeout) is a poll with backoff, not a queue: under load a writer
    that has waited long loses to newcomers until its timeout ends it with "database is
    locked". Here writers wait in a FIFO ``asyncio.Semaphore``, taken where the write
    transaction begins (BEGIN IMMEDIATE, at its first statement) and given back once it has
    committed or rolled back. With ``ahead`` 2, one writer writes while the next waits in
    SQLite for its COMMIT (a wait of one transaction), so the hand-over does not wait for the
    event loop; with 1, SQLite sees no contention from this process at all. Reads
    (``READ_ONLY``) never queue.
    """

    def __init__(self, bound_seconds: float, ahead: int = SQLITE_WRITERS_AHEAD) -> None:
        self.bound_seconds = bound_seconds
        self.ahead = ahead
        self._gates: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}

    def _gate(self) -> asyncio.Semaphore:
        # A semaphore serves one event loop (tests and the CLI may run several in turn).
        loop = asyncio.get_running_loop()
        if loop not in self._gates:
            self._gates = {k: v for k, v in self._gates.items() if not k.is_closed()}
            self._gates[loop] = asyncio.Semaphore(self.ahead)
        return self._gates[loop]

    async def acquire(self) -> asyncio.Semaphore:
        """Wait for this process's turn to write, at most ``bound_seconds``; the gate passed."""
        gate = self._gate()
        try:
            await asyncio.wait_for(gate.acquire(), self.bound_seconds)
        except TimeoutError:
            raise DatabaseBusy(
                "the database is busy with other writes; nothing was changed, retry shortly"
            ) from None
        return gate


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
        _configure_sqlite(engine.sync_engine, WriteQueue(write_queue_seconds, writers_ahead))
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


# In a connection's info: the write queue's gate its transaction passed.
_QUEUED = "certboard_write_queued"


def _configure_sqlite(engine: Engine, queue: WriteQueue) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take transaction control from the driver so that BEGIN IMMEDIATE below is what runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_MIB * 1024}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A writer takes the write lock up front, which turns lock upgrades (failing at once
        # with "database is locked") into waits bounded by busy_timeout. A reader must not:
        # under WAL it reads its snapshot while a writer (a long sweep, say) holds the lock.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
            return
        if in_greenlet():  # always, but for synchronous use of the engine (none in services)
            conn.info[_QUEUED] = await_(queue.acquire())
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _leave(conn.info)
            raise

    def _leave(info: dict[str, Any]) -> None:
        gate = info.pop(_QUEUED, None)
        if gate is not None:
            gate.release()

    def _leave_proxy(connection: Any) -> None:
        try:
            info = connection.info
        except NotImplementedError:  # the engine's first-connect probe: never in the queue
            return
        _leave(info)

    # The queue is left once COMMIT or ROLLBACK has run, not when the "commit" and "rollback"
    # events fire (before it): a writer's place is given up only once SQLite's lock is free.
    # ``connection`` is the pool's proxy, whose ``info`` is the one set at begin.
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(connection: Any) -> None:
        commit(connection)
        _leave_proxy(connection)  # a failed COMMIT is rolled back next, which leaves

    def do_rollback(connection: Any) -> None:
        try:
            rollback(connection)
        finally:
            _leave_proxy(connection)

    dialect.do_commit = do_commit  # type: ignore[method-assign,assignment]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign,assignment]

    # A connection dropped without a rollback (invalidated mid-transaction) leaves too.
    @event.listens_for(engine, "invalidate")
    @event.listens_for(engine, "checkin")
    def _on_gone(_dbapi_connection: Any, record: ConnectionPoolEntry, *_: Any) -> None:
        _leave(record.info)

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> BaseException | None:
        # The lock stayed taken past busy_timeout (by another process, or by a transaction of
        # this one longer than that): a retryable 503, not a 500.
        if "database is locked" in str(context.original_exception):
            return DatabaseBusy("the database is busy with other writes; retry shortly")
        return None


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def writes_on_read(request: Request) -> None:
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
