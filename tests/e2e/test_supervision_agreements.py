"""Supervisors and agreements through the gateway only: a supervisor registers, staff verify,
the peer drafts, both sign, the other supervisor sees nothing, an amendment needs signing again,
and the internal question the applications service asks answers from it all."""

from __future__ import annotations

from typing import Any

import httpx

from certboard_core.testing.plugin import bearer

from .conftest import System
from .helpers import advance_clock, data_of, error_of, set_clock

REGISTER = """
mutation R($input: SupervisorInput!) {
  registerSupervisor(input: $input) {
    id verification version supervisionCeHours
    qualification { qualified unmet { code field } }
  }
}
"""
VERIFY = """
mutation V($id: ID!, $v: Int!) {
  verifySupervisor(id: $id, expectedVersion: $v, decision: VERIFIED, note: "board lookup") {
    verification verifiedBy version qualification { qualified unmet { code } }
  }
}
"""
FIELDS = """
  id status supervisorId peerApplicantId employer startsOn endsOn version atRisk atRiskFrom
  signedByPeerAt signedBySupervisorAt amendments { number kind earlierTerms terms amendedBy }
"""
DRAFT = f"""
mutation D($input: AgreementInput!) {{ draftSupervisionAgreement(input: $input) {{ {FIELDS} }} }}
"""
SIGN = f"""
mutation S($id: ID!, $v: Int!) {{
  signSupervisionAgreement(id: $id, expectedVersion: $v) {{ {FIELDS} }}
}}
"""
AMEND = f"""
mutation A($id: ID!, $v: Int!) {{
  amendSupervisionAgreement(id: $id, expectedVersion: $v,
                            input: {{endsOn: "2026-12-31", reason: "grant ends"}}) {{ {FIELDS} }}
}}
"""
READ = f"query Q($id: ID!) {{ supervisionAgreement(id: $id) {{ {FIELDS} }} }}"
LIST = "query { supervisionAgreements(first: 10) { items { id } nextCursor } }"


def registration(name: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name,
        "contactEmail": f"{name.lower()}@example.org",
        "licenseType": "licensed_social_worker",
        "licenseNumber": f"LSW-{name}",
        "licenseState": "MT",
        "licenseExpiresOn": "2026-06-30",
        "firstLicensedOn": "2015-06-01",
        "supervisionCeHours": "20.5",
    }
    values.update(overrides)
    return values


def terms(supervisor_id: str) -> dict[str, Any]:
    return {
        "supervisorId": supervisor_id,
        "employer": "Bozeman Recovery Center",
        "startsOn": "2026-03-01",
        "relationshipAttested": True,
        "notFamilyAttested": True,
    }


