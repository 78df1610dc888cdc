"""Supervisors through the API: self-registration, staff verification, corrections, scoping."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlmodel import col, select

from certboard_core.audit import AuditRecord
from certboard_core.testing.plugin import T0, DatabaseFactory
from supervision.config import Settings

from ..agreement_api import Api, montana, registration


@pytest.fixture
def settings(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    return montana(database_factory, dev_data_dir)


@pytest.fixture
def api(client, mint) -> Api:
    return Api(client, mint)


async def test_a_supervisor_registers_and_waits_for_staff(api: Api) -> None:
    response = await api.register("sup-s")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "id": "sup-s",
        "name": "Sam Rivera",
        "contact_email": "sam.rivera@example.org",
        "license_type": "licensed_social_worker",
        "license_number": "LSW-1234",
        "license_state": "MT",
        "license_expires_on": "2030-12-31",
        "first_licensed_on": "2015-06-01",
        "supervision_ce_hours": "0",
        "verification": "pending",
        "verified_by": None,
        "verified_at": None,
        "verification_note": None,
        "created_at": body["created_at"],
        "version": 1,
        "qualification": {
            "on": "2026-03-10",
            "qualified": False,
            "unmet": [
                {
                    "code": "LICENSE_NOT_VERIFIED",
                    "message": "staff have not verified the license",
                    "field": "verification",
                }
            ],
        },
    }


async def test_staff_verify_who_and_when(api: Api) -> None:
    await api.register("sup-s")
    response = await api.verify("sup-s", note="checked with the Montana board")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verification"] == "verified"
    assert body["verified_by"] == "staff:sam"
    assert body["verified_at"] == T0.isoformat().replace("+00:00", "Z")
    assert body["verification_note"] == "checked with the Montana board"
    assert body["qualification"] == {"on": "2026-03-10", "qualified": True, "unmet": []}
    assert body["version"] == 2


async def test_a_rejection_says_why(api: Api) -> None:
    await api.register("sup-s")
    refused = await api.verify("sup-s", decision="rejected")
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "note"
    rejected = await api.verify("sup-s", decision="rejected", note="no such license number")
    assert rejected.json()["verification"] == "rejected"


async def test_registering_twice_is_refused(api: Api) -> None:
    await api.register("sup-s")
    again = await api.register("sup-s", name="Someone Else")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "SUPERVISOR_EXISTS"


async def test_every_unmet_condition_is_listed(api: Api) -> None:
    body = (
        await api.register(
            "sup-s",
            license_type="licensed_mental_health_therapist",
            first_licensed_on="2025-01-01",
            license_expires_on="2026-03-09",
            supervision_ce_hours="19.5",
        )
    ).json()
    assert body["supervision_ce_hours"] == "19.5"
    assert [u["code"] for u in body["qualification"]["unmet"]] == [
        "LICENSE_NOT_VERIFIED",
        "LICENSE_EXPIRED",
        "LICENSE_TYPE_NOT_ACCEPTED",
        "SUPERVISOR_EXPERIENCE_SHORT",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_licensed_on": "2026-03-11"}, "first_licensed_on"),
        ({"license_expires_on": "2015-05-31"}, "license_expires_on"),
        ({"license_state": "mt"}, "license_state"),
        ({"supervision_ce_hours": "1.125"}, "supervision_ce_hours"),
        ({"supervision_ce_hours": "-1"}, "supervision_ce_hours"),
        ({"license_type": "astrologer"}, "license_type"),
        ({"name": "  "}, "name"),
        ({"license_expires_on": 0}, "license_expires_on"),
        ({"contact_email": "sam.rivera"}, "contact_email"),
        ({"contact_email": None}, "contact_email"),
    ],
)
async def test_bad_registrations_are_refused(api: Api, overrides: dict, field: str) -> None:
    response = await api.register("sup-s", **overrides)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["field"] == field
    assert (await api.call("GET", "/v1/supervisors/sup-s", "staff", "sam")).status_code == 404


async def test_a_changed_license_goes_back_to_staff(api: Api) -> None:
    await api.qualified("sup-s")
    renamed = await api.call(
        "PATCH",
        "/v1/supervisors/sup-s",
        "supervisor",
        "sup-s",
        {"expected_version": 2, "name": "Sam Rivera-Lee"},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["verification"] == "verified"
    renewed = await api.call(
        "PATCH",
        "/v1/supervisors/sup-s",
        "supervisor",
        "sup-s",
        {"expected_version": 3, "license_expires_on": "2032-12-31"},
    )
    body = renewed.json()
    assert body["license_expires_on"] == "2032-12-31"
    assert body["verification"] == "pending"
    assert body["verified_by"] is None
    assert body["qualification"]["qualified"] is False
    stale = await api.call(
        "PATCH",
        "/v1/supervisors/sup-s",
        "supervisor",
        "sup-s",
        {"expected_version": 3, "name": "X"},
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"


async def test_a_supervisor_updates_their_contact_email(api: Api) -> None:
    await api.qualified("sup-s")
    path = "/v1/supervisors/sup-s"
    bad = {"expected_version": 2, "contact_email": "sam at example.org"}
    refused = await api.call("PATCH", path, "supervisor", "sup-s", bad)
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "contact_email")
    moved = {"expected_version": 2, "contact_email": "sam@riverside.example.org"}
    changed = await api.call("PATCH", path, "supervisor", "sup-s", moved)
    assert changed.status_code == 200, changed.text
    # Staff verify the license, not the address: the record stays verified.
    assert (changed.json()["contact_email"], changed.json()["verification"]) == (
        "sam@riverside.example.org",
        "verified",
    )


async def test_a_supervisor_sees_only_their_own_record(api: Api) -> None:
    await api.register("sup-s")
    await api.register("sup-t", name="Tess Ng")
    own = await api.call("GET", "/v1/supervisors/sup-s", "supervisor", "sup-s")
    assert own.status_code == 200
    other = await api.call("GET", "/v1/supervisors/sup-s", "supervisor", "sup-t")
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "NOT_FOUND"
    assert "Sam" not in other.text
    change = await api.call(
        "PATCH",
        "/v1/supervisors/sup-s",
        "supervisor",
        "sup-t",
        {"expected_version": 1, "name": "X"},
    )
    assert change.status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("POST", "/v1/supervisors", "applicant"),
        ("POST", "/v1/supervisors", "staff"),
        ("GET", "/v1/supervisors", "supervisor"),
        ("GET", "/v1/supervisors/sup-s", "applicant"),
        ("POST", "/v1/supervisors/sup-s/verification", "supervisor"),
    ],
)
async def test_other_roles_are_forbidden(api: Api, method: str, path: str, role: str) -> None:
    response = await api.call(method, path, role, "sup-s", registration())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"


async def test_staff_list_the_pending_ones(api: Api) -> None:
    await api.qualified("sup-s")
    await api.register("sup-t", name="Tess Ng")
    await api.register("sup-u", name="Uma Roy")
    pending = await api.call("GET", "/v1/supervisors?verification=pending&limit=1", "staff", "sam")
    first = pending.json()
    assert [s["id"] for s in first["items"]] == ["sup-t"]
    more = await api.call(
        "GET",
        f"/v1/supervisors?verification=pending&limit=1&after={first['next_cursor']}",
        "staff",
        "sam",
    )
    assert [s["id"] for s in more.json()["items"]] == ["sup-u"]
    assert more.json()["next_cursor"] is None


async def test_registration_is_audited(api: Api, app: FastAPI) -> None:
    await api.qualified("sup-s")
    async with app.state.sessions() as session:
        rows = (await session.exec(select(AuditRecord).order_by(col(AuditRecord.id)))).all()
    assert [(r.action, r.actor) for r in rows] == [
        ("supervisor.registered", "supervisor:sup-s"),
        ("supervisor.verified", "staff:sam"),
    ]
    assert rows[1].before["verification"] == "pending"
    assert rows[1].after["verification"] == "verified"
