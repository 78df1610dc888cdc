"""What the e2e tests share: documents, the application form, and the calls staff make often."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from certboard_core.testing.plugin import Minter
from supervision.agreement.models import SupervisionAgreement
from supervision.supervisor.models import Supervisor, Verification

from .conftest import System

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

MOVE_CLOCK = """
mutation Move($input: TestClockInput!) { moveTestClock(input: $input) { service now frozen } }
"""
RUN_SWEEP = "mutation { runSweep { voided expired voidReminders expiryReminders } }"
SUBMIT_FOR_APPROVAL = """
mutation S($input: SubmitApplicationInput!) { submitApplication(input: $input) { id version } }
"""
PAY_APPLICATION_FEE = """
mutation P($id: ID!, $reference: String!) {
  recordPayment(id: $id, kind: APPLICATION, amountCents: 0, reference: $reference,
                paidAt: "2026-03-10T17:00:00Z") { id }
}
"""
APPROVE = """
mutation A($id: ID!, $v: Int!) { approveApplication(id: $id, expectedVersion: $v) { status } }
"""


def application_input(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "firstName": "Maria",
        "lastName": "Lopez",
        "dateOfBirth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "codeOfEthicsAgreed": True,
        "livedExperience": "CONSUMER",
        "willingToShareExperience": True,
        "governmentId": None,
        "diploma": None,
    }
    values.update(overrides)
    return values


def uploads(government_id: bytes = JPEG, diploma: bytes = PDF) -> dict[str, tuple[str, bytes, str]]:
    return {
        "variables.input.governmentId": ("id.jpg", government_id, "image/jpeg"),
        "variables.input.diploma": ("diploma.pdf", diploma, "application/pdf"),
    }


async def data_of(
    system: System, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
) -> dict[str, Any]:
    """The operation's data; fails the test, showing the errors, if there were any."""
    body = (await system.gql(query, variables, **kwargs)).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def error_of(
    system: System, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
) -> dict[str, Any]:
    """The operation's one error's extensions (code, field, status) and message."""
    body = (await system.gql(query, variables, **kwargs)).json()
    assert body.get("errors"), body
    error = body["errors"][0]
    return {**error.get("extensions", {}), "message": error["message"]}


async def approved_application(
    system: System, mint: Minter, who: str = "alice", email: str = "maria.lopez@example.org"
) -> dict[str, Any]:
    """``who``'s application submitted, its fee recorded and approved by staff through the
    gateway: ``{"id", "applicant_id"}``."""
    applicant, staff = mint("applicant", who), mint("staff", "sam")
    form = {"input": application_input(email=email)}
    submitted = (
        await data_of(system, SUBMIT_FOR_APPROVAL, form, token=applicant, files=uploads())
    )["submitApplication"]
    fee = {"id": submitted["id"], "reference": f"fee-{who}"}
    await data_of(system, PAY_APPLICATION_FEE, fee, token=staff)
    approve = {"id": submitted["id"], "v": submitted["version"]}
    assert (await data_of(system, APPROVE, approve, token=staff))["approveApplication"] == {
        "status": "APPROVED"
    }
    return {"id": submitted["id"], "applicant_id": who}


async def set_clock(system: System, staff: str, instant: str) -> None:
    """Set every service's clock to ``instant`` (ISO 8601 with an offset), frozen."""
    moved = await data_of(system, MOVE_CLOCK, {"input": {"setTo": instant}}, token=staff)
    clocks = moved["moveTestClock"]
    assert {c["service"] for c in clocks} == {"applications", "exams", "supervision"}
    assert all(c["now"].startswith(instant[:16]) and c["frozen"] for c in clocks)


async def advance_clock(system: System, staff: str, *, days: int = 0, seconds: int = 0) -> None:
    await data_of(
        system,
        MOVE_CLOCK,
        {"input": {"advanceSeconds": days * 86400 + seconds}},
        token=staff,
    )


async def run_sweep(system: System, staff: str) -> dict[str, int]:
    report: dict[str, int] = (await data_of(system, RUN_SWEEP, token=staff))["runSweep"]
    return report


def qualified_supervisor(supervisor_id: str) -> Supervisor:
    """A verified licensed social worker (since 2015, valid through 2030), as the supervisor
    aggregate stores one: for tests that write agreements straight into its database."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    return Supervisor(
        id=supervisor_id,
        name=f"Dr {supervisor_id}",
        contact_email=f"{supervisor_id}@example.org",
        license_type="licensed_social_worker",
        license_number=f"LSW-{supervisor_id}",
        license_state="MT",
        license_expires_on=date(2030, 12, 31),
        first_licensed_on=date(2015, 6, 1),
        supervision_ce_centihours=0,
        verification=Verification.VERIFIED,
        verified_by="staff:sue",
        verified_at=at,
        created_at=at,
    )


SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""


async def supervised(system: System, peers: list[str]) -> None:
    """A signed agreement for each peer (drafting and signing have their own tests), written
    into the supervision database."""
    at = datetime(2026, 1, 2, tzinfo=UTC)
    async with system.services["supervision"].state.sessions() as session, session.begin():
        session.add(qualified_supervisor("sup-s"))
        await session.flush()
        for peer in peers:
            session.add(
                SupervisionAgreement(
                    peer_applicant_id=peer,
                    supervisor_id="sup-s",
                    employer=f"Employer of {peer}",
                    starts_on=date(2026, 1, 1),
                    signed_by_peer_at=at,
                    signed_by_supervisor_at=at,
                    relationship_attested=True,
                    created_at=at,
                )
            )
