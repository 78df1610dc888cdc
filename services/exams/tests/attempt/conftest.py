"""Fixtures of the attempt tests: rows written straight into the database, and a recorder."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from certboard_core.testing.plugin import T0, Minter, bearer
from exams.authorization.models import ExamAuthorization

from .factories import Rows


@pytest.fixture
def rows(app: FastAPI) -> Rows:
    return Rows(app)


Record = Callable[..., Awaitable[httpx.Response]]


@pytest.fixture
def record(client: httpx.AsyncClient, mint: Minter) -> Record:
    """``record(authorization, responses=... | vendor_score=..., taken_at=..., as_=token)``."""
    staff = mint("staff", "sam")

    async def go(
        authorization: ExamAuthorization, *, as_: str | None = None, **body: Any
    ) -> httpx.Response:
        payload = {"authorization_id": str(authorization.id), "taken_at": T0.isoformat(), **body}
        return await client.post("/v1/attempts", json=payload, headers=bearer(as_ or staff))

    return go
