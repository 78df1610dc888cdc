"""Idempotency keys: a retried request replays its first answer instead of acting twice.

A key is scoped to its owner (a provider, say) and kept for ``ttl``. The first request with a
key claims it in a short transaction of its own, so concurrent retries see the claim at once:
the same body still in progress gets 409, a different body 422, a finished one its stored
status and body. The work and the stored answer then commit together, so an answer is never
stored for work that rolled back; a failed attempt releases the claim for the next retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import JSON, Index, UniqueConstraint, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from certboard_core.db import BigIntPK, UTCDateTime
from certboard_core.errors import Conflict, InvalidInput

IN_PROGRESS = "in_progress"
DONE = "done"
KEEP_FOR = timedelta(hours=24)
# A claim older than this was left by a request that died; a retry may take it over.
STALE_AFTER = timedelta(minutes=5)
M = TypeVar("M", bound=BaseModel)


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (
        UniqueConstraint("owner", "key"),
        Index("ix_idempotency_record_expires", "expires_at"),
    )

    id: int | None = Field(default=None, sa_type=BigIntPK, primary_key=True)
    owner: str = Field(max_length=200)
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    state: str = Field(max_length=20)
    response_status: int | None = None
    response_body: Any | None = Field(default=None, sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class IdempotencyKeyReused(InvalidInput):
    code = "IDEMPOTENCY_KEY_REUSED"


class IdempotencyInProgress(Conflict):
    code = "IDEMPOTENCY_IN_PROGRESS"


@dataclass(frozen=True)
class Replay:
    status: int
    body: Any


def request_hash(body: Any) -> str:
    """A stable digest of a request body (key order does not matter)."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> str:
    key = key.strip()
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise InvalidInput(
            "Idempotency-Key must be 1 to 255 printable characters", field="Idempotency-Key"
        )
    return key


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    *,
    owner: str,
    key: str,
    digest: str,
    now: datetime,
    ttl: timedelta,
    stale_after: timedelta,
) -> Replay | None:
    """Claim ``key`` for a new request, or return the stored answer of a finished one."""
    async with sessions() as session, session.begin():
        # An expired key is free again; a claim left by a crashed request frees itself later.
        await session.exec(
            delete(IdempotencyRecord)
            .where(col(IdempotencyRecord.owner) == owner)
            .where(col(IdempotencyRecord.key) == key)
            .where(
                (col(IdempotencyRecord.expires_at) <= now)
                | (
                    (col(IdempotencyRecord.state) == IN_PROGRESS)
                    & (col(IdempotencyRecord.created_at) <= now - stale_after)
                )
            )
        )
    try:
        async with sessions() as session, session.begin():
            session.add(
                IdempotencyRecord(
                    owner=owner,
                    key=key,
                    request_hash=digest,
                    state=IN_PROGRESS,
                    created_at=now,
                    expires_at=now + ttl,
                )
            )
        return None
    except IntegrityError:
        pass
    async with sessions() as session:
        record = (
            await session.exec(
                select(IdempotencyRecord)
                .where(IdempotencyRecord.owner == owner)
                .where(IdempotencyRecord.key == key)
            )
        ).first()
    if record is None:  # released between our insert and our read: the caller may retry
        raise IdempotencyInProgress(
            "that Idempotency-Key is being processed; retry shortly", field="Idempotency-Key"
        )
    if record.request_hash != digest:
        raise IdempotencyKeyReused(
            "that Idempotency-Key was used for a different request body; use a new key",
            field="Idempotency-Key",
        )
    if record.state == IN_PROGRESS:
        raise IdempotencyInProgress(
            "a request with that Idempotency-Key is still being processed; retry shortly",
            field="Idempotency-Key",
        )
    assert record.response_status is not None
    return Replay(record.response_status, record.response_body)


async def complete(session: AsyncSession, *, owner: str, key: str, status: int, body: Any) -> None:
    """Store the answer in the caller's transaction, so it commits with the work it describes."""
    await session.exec(
        update(IdempotencyRecord)
        .where(col(IdempotencyRecord.owner) == owner)
        .where(col(IdempotencyRecord.key) == key)
        .values(state=DONE, response_status=status, response_body=body)
    )


async def forget_expired(session: AsyncSession, *, now: datetime) -> None:
    """Drop answers past their keeping time (the table would otherwise only grow)."""
    await session.exec(delete(IdempotencyRecord).where(col(IdempotencyRecord.expires_at) <= now))


async def release(sessions: async_sessionmaker[AsyncSession], *, owner: str, key: str) -> None:
    """Give up a claim whose request failed, so a retry can do the work."""
    async with sessions() as session, session.begin():
        await session.exec(
            delete(IdempotencyRecord)
            .where(col(IdempotencyRecord.owner) == owner)
            .where(col(IdempotencyRecord.key) == key)
            .where(col(IdempotencyRecord.state) == IN_PROGRESS)
        )


@dataclass(frozen=True)
class Idempotency:
    """A route's ``Idempotency-Key`` handling: run the work once per key, replay it after."""

    sessions: async_sessionmaker[AsyncSession]
    key: str | None

    async def run(
        self,
        session: AsyncSession,
        *,
        owner: str,
        body: BaseModel,
        now: datetime,
        work: Callable[[], Awaitable[M]],
    ) -> M | JSONResponse:
        """``work``'s answer, stored with it in ``session``'s transaction; for a key seen
        before, the stored answer. Without a key, just ``work``.

        Call it before ``session`` has run anything: the claim commits in a transaction of
        its own, which on SQLite would wait for the write lock an open one holds.
        """
        if self.key is None:
            return await work()
        replay = await claim(
            self.sessions,
            owner=owner,
            key=self.key,
            digest=request_hash(body.model_dump(mode="json")),
            now=now,
            ttl=KEEP_FOR,
            stale_after=STALE_AFTER,
        )
        if replay is not None:
            return JSONResponse(
                replay.body, status_code=replay.status, headers={"Idempotent-Replayed": "true"}
            )
        try:
            result = await work()
            await complete(
                session, owner=owner, key=self.key, status=200, body=result.model_dump(mode="json")
            )
        except BaseException:
            await session.rollback()
            await release(self.sessions, owner=owner, key=self.key)
            raise
        return result


async def get_idempotency(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(description="retry with the same key and body: the first answer is replayed"),
    ] = None,
) -> Idempotency:
    """FastAPI dependency: the request's ``Idempotency-Key``, checked, with the session maker
    its claim runs in."""
    key = validate_key(idempotency_key) if idempotency_key is not None else None
    return Idempotency(request.app.state.sessions, key)


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]
