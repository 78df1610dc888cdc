"""A peer whom discipline bars today (suspended, revoked, surrendered) enters no agreement:
refused on drafting and on signing, asked of applications before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from certboard_core.testing.plugin import DatabaseFactory
from supervision.agreement.models import SupervisionAgreement
from supervision.config import Settings

from ..agreement_api import Api, montana
from ..fakes import FakeApplications


@pytest.fixture
def settings(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    return montana(database_factory, dev_data_dir)


@pytest.fixture
async def api(client, mint) -> Api:
    made = Api(client, mint)
    await made.qualified("sup-s")
    return made


async def stored(app) -> int:
    async with app.state.sessions() as session:
        return len((await session.exec(select(SupervisionAgreement))).all())


async def test_a_suspended_peer_cannot_draft(api: Api, app, applications: FakeApplications) -> None:
    applications.bar("alice")
    refused = await api.draft("alice", "sup-s")
    error = refused.json()["error"]
    assert (refused.status_code, error["code"], error["field"]) == (
        409,
        "PEER_DISCIPLINED",
        "peer_applicant_id",
    )
    assert [r["code"] for r in error["reasons"]] == ["CERTIFICATION_SUSPENDED"]
    assert await stored(app) == 0
    assert [c.url.params["applicant_id"] for c in applications.calls] == ["alice"]


async def test_a_peer_barred_after_drafting_cannot_sign_but_the_supervisor_can(
    api: Api, applications: FakeApplications
) -> None:
    drafted = (await api.draft("alice", "sup-s")).json()
    applications.bar("alice", "revoked")
    peer = await api.sign(drafted, "applicant", "alice")
    assert peer.json()["error"]["code"] == "PEER_DISCIPLINED"
    supervisor = await api.sign(drafted, "supervisor", "sup-s")
    assert supervisor.status_code == 200, supervisor.text


async def test_nothing_is_stored_while_applications_cannot_answer(
    api: Api, app, applications: FakeApplications
) -> None:
    applications.down = True
    refused = await api.draft("alice", "sup-s")
    assert (refused.status_code, refused.json()["error"]["code"]) == (503, "UPSTREAM_UNAVAILABLE")
    assert await stored(app) == 0