async def _active(system: System, token: str, **params: str) -> dict[str, Any]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=system.services["supervision"]),
        base_url="http://supervision",
    ) as client:
        response = await client.get(
            "/internal/agreements/active", params=params, headers=bearer(token)
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_an_agreement_from_registration_to_risk(system: System, mint) -> None:
    staff, alice, bob = mint("staff", "sam"), mint("applicant", "alice"), mint("applicant", "bob")
    sam, tess = mint("supervisor", "dr-sam"), mint("supervisor", "dr-tess")
    service = mint("service", "applications")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")

    registered = (await data_of(system, REGISTER, {"input": registration("Sam")}, token=sam))[
        "registerSupervisor"
    ]
    assert registered == {
        "id": "dr-sam",
        "verification": "PENDING",
        "version": 1,
        "supervisionCeHours": "20.5",
        "qualification": {
            "qualified": False,
            "unmet": [{"code": "LICENSE_NOT_VERIFIED", "field": "verification"}],
        },
    }
    await data_of(system, REGISTER, {"input": registration("Tess")}, token=tess)

    # An unverified supervisor cannot enter an agreement.
    refused = await error_of(system, DRAFT, {"input": terms("dr-sam")}, token=alice)
    assert (refused["code"], refused["status"]) == ("SUPERVISOR_NOT_QUALIFIED", 409)

    verified = (await data_of(system, VERIFY, {"id": "dr-sam", "v": 1}, token=staff))[
        "verifySupervisor"
    ]
    assert verified == {
        "verification": "VERIFIED",
        "verifiedBy": "staff:sam",
        "version": 2,
        "qualification": {"qualified": True, "unmet": []},
    }

    drafted = (await data_of(system, DRAFT, {"input": terms("dr-sam")}, token=alice))[
        "draftSupervisionAgreement"
    ]
    assert (drafted["status"], drafted["peerApplicantId"]) == ("AWAITING_SIGNATURES", "alice")
    # The license lapses during the open-ended agreement: at risk from the next day.
    assert (drafted["atRiskFrom"], drafted["atRisk"]) == ("2026-07-01", False)
    ident = drafted["id"]

    # Either side signs for itself; active with both.
    peer = (await data_of(system, SIGN, {"id": ident, "v": 1}, token=alice))[
        "signSupervisionAgreement"
    ]
    assert peer["status"] == "AWAITING_SIGNATURES"
    assert (await _active(system, service, applicant_id="alice"))["active"] is False
    both = (await data_of(system, SIGN, {"id": ident, "v": 2}, token=sam))[
        "signSupervisionAgreement"
    ]
    assert both["status"] == "ACTIVE"
    assert both["signedByPeerAt"] == peer["signedByPeerAt"]
    assert both["signedBySupervisorAt"] is not None
    assert await _active(system, service, applicant_id="alice") == {
        "applicant_id": "alice",
        "on": "2026-03-10",
        "active": True,
        "agreement_id": ident,
    }

    # The other supervisor and another peer see nothing of it.
    for stranger in (tess, bob):
        hidden = await error_of(system, READ, {"id": ident}, token=stranger)
        assert hidden["code"] == "NOT_FOUND"
        listed = await data_of(system, LIST, token=stranger)
        assert listed["supervisionAgreements"] == {"items": [], "nextCursor": None}
    assert (await data_of(system, LIST, token=sam))["supervisionAgreements"]["items"] == [
        {"id": ident}
    ]

    # A change of terms keeps the earlier ones and needs both signatures again.
    amended = (await data_of(system, AMEND, {"id": ident, "v": 3}, token=sam))[
        "amendSupervisionAgreement"
    ]
    assert amended["status"] == "AWAITING_SIGNATURES"
    assert amended["signedByPeerAt"] is None
    assert amended["amendments"] == [
        {
            "number": 1,
            "kind": "AMENDED",
            "earlierTerms": {
                "employer": "Bozeman Recovery Center",
                "starts_on": "2026-03-01",
                "ends_on": None,
                "signed_by_peer_at": peer["signedByPeerAt"].replace("+00:00", "Z"),
                "signed_by_supervisor_at": both["signedBySupervisorAt"].replace("+00:00", "Z"),
            },
            "terms": {
                "employer": "Bozeman Recovery Center",
                "starts_on": "2026-03-01",
                "ends_on": "2026-12-31",
                "signed_by_peer_at": None,
                "signed_by_supervisor_at": None,
            },
            "amendedBy": "supervisor:dr-sam",
        }
    ]
    assert (await _active(system, service, applicant_id="alice"))["active"] is False
    await data_of(system, SIGN, {"id": ident, "v": 4}, token=alice)
    await data_of(system, SIGN, {"id": ident, "v": 5}, token=sam)

    # After the license lapses the agreement reads at risk, and no longer counts as active.
    await advance_clock(system, staff, days=113)
    later = (await data_of(system, READ, {"id": ident}, token=alice))["supervisionAgreement"]
    assert (later["status"], later["atRiskFrom"], later["atRisk"]) == ("ACTIVE", "2026-07-01", True)
    assert (await _active(system, service, applicant_id="alice"))["active"] is False
    on_the_last_day = await _active(system, service, applicant_id="alice", on="2026-06-30")
    assert on_the_last_day["agreement_id"] == ident


async def test_the_schema_has_no_way_to_delete_an_agreement(system: System) -> None:
    body = (await system.gql('{ __type(name: "Mutation") { fields { name } } }')).json()
    names = [f["name"] for f in body["data"]["__type"]["fields"]]
    assert "signSupervisionAgreement" in names
    assert not [n for n in names if "delete" in n.lower() and "agreement" in n.lower()]
