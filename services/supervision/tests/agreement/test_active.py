from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from certboard_core.testing.plugin import bearer
from supervision.agreement.models import SupervisionAgreement
from supervision.supervisor.models import Supervisor, Verification

from ..factories import agreement, supervisor

# The plugin's clock stands at 2026-03-10 17:00 UTC: 10:00 that day in Los Angeles (CA preset).
TODAY = date(2026, 3, 10)
PATH = "/internal/agreements/active"


async def _insert(app: FastAPI, *rows: SupervisionAgreement | Supervisor) -> None:
    async with app.state.sessions() as session:
        session.add_all(rows)
        await session.commit()


async def _ask(client: httpx.AsyncClient, token: str | None, **params: Any) -> httpx.Response:
    headers = bearer(token) if token is not None else {}
    return await client.get(PATH, params=params, headers=headers)


@pytest.fixture(autouse=True)
async def _supervisors(app: FastAPI) -> None:
    """The two qualified supervisors the agreements here name."""
    await _insert(app, supervisor(), supervisor(id="dr-kim", name="Kim Lee"))


@pytest.fixture
def service_token(mint) -> str:
    return str(mint("service", "applications"))


async def test_no_agreement_is_not_active(client: httpx.AsyncClient, service_token: str) -> None:
    response = await _ask(client, service_token, applicant_id="alice")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "applicant_id": "alice",
        "on": TODAY.isoformat(),
        "active": False,
        "agreement_id": None,
    }


async def test_signed_and_current_is_active(
    app: FastAPI, client: httpx.AsyncClient, service_token: str
) -> None:
    row = agreement()
    await _insert(app, row)
    response = await _ask(client, service_token, applicant_id="alice")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "applicant_id": "alice",
        "on": TODAY.isoformat(),
        "active": True,
        "agreement_id": str(row.id),
    }


@pytest.mark.parametrize(
    ("overrides", "active"),
    [
        pytest.param({"signed_by_supervisor_at": None}, False, id="only-the-peer-signed"),
        pytest.param({"signed_by_peer_at": None}, False, id="only-the-supervisor-signed"),
        pytest.param({"starts_on": TODAY + timedelta(days=1)}, False, id="starts-tomorrow"),
        pytest.param({"starts_on": TODAY}, True, id="starts-today"),
        pytest.param({"ends_on": TODAY - timedelta(days=1)}, False, id="ended-yesterday"),
        pytest.param({"ends_on": TODAY}, True, id="ends-today"),
        pytest.param({"peer_applicant_id": "bob"}, False, id="another-applicants"),
        pytest.param({"terminated_on": TODAY - timedelta(days=1)}, False, id="terminated-before"),
        pytest.param({"terminated_on": TODAY}, True, id="terminated-today"),
    ],
)
async def test_which_agreements_count(
    app: FastAPI,
    client: httpx.AsyncClient,
    service_token: str,
    overrides: dict[str, Any],
    active: bool,
) -> None:
    row = agreement(**overrides)
    await _insert(app, row)
    body = (await _ask(client, service_token, applicant_id="alice")).json()
    assert body["active"] is active
    assert body["agreement_id"] == (str(row.id) if active else None)


async def test_on_asks_about_another_day(
    app: FastAPI, client: httpx.AsyncClient, service_token: str
) -> None:
    row = agreement(ends_on=date(2026, 2, 28))
    await _insert(app, row)
    then = await _ask(client, service_token, applicant_id="alice", on="2026-02-28")
    assert then.json() == {
        "applicant_id": "alice",
        "on": "2026-02-28",
        "active": True,
        "agreement_id": str(row.id),
    }
    before = await _ask(client, service_token, applicant_id="alice", on="2026-01-31")
    assert before.json()["active"] is False


