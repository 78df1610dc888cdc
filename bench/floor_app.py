"""The floor of a read on this stack: FastAPI + SQLModel reading one row by primary key.

``uvicorn --factory bench.floor_app:create_app`` with ``CERTBOARD_BENCH_FLOOR_DB`` naming a
SQLite file that ``fill`` made. The engine and session are made as the services make theirs
(``certboard_core.db``: WAL, the same pragmas, read-only transactions for GETs), so what the
status read costs beyond this is the status read's own work.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI, HTTPException
from sqlmodel import Field, SQLModel

from certboard_core.db import Session, create_engine, session_factory

DB_ENV = "CERTBOARD_BENCH_FLOOR_DB"
ROWS = 100_000


class FloorRow(SQLModel, table=True):
    __tablename__ = "floor_row"

    id: int = Field(primary_key=True)
    name: str
    email: str
    status: str
    submitted_at: datetime
    version: int


def fill(path: Path, rows: int = ROWS) -> None:
    """A fresh table of ``rows`` rows, keys 1 to ``rows``."""
    start = datetime(2026, 1, 1)
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(
            "CREATE TABLE floor_row (id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
            "email VARCHAR NOT NULL, status VARCHAR NOT NULL, submitted_at DATETIME NOT NULL, "
            "version INTEGER NOT NULL)"
        )
        db.executemany(
            "INSERT INTO floor_row VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    f"Applicant {i}",
                    f"applicant{i}@example.org",
                    "submitted",
                    (start + timedelta(minutes=i)).isoformat(sep=" "),
                    1,
                )
                for i in range(1, rows + 1)
            ),
        )
        db.commit()


def create_app() -> FastAPI:
    """The floor app, reading the database ``CERTBOARD_BENCH_FLOOR_DB`` names."""
    engine = create_engine(f"sqlite+aiosqlite:///{os.environ[DB_ENV]}")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)
    app.state.sessions = session_factory(engine)

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        return {"status": "ready"}

    @app.get("/rows/{row_id}")
    async def read_row(row_id: int, session: Session) -> FloorRow:
        row = await session.get(FloorRow, row_id)
        if row is None:
            raise HTTPException(status_code=404)
        return row

    return app
