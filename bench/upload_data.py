"""The data and the provider the upload benchmark sends, in a fresh migrated database."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from applications.certificate.models import TrainingCertificate
from applications.policy import ApplicationPolicy
from certboard_core import migrations
from certboard_core.auth import Role
from certboard_core.devissuer import mint_token

if __package__ in (None, ""):  # run as a file: `bench` is importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import common, fill, rows

Person = tuple[str, str, date]  # applicant id, email, date of birth of a stored application


@asynccontextmanager
async def fresh_database(backend: common.Backend, folder: Path) -> AsyncIterator[str]:
    """A new database at the newest migration, dropped afterwards (also after a failure)."""
    name = f"certboard_upbench_{uuid.uuid4().hex[:8]}"
    admin = common.PG_ADMIN_URL
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / name}.db"
    else:
        url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        url = f"{url}/{name}"
        conn = await asyncpg.connect(admin, timeout=10)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
    try:
        # Alembic's env runs its own event loop: keep it off this one.
        await asyncio.to_thread(migrations.upgrade, common.PACKAGE, url)
        yield url
    finally:
        if backend == "postgresql":
            conn = await asyncpg.connect(admin, timeout=10)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            finally:
                await conn.close()


async def preload(url: str, count: int, policy: ApplicationPolicy) -> list[Person]:
    """``count`` applications in the states a running board has, inserted set-wise (COPY on
    PostgreSQL, executemany on SQLite) and settled as a running database would be."""
    apps = [rows.not_due(i, now=common.NOW, policy=policy) for i in range(count)]

    async def insert(engine: AsyncEngine) -> int:
        return await fill.bulk_insert(engine, "application", apps)

    await fill.fill_database(url, insert)
    return [(a["applicant_id"], a["email"], a["date_of_birth"]) for a in apps]


def certificate(k: int, *, program_id: str, people: list[Person], today: date) -> dict[str, Any]:
    """Certificate number ``k`` as a provider sends it. Of every 20: one names the applicant
    id of a stored application, one has a stored application's email and date of birth, two
    name applicant ids nobody has yet; the rest wait for their person to apply. One in 200
    is rejected (completed in the future)."""
    kind = k % 20
    row: dict[str, Any] = {
        "certificate_id": f"RTI-{k:07d}",
        "legal_name": f"Trainee {k} Okafor-Lopez",
        "date_of_birth": date(1970 + k % 30, 1 + k % 12, 1 + k % 28).isoformat(),
        "email": f"Trainee.{k}@Example.org",
        "program_id": program_id,
        "completion_date": (today - timedelta(days=1 + k % 600)).isoformat(),
        "hours": 80 + k % 3 * 20,
    }
    applicant_id, email, born = people[(k // 20) % len(people)]
    if kind == 0:
        row["applicant_id"] = applicant_id
    elif kind == 10:
        row["email"], row["date_of_birth"] = email, born.isoformat()
    elif kind in (5, 15):
        row["applicant_id"] = f"unknown-{k}"
    if k % 200 == 199:
        row["completion_date"] = (today + timedelta(days=5)).isoformat()
    return row


def expected_matches(total: int) -> int:
    return sum(1 for k in range(total) if k % 20 in (0, 10) and k % 200 != 199)


@dataclass(frozen=True)
class Provider:
    id: str
    program_id: str
    token: str

    @property
    def path(self) -> str:
        return f"/v1/providers/{self.id}/certificates"


async def make_provider(client: httpx.AsyncClient, private_key: Path, name: str) -> Provider:
    """A provider with an 80-hour program, made by staff over the API as in the tests, and
    the provider's own token."""
    staff = mint_token(private_key, subject="bench-staff", roles=[Role.STAFF])
    headers = {"Authorization": f"Bearer {staff}"}
    made = await client.post("/v1/providers", json={"name": name}, headers=headers)
    assert made.status_code == 201, made.text
    provider_id = made.json()["id"]
    program = await client.post(
        f"/v1/providers/{provider_id}/programs",
        json={"name": "Peer Support 80", "hours": 80},
        headers=headers,
    )
    assert program.status_code == 201, program.text
    token = mint_token(
        private_key,
        subject=f"client-{provider_id}",
        roles=[Role.PROVIDER],
        extra_claims={"provider_id": provider_id},
    )
    return Provider(provider_id, program.json()["id"], token)


def build_batches(
    provider: Provider, *, total: int, batch: int, people: list[Person], today: date
) -> list[tuple[dict[str, str], bytes]]:
    """The requests, serialised beforehand: the client's JSON encoding is not measured."""
    batches = []
    for start in range(0, total, batch):
        certificates = [
            certificate(k, program_id=provider.program_id, people=people, today=today)
            for k in range(start, min(start + batch, total))
        ]
        headers = {
            "Authorization": f"Bearer {provider.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"bench-{uuid.uuid4()}",
        }
        batches.append((headers, json.dumps({"certificates": certificates}).encode()))
    return batches


async def stored_and_matched(engine: AsyncEngine, provider: Provider) -> tuple[int, int]:
    C = TrainingCertificate  # noqa: N806
    mine = col(C.provider_id) == uuid.UUID(provider.id)
    async with engine.connect() as conn:
        stored = (await conn.execute(select(func.count()).where(mine))).scalar_one()
        matched = (
            await conn.execute(select(func.count()).where(mine, col(C.application_id).is_not(None)))
        ).scalar_one()
    return int(stored), int(matched)
