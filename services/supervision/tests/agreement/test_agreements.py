"""Agreements through the API: drafting, signing in either order, amendments, one active
agreement per peer and employer, termination, deletion refused, owner scoping, risk."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import T0, DatabaseFactory
from supervision.config import Settings

from ..agreement_api import Api, montana

STAMP = T0.isoformat().replace("+00:00", "Z")


@pytest.fixture
def settings(database_factory: DatabaseFactory, dev_data_dir: Path) -> Settings:
    return montana(database_factory, dev_data_dir)


@pytest.fixture
async def api(client, mint) -> Api:
    made = Api(client, mint)
    await made.qualified("sup-s")
    await made.qualified("sup-t", name="Tess Ng")
    return made


async def drafted(api: Api, peer: str = "alice", supervisor: str = "sup-s", **terms: Any) -> dict:
    response = await api.draft(peer, supervisor, **terms)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_draft_is_signed_by_no_one(api: Api) -> None:
    body = await drafted(api, ends_on="2026-12-31")
    assert body == {
        "id": body["id"],
        "peer_applicant_id": "alice",
        "supervisor_id": "sup-s",
        "employer": "Bozeman Recovery Center",
        "starts_on": "2026-03-01",
        "ends_on": "2026-12-31",
        "relationship_attested": True,
        "not_family_attested": True,
        "signed_by_peer_at": None,
        "signed_by_supervisor_at": None,
        "terminated_on": None,
        "termination_reason": None,
        "terminated_by": None,
        "terminated_at": None,
        "created_by": "applicant:alice",
        "created_at": STAMP,
        "version": 1,
        "status": "awaiting_signatures",
        "at_risk_from": None,
        "at_risk": False,
        "amendments": [],
    }
    assert (await api.active("alice"))["active"] is False


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(("applicant", "alice"), ("supervisor", "sup-s"), id="peer-first"),
        pytest.param(("supervisor", "sup-s"), ("applicant", "alice"), id="supervisor-first"),
    ],
)
async def test_active_only_once_both_signed(
    api: Api, clock: TestClock, first: tuple[str, str], second: tuple[str, str]
) -> None:
    agreement = await drafted(api)
    one = await api.sign(agreement, *first)
    assert one.status_code == 200, one.text
    assert one.json()["status"] == "awaiting_signatures"
    assert (await api.active("alice"))["active"] is False
    clock.advance(timedelta(minutes=5))
    two = await api.sign(agreement, *second)
    assert two.status_code == 200, two.text
    body = two.json()
    assert body["status"] == "active"
    later = (T0 + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    first_field = "signed_by_peer_at" if first[0] == "applicant" else "signed_by_supervisor_at"
    second_field = "signed_by_supervisor_at" if first[0] == "applicant" else "signed_by_peer_at"
    assert (body[first_field], body[second_field]) == (STAMP, later)
    assert await api.active("alice") == {
        "applicant_id": "alice",
        "on": "2026-03-10",
        "active": True,
        "agreement_id": agreement["id"],
    }


async def test_each_party_signs_only_for_itself_and_once(api: Api) -> None:
    agreement = await drafted(api)
    assert (await api.sign(agreement, "applicant", "alice")).status_code == 200
    again = await api.sign(agreement, "applicant", "alice")
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "ALREADY_SIGNED",
        "message": "you have already signed this agreement",
        "field": "signed_by_peer_at",
        "request_id": again.json()["error"]["request_id"],
    }
    # Staff may read it but sign for neither side; another supervisor cannot see it.
    assert (await api.sign(agreement, "staff", "sam")).json()["error"]["code"] == "FORBIDDEN"
    assert (await api.sign(agreement, "supervisor", "sup-t")).status_code == 404
    assert (await api.sign(agreement, "applicant", "bob")).status_code == 404


async def test_a_change_after_one_signature_clears_it(api: Api, clock: TestClock) -> None:
    agreement = await drafted(api)
    signed = (await api.sign(agreement, "applicant", "alice")).json()
    clock.advance(timedelta(hours=1))
    amended = await api.call(
        "PATCH",
        f"/v1/agreements/{agreement['id']}",
        "supervisor",
        "sup-s",
        {"expected_version": signed["version"], "ends_on": "2026-09-30", "reason": "grant ends"},
    )
    assert amended.status_code == 200, amended.text
    body = amended.json()
    assert body["ends_on"] == "2026-09-30"
    assert body["signed_by_peer_at"] is None
    assert body["status"] == "awaiting_signatures"
    assert body["amendments"] == [
        {
            "number": 1,
            "kind": "amended",
            "earlier_terms": {
                "employer": "Bozeman Recovery Center",
                "starts_on": "2026-03-01",
                "ends_on": None,
                "signed_by_peer_at": STAMP,
                "signed_by_supervisor_at": None,
            },
            "terms": {
                "employer": "Bozeman Recovery Center",
                "starts_on": "2026-03-01",
                "ends_on": "2026-09-30",
                "signed_by_peer_at": None,
                "signed_by_supervisor_at": None,
            },
            "reason": "grant ends",
            "amended_by": "supervisor:sup-s",
            "amended_at": (T0 + timedelta(hours=1)).isoformat().replace("+00:00", "Z"),
        }
    ]
    # Signing the old version is refused: the terms changed under it.
    stale = await api.call(
        "POST",
        f"/v1/agreements/{agreement['id']}/signatures",
        "supervisor",
        "sup-s",
        {"expected_version": signed["version"]},
    )
    assert stale.json()["error"]["code"] == "VERSION_CONFLICT"


async def test_a_change_after_both_signed_makes_it_inactive_until_signed_again(
    api: Api,
) -> None:
    agreement = await api.signed("alice", "sup-s")
    amended = await api.call(
        "PATCH",
        f"/v1/agreements/{agreement['id']}",
        "applicant",
        "alice",
        {"expected_version": agreement["version"], "employer": "Helena Peer Network"},
    )
    assert amended.json()["status"] == "awaiting_signatures"
    assert (await api.active("alice"))["active"] is False
    await api.sign(agreement, "applicant", "alice")
    await api.sign(agreement, "supervisor", "sup-s")
    assert (await api.active("alice"))["agreement_id"] == agreement["id"]


async def test_an_unchanged_amendment_changes_nothing(api: Api) -> None:
    agreement = await drafted(api)
    same = await api.call(
        "PATCH",
        f"/v1/agreements/{agreement['id']}",
        "applicant",
        "alice",
        {"expected_version": 1, "starts_on": "2026-03-01"},
    )
    assert same.json()["version"] == 1
    assert same.json()["amendments"] == []


async def test_one_active_agreement_per_peer_and_employer(api: Api) -> None:
    first = await api.signed("alice", "sup-s")
    second = await drafted(api, supervisor="sup-t", starts_on="2026-06-01")
    await api.sign(second, "supervisor", "sup-t")
    refused = await api.sign(second, "applicant", "alice")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "AGREEMENT_ALREADY_ACTIVE"
    assert first["id"] in error["message"]
    # The same employer spelled in other capitals is the same employer.
    shouted = await drafted(api, supervisor="sup-t", employer="BOZEMAN RECOVERY CENTER")
    await api.sign(shouted, "applicant", "alice")
    assert (await api.sign(shouted, "supervisor", "sup-t")).status_code == 409
    # Another employer is another agreement.
    other = await api.signed("alice", "sup-t", employer="Helena Peer Network")
    assert other["status"] == "active"
    # Once the first ends before the second starts, the second may begin.
    current = (await api.read(first)).json()
    ended = await api.call(
        "POST",
        f"/v1/agreements/{first['id']}/termination",
        "applicant",
        "alice",
        {"expected_version": current["version"], "terminated_on": "2026-05-31", "reason": "moved"},
    )
    assert ended.status_code == 200, ended.text
    assert (await api.sign(second, "applicant", "alice")).status_code == 200


async def test_an_agreement_that_ends_before_another_starts_does_not_clash(api: Api) -> None:
    await api.signed("alice", "sup-s", ends_on="2026-05-31")
    later = await api.signed("alice", "sup-t", starts_on="2026-06-01")
    assert later["status"] == "signed"
    touching = await drafted(api, supervisor="sup-t", starts_on="2026-05-31", ends_on="2026-05-31")
    await api.sign(touching, "applicant", "alice")
    assert (await api.sign(touching, "supervisor", "sup-t")).status_code == 409


async def test_an_unqualified_supervisor_cannot_enter(api: Api) -> None:
    await api.register(
        "sup-new",
        first_licensed_on="2025-01-01",
        license_type="licensed_mental_health_therapist",
    )
    refused = await api.draft("alice", "sup-new")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "SUPERVISOR_NOT_QUALIFIED"
    assert error["field"] == "supervisor_id"
    assert [r["code"] for r in error["reasons"]] == [
        "LICENSE_NOT_VERIFIED",
        "LICENSE_TYPE_NOT_ACCEPTED",
        "SUPERVISOR_EXPERIENCE_SHORT",
    ]
    assert all(r["message"] and r["field"] for r in error["reasons"])
    unknown = await api.draft("alice", "nobody")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["field"] == "supervisor_id"


async def test_a_license_that_lapsed_after_the_draft_stops_the_supervisor_signing(
    api: Api, clock: TestClock
) -> None:
    await api.qualified("sup-u", license_expires_on="2026-03-10")
    agreement = await drafted(api, supervisor="sup-u")
    clock.set(T0 + timedelta(days=1))
    refused = await api.sign(agreement, "supervisor", "sup-u")
    assert refused.status_code == 409
    assert [r["code"] for r in refused.json()["error"]["reasons"]] == ["LICENSE_EXPIRED"]


@pytest.mark.parametrize("attestation", ["relationship_attested", "not_family_attested"])
async def test_both_attestations_are_required(api: Api, attestation: str) -> None:
    response = await api.draft("alice", "sup-s", **{attestation: False})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "ATTESTATION_REQUIRED"
    assert response.json()["error"]["field"] == attestation


async def test_an_end_before_the_start_is_refused(api: Api) -> None:
    response = await api.draft("alice", "sup-s", ends_on="2026-02-28")
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "ends_on"


async def test_at_risk_from_the_day_after_the_license_expires(api: Api, clock: TestClock) -> None:
    await api.qualified("sup-u", license_expires_on="2026-06-30")
    agreement = await api.signed("alice", "sup-u")
    assert (agreement["at_risk_from"], agreement["at_risk"]) == ("2026-07-01", False)
    assert (await api.active("alice", on="2026-06-30"))["active"] is True
    assert (await api.active("alice", on="2026-07-01"))["active"] is False
    short = await api.signed("bob", "sup-u", ends_on="2026-06-30")
    assert short["at_risk_from"] is None
    clock.set(datetime(2026, 7, 1, 17, 0, tzinfo=UTC))
    now = (await api.read(agreement, "supervisor", "sup-u")).json()
    assert (now["status"], now["at_risk_from"], now["at_risk"]) == ("active", "2026-07-01", True)


async def test_termination_is_kept_as_an_amendment(api: Api) -> None:
    agreement = await api.signed("alice", "sup-s")
    ended = await api.call(
        "POST",
        f"/v1/agreements/{agreement['id']}/termination",
        "staff",
        "sam",
        {"expected_version": agreement["version"], "terminated_on": "2026-03-10", "reason": "x"},
    )
    body = ended.json()
    assert (body["status"], body["terminated_on"], body["terminated_by"]) == (
        "terminated",
        "2026-03-10",
        "staff:sam",
    )
    assert body["amendments"][0]["kind"] == "terminated"
    assert body["amendments"][0]["earlier_terms"] == {
        "terminated_on": None,
        "termination_reason": None,
    }
    # It held through its last day, not after.
    assert (await api.active("alice"))["active"] is True
    assert (await api.active("alice", on="2026-03-11"))["active"] is False
    again = await api.call(
        "POST",
        f"/v1/agreements/{agreement['id']}/termination",
        "staff",
        "sam",
        {"expected_version": body["version"], "terminated_on": "2026-03-10", "reason": "x"},
    )
    assert again.json()["error"]["code"] == "AGREEMENT_TERMINATED"


async def test_termination_within_the_agreement_only(api: Api) -> None:
    agreement = await api.signed("alice", "sup-s", ends_on="2026-06-30")
    for day in ("2026-02-28", "2026-07-01"):
        refused = await api.call(
            "POST",
            f"/v1/agreements/{agreement['id']}/termination",
            "applicant",
            "alice",
            {"expected_version": agreement["version"], "terminated_on": day, "reason": "x"},
        )
        assert refused.status_code == 422
        assert refused.json()["error"]["field"] == "terminated_on"


async def test_deletion_is_refused_at_the_api(api: Api) -> None:
    agreement = await api.signed("alice", "sup-s")
    for role, subject in (("staff", "sam"), ("applicant", "alice"), ("supervisor", "sup-s")):
        response = await api.call("DELETE", f"/v1/agreements/{agreement['id']}", role, subject)
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "AGREEMENT_RETAINED"
        assert "at least 7 years" in error["message"]
    hidden = await api.call("DELETE", f"/v1/agreements/{agreement['id']}", "supervisor", "sup-t")
    assert hidden.status_code == 404
    assert (await api.read(agreement)).status_code == 200


async def test_deletion_is_refused_by_the_database(api: Api, app: FastAPI) -> None:
    agreement = await api.signed("alice", "sup-s")
    await api.call(
        "PATCH",
        f"/v1/agreements/{agreement['id']}",
        "applicant",
        "alice",
        {"expected_version": agreement["version"], "ends_on": "2026-12-31"},
    )
    for statement in (
        "DELETE FROM supervision_agreement",
        "DELETE FROM supervisor",
        "DELETE FROM supervision_agreement_amendment",
        "UPDATE supervision_agreement_amendment SET reason = 'rewritten'",
    ):
        async with app.state.engine.connect() as connection:
            with pytest.raises(DBAPIError):
                await connection.execute(text(statement))
    # Updating an agreement stays possible: amendments and signatures are updates.
    async with app.state.engine.begin() as connection:
        await connection.execute(text("UPDATE supervision_agreement SET employer = employer"))
    assert (await api.read(agreement)).json()["amendments"][0]["number"] == 1


async def test_owners_see_only_their_own(api: Api) -> None:
    mine = await api.signed("alice", "sup-s")
    theirs = await api.signed("bob", "sup-t")
    for role, subject, sees, hidden in (
        ("supervisor", "sup-s", mine, theirs),
        ("supervisor", "sup-t", theirs, mine),
        ("applicant", "alice", mine, theirs),
        ("applicant", "bob", theirs, mine),
    ):
        assert (await api.read(sees, role, subject)).status_code == 200
        refused = await api.read(hidden, role, subject)
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "NOT_FOUND"
        assert hidden["id"] not in refused.text
        listed = (await api.call("GET", "/v1/agreements", role, subject)).json()
        assert [a["id"] for a in listed["items"]] == [sees["id"]]
    everything = (await api.call("GET", "/v1/agreements", "staff", "sam")).json()
    assert {a["id"] for a in everything["items"]} == {mine["id"], theirs["id"]}
    assert (await api.call("GET", "/v1/agreements", "provider", "p")).status_code == 403


async def test_agreement_changes_are_audited(api: Api, app: FastAPI) -> None:
    agreement = await api.signed("alice", "sup-s")
    async with app.state.engine.connect() as connection:
        rows = (
            await connection.execute(
                text("SELECT action, actor FROM audit_record WHERE entity_id = :id ORDER BY id"),
                {"id": agreement["id"]},
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("agreement.drafted", "applicant:alice"),
        ("agreement.signed", "applicant:alice"),
        ("agreement.signed", "supervisor:sup-s"),
    ]


async def test_two_agreements_with_one_employer_cannot_become_active_at_once(api: Api) -> None:
    first = await drafted(api)
    second = await drafted(api, supervisor="sup-t")
    await api.sign(first, "supervisor", "sup-s")
    await api.sign(second, "supervisor", "sup-t")
    answers = await asyncio.gather(
        *(
            api.call(
                "POST",
                f"/v1/agreements/{agreement['id']}/signatures",
                "applicant",
                "alice",
                {"expected_version": 2},
            )
            for agreement in (first, second)
        )
    )
    assert sorted(r.status_code for r in answers) == [200, 409]
    refused = next(r for r in answers if r.status_code == 409)
    assert refused.json()["error"]["code"] == "AGREEMENT_ALREADY_ACTIVE"


async def test_agreements_of_several_peers_in_one_read_each_caller_its_own(api: Api) -> None:
    alices = await api.signed("alice", "sup-s")
    bobs = await drafted(api, "bob", "sup-t")
    carols = await drafted(api, "carol", "sup-s", employer="Helena Peer Center")
    path = "/v1/peer-agreements?peer_applicant_id=alice&peer_applicant_id=bob"

    async def ids(role: str, subject: str, url: str = path) -> list[str]:
        response = await api.call("GET", url, role, subject)
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()["items"]]

    assert await ids("staff", "sam") == [alices["id"], bobs["id"]]
    assert await ids("applicant", "alice") == [alices["id"]]
    assert await ids("applicant", "dave") == []
    assert await ids("supervisor", "sup-t") == [bobs["id"]]
    assert await ids("supervisor", "sup-s", path + "&peer_applicant_id=carol") == [
        alices["id"],
        carols["id"],
    ]
    too_many = "&".join(f"peer_applicant_id=p{n}" for n in range(101))
    refused = await api.call("GET", f"/v1/peer-agreements?{too_many}", "staff", "sam")
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "peer_applicant_id")
    none = await api.call("GET", "/v1/peer-agreements", "staff", "sam")
    assert none.status_code == 422
