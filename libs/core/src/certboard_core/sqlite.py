"""SQLite as the services use it: WAL, a busy timeout, write transactions that take the lock
up front, and a first-come-first-served queue of each process's writers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_
from sqlalchemy.util.concurrency import in_greenlet
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.errors import DomainError

# How long a writer waits in SQLite for the write lock: held by another process (the sweep
# CLI, another replica) or by the one writer of this process ahead of it (``WriteQueue``).
SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long a writer may wait in this process's queue before it is answered 503 DATABASE_BUSY.
SQLITE_WRITE_QUEUE_SECONDS = 30.0
# Writers of one process past its queue at once: one writing, the next waiting for its COMMIT.
SQLITE_WRITERS_AHEAD = 2
# Per connection, and taken only as pages are read. A request reads a few pages, so SQLite's
# own 2 MiB serves; a sweep's bulk transaction widens its connection's for as long as it runs
# (``bulk_cache``): a sweep over 100,000 applications runs 20% faster with 32 MiB, but 15
# pooled connections at 32 MiB each held the applications service at 189 MiB under 50 clients.
SQLITE_CACHE_MIB = 2
SQLITE_BULK_CACHE_MIB = 32
READ_ONLY = "certboard_read_only"


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


# In a connection's info: the write queue's gate its transaction passed.
_QUEUED = "certboard_write_queued"


def configure_sqlite(engine: Engine, queue: WriteQueue) -> None:
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


@contextlib.asynccontextmanager
async def bulk_cache(session: AsyncSession) -> AsyncIterator[None]:
    """Inside, the session's connection keeps up to ``SQLITE_BULK_CACHE_MIB`` of pages (on
    SQLite; elsewhere nothing changes); after, ``SQLITE_CACHE_MIB`` again, which frees the rest."""
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    await connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_BULK_CACHE_MIB * 1024}")
    try:
        yield
    finally:
        # A transaction cancelled inside the driver (a shutdown mid-sweep) leaves its
        # connection invalidated, to be discarded with its cache: resetting it would raise
        # and hide the cancellation, and the sweep loop would take that for a failed pass.
        if not connection.invalidated:
            await connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_MIB * 1024}")
