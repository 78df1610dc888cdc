"""Filling a fresh database fast: set-wise inserts that store exactly what the service would."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import JSON, Table, event, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.type_api import TypeEngine

from bench.common import table
from certboard_core.db import create_engine

T = TypeVar("T")
Row = dict[str, Any]


def sqlite_cache(engine: AsyncEngine, mib: int) -> None:
    """What-if knob: a larger page cache per SQLite connection than the service configures."""

    @event.listens_for(engine.sync_engine, "connect")
    def _cache(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size=-{int(mib) * 1024}")
        cursor.close()


def batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _check_columns(target: Table, row: Row) -> list[str]:
    """The row's columns in table order; a required column the row lacks is an error here,
    not a confusing NOT NULL failure (the models may have changed since this was written)."""
    missing = [
        c.name
        for c in target.columns
        if c.name not in row and not c.nullable and c.server_default is None
    ]
    unknown = set(row) - set(target.columns.keys())
    if missing or unknown:
        raise RuntimeError(
            f"bench rows for {target.name} lack {missing} / have unknown {sorted(unknown)}; "
            "update bench/rows.py to the current models"
        )
    return [c.name for c in target.columns if c.name in row]


def _identity(value: Any) -> Any:
    return value


def _copy_converter(column_type: TypeEngine[Any]) -> Callable[[Any], Any]:
    """How a Python value becomes what asyncpg's binary COPY expects for the column."""
    if isinstance(column_type, JSON):
        return json.dumps
    return lambda value: value.value if isinstance(value, Enum) else value


async def _copy(conn: AsyncConnection, target: Table, rows: Iterable[Row], chunk: int) -> int:
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    count = 0
    for batch in batched(rows, chunk):
        columns = _check_columns(target, batch[0])
        convert = [_copy_converter(target.c[c].type) for c in columns]
        records = [tuple(f(row[c]) for f, c in zip(convert, columns, strict=True)) for row in batch]
        await driver.copy_records_to_table(target.name, records=records, columns=columns)
        count += len(batch)
    return count


async def _executemany(
    conn: AsyncConnection, target: Table, rows: Iterable[Row], chunk: int
) -> int:
    """The driver's executemany with SQLAlchemy's own bind processors applied per column:
    the stored values are exactly what the service would write, at a fraction of the cost of
    building Core parameter sets row by row."""
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    count = 0
    pending: asyncio.Future[Any] | None = None
    try:
        for batch in batched(rows, chunk):
            _check_columns(target, batch[0])
            compiled = insert(target).compile(dialect=conn.dialect, column_keys=list(batch[0]))
            columns = list(compiled.positiontup or ())
            convert = [target.c[c].type.bind_processor(conn.dialect) or _identity for c in columns]
            records = [
                tuple(f(row[c]) for f, c in zip(convert, columns, strict=True)) for row in batch
            ]
            # SQLite works in aiosqlite's thread: build the next batch while it inserts this one.
            if pending is not None:
                await pending
            pending = asyncio.ensure_future(driver.executemany(str(compiled), records))
            count += len(batch)
    finally:
        if pending is not None:
            await pending
    return count


async def bulk_insert(
    engine: AsyncEngine, name: str, rows: Iterable[Row], *, chunk: int = 20_000
) -> int:
    """Insert ``rows`` set-wise in one transaction: COPY on PostgreSQL, executemany on SQLite."""
    target = table(name)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            return await _copy(conn, target, rows, chunk)
        return await _executemany(conn, target, rows, chunk)


async def settle(engine: AsyncEngine) -> None:
    """Bring a freshly filled database to the quiet state a long-running one is in.

    PostgreSQL: what autovacuum would have done (statistics, visibility map, hint bits) and a
    checkpoint, so the measurement does not pay for the fill's dirty pages. SQLite: the WAL
    folded into the database file. SQLite gets no ANALYZE: the service never runs one.
    """
    async with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE"))
            await auto.execute(text("CHECKPOINT"))
        else:
            # Outside a transaction: the engine's BEGIN IMMEDIATE would make it a no-op.
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def fill_database(url: str, fill: Callable[[AsyncEngine], Awaitable[T]]) -> tuple[T, float]:
    """Run ``fill`` on an engine of its own and settle the database; returns what ``fill``
    returned and the seconds it all took. The fill is not what is measured, so SQLite gets a
    1 GiB page cache here; the measured engine is created afterwards, as the service makes it.
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        sqlite_cache(engine, 1024)
    try:
        started = time.perf_counter()
        result = await fill(engine)
        await settle(engine)
        return result, time.perf_counter() - started
    finally:
        await engine.dispose()


async def count_rows(engine: AsyncEngine, names: Sequence[str]) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            n: int((await conn.execute(select(func.count()).select_from(table(n)))).scalar_one())
            for n in names
        }