async def test_today_is_the_boards_local_day(
    app: FastAPI, client: httpx.AsyncClient, service_token: str, clock
) -> None:
    # 03:00 UTC on the 11th is still the evening of the 10th in Los Angeles.
    clock.set(datetime(2026, 3, 11, 3, 0, tzinfo=UTC))
    await _insert(app, agreement(starts_on=date(2026, 3, 11)))
    body = (await _ask(client, service_token, applicant_id="alice")).json()
    assert body["on"] == "2026-03-10"
    assert body["active"] is False


async def test_the_latest_of_overlapping_agreements_is_named(
    app: FastAPI, client: httpx.AsyncClient, service_token: str
) -> None:
    older = agreement(starts_on=date(2026, 1, 1))
    newer = agreement(starts_on=date(2026, 3, 1), supervisor_id="dr-kim")
    await _insert(app, older, newer)
    body = (await _ask(client, service_token, applicant_id="alice")).json()
    assert body["agreement_id"] == str(newer.id)


async def test_staff_may_ask(app: FastAPI, client: httpx.AsyncClient, mint) -> None:
    await _insert(app, agreement())
    response = await _ask(client, mint("staff", "sam"), applicant_id="alice")
    assert response.status_code == 200, response.text
    assert response.json()["active"] is True


@pytest.mark.parametrize("role", ["applicant", "supervisor", "provider"])
async def test_other_roles_are_refused(client: httpx.AsyncClient, mint, role: str) -> None:
    response = await _ask(client, mint(role, "alice"), applicant_id="alice")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_no_token_is_unauthenticated(client: httpx.AsyncClient) -> None:
    response = await _ask(client, None, applicant_id="alice")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_applicant_id_is_required(client: httpx.AsyncClient, service_token: str) -> None:
    response = await _ask(client, service_token)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "applicant_id"


async def test_malformed_day_is_refused(client: httpx.AsyncClient, service_token: str) -> None:
    response = await _ask(client, service_token, applicant_id="alice", on="10/03/2026")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "on"


@pytest.mark.parametrize(
    ("overrides", "active"),
    [
        pytest.param({"verification": Verification.PENDING}, False, id="unverified"),
        pytest.param({"verification": Verification.REJECTED}, False, id="rejected"),
        pytest.param({"license_expires_on": TODAY}, True, id="license-valid-through-today"),
        pytest.param(
            {"license_expires_on": TODAY - timedelta(days=1)}, False, id="license-expired"
        ),
    ],
)
async def test_the_supervisor_must_qualify_on_the_day(
    app: FastAPI,
    client: httpx.AsyncClient,
    service_token: str,
    overrides: dict[str, Any],
    active: bool,
) -> None:
    await _insert(app, supervisor(id="dr-new", **overrides))
    row = agreement(supervisor_id="dr-new")
    await _insert(app, row)
    body = (await _ask(client, service_token, applicant_id="alice")).json()
    assert body == {
        "applicant_id": "alice",
        "on": TODAY.isoformat(),
        "active": active,
        "agreement_id": str(row.id) if active else None,
    }


async def test_an_unqualified_later_agreement_gives_way_to_a_qualified_one(
    app: FastAPI, client: httpx.AsyncClient, service_token: str
) -> None:
    await _insert(app, supervisor(id="dr-lapsed", license_expires_on=date(2026, 3, 1)))
    older = agreement(starts_on=date(2026, 1, 1))
    newer = agreement(starts_on=date(2026, 3, 1), supervisor_id="dr-lapsed")
    await _insert(app, older, newer)
    body = (await _ask(client, service_token, applicant_id="alice")).json()
    assert body["agreement_id"] == str(older.id)
    # On 1 March the newer one's license was still valid.
    then = await _ask(client, service_token, applicant_id="alice", on="2026-03-01")
    assert then.json()["agreement_id"] == str(newer.id)


async def test_an_agreement_without_a_supervisor_record_is_not_active(
    app: FastAPI, client: httpx.AsyncClient, service_token: str
) -> None:
    await _insert(app, agreement(supervisor_id="nobody"))
    body = (await _ask(client, service_token, applicant_id="alice")).json()
    assert body["active"] is False
