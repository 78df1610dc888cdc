"""Builders for credential tests: a certified holder on the clock after the pass, a key
folder of the test's own (so rotating it touches no other test), discipline's switch."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import update

from applications.certification.models import Certification
from applications.certification.rules import CertificationStatus
from applications.config import Settings
from applications.credential import service
from applications.credential.keys import ensure_key
from applications.credential.models import StatusPurpose
from certboard_core.auth import Principal
from certboard_core.clock import TestClock
from certboard_core.context import RequestContext
from certboard_core.roles import Role
from certboard_core.testing.plugin import Minter, bearer

from ..certification.conftest import approved, deliver, passed

# Passed on 4 May 2026 under CA: valid through 3 May 2028 (the end of that day in Los Angeles
# is 2028-05-04 06:59:59 UTC); the day after the pass at 10:00 in Los Angeles.
THE_DAY_AFTER = datetime(2026, 5, 5, 17, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    keys = tmp_path / "credential-keys"
    ensure_key(keys)
    return settings.model_copy(update={"credential_key_dir": keys})


async def certified(
    client: httpx.AsyncClient, mint: Minter, clock: TestClock, who: str = "alice"
) -> uuid.UUID:
    """``who``'s certification, issued on a pass on 4 May 2026; the clock the day after."""
    application = await approved(client, mint, who)
    answer = await deliver(client, mint, "exam.passed", passed(application))
    assert answer.json()["outcome"] == "handled", answer.text
    read = await client.get(
        f"/v1/applications/{application['id']}/certification",
        headers=bearer(mint("staff", "sam")),
    )
    clock.set(THE_DAY_AFTER)
    return uuid.UUID(read.json()["id"])


async def fetch(
    client: httpx.AsyncClient, mint: Minter, certification_id: uuid.UUID, who: str = "alice"
) -> httpx.Response:
    """The holder asks for the certification's credential."""
    return await client.get(
        f"/v1/certifications/{certification_id}/credential",
        headers=bearer(mint("applicant", who)),
    )


async def credential_of(
    client: httpx.AsyncClient, mint: Minter, certification_id: uuid.UUID, who: str = "alice"
) -> dict[str, Any]:
    """The holder's credential of the certification: the JWT and its claims."""
    answer = await fetch(client, mint, certification_id, who)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def verify(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    """Anyone presents ``token``; the answer, with each check's reason by name."""
    answer = await client.post("/v1/credentials/verify", json={"credential": token})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    body["reasons"] = {c["check"]: c["reason"] for c in body["checks"] if not c["ok"]}
    return body


async def set_bit(
    app: FastAPI,
    clock: TestClock,
    certification_id: uuid.UUID,
    purpose: StatusPurpose,
    on: bool,
) -> None:
    """Discipline's call, in a transaction of its own, as staff."""
    principal = Principal("sam", frozenset({Role.STAFF}), {}, "")
    async with app.state.sessions() as session, session.begin():
        ctx = RequestContext(
            session=session,
            principal=principal,
            clock=clock,
            policy=app.state.policy,
            outbox=app.state.outbox,
        )
        await service.set_status(ctx, certification_id, purpose, on)


async def store_status(
    app: FastAPI, certification_id: uuid.UUID, status: CertificationStatus
) -> None:
    """Write a certification's stored status as discipline will (without the flag)."""
    async with app.state.sessions() as session, session.begin():
        await session.exec(
            update(Certification)
            .where(Certification.id == certification_id)  # type: ignore[arg-type]
            .values(status=status)
        )
