"""``me``: each role's whole view from one entry point, one call per service for an applicant,
and a service that is down failing only the fields that need it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlmodel import select

from supervision.agreement.models import SupervisionAgreement
from supervision.compliance.service import record_weeks
from supervision.hours.models import HoursPeriod, HoursWorked
from supervision.policy import build_policy
from supervision.session.models import SessionFormat, SupervisionSession

from .conftest import System
from .helpers import SUBMIT, application_input, data_of, set_clock, supervised, uploads
from .journeys import certificate_row, provider_with_program, upload

PARTS = """
{ me { applications {
    id status documents { kind } exams { attemptsLeft } supervisionAgreements { id }
} } }
"""
WHOLE = """
{ me {
  subject
  applications {
    id status missing deadlines { lastDayToComplete daysLeftToComplete }
    documents { kind } notifications { reason } payments { reference }
    trainingCertificates { id } certification { number }
    exams { attemptsLeft authorizations { status result { passed } } accommodations { id } }
    supervisionAgreements { status sessions { id } }
  }
  supervision {
    agreements { employer sessions { heldOn locked } }
    sessionsToSign { heldOn }
    compliance { startsOn endsOn peers { peerApplicantId compliant hoursWorked } }
  }
} }
"""
SUPERVISION = """
{ me { supervision { agreements { peerApplicantId sessions { heldOn } }
                     sessionsToSign { peerApplicantId heldOn } agreementsComplete } } }
"""
QUEUES = """
{ me { queues {
  applications { firstNotification incomplete }
  certificates { pendingReview unmatched }
  exams { resultNotices { waiting } accommodations { waiting } scheduling { waiting } }
  supervisionShortfalls { waiting breaches nextDueOn }
} } }
"""
NOW = "2026-03-10T17:00:00+00:00"


async def submit(system: System, token: str) -> str:
    data = await data_of(
        system, SUBMIT, {"input": application_input()}, token=token, files=uploads()
    )
    application_id: str = data["submitApplication"]["id"]
    return application_id


async def supervision_rows(system: System, *rows: object) -> None:
    """Write sessions or hours into supervision's database, summarized as the service does."""
    async with system.services["supervision"].state.sessions() as session, session.begin():
        session.add_all(rows)
        await session.flush()
        for row in rows:
            day = row.held_on if isinstance(row, SupervisionSession) else row.starts_on
            await record_weeks(session, row.peer_applicant_id, day)


async def agreement_of(system: System, peer: str) -> SupervisionAgreement:
    async with system.services["supervision"].state.sessions() as session:
        query = select(SupervisionAgreement).where(SupervisionAgreement.peer_applicant_id == peer)
        return (await session.exec(query)).one()


def unsigned_session(agreement: SupervisionAgreement, day: date) -> SupervisionSession:
    start = datetime(day.year, day.month, day.day, 16, 0, tzinfo=UTC)
    return SupervisionSession(
        agreement_id=agreement.id,
        peer_applicant_id=agreement.peer_applicant_id,
        supervisor_id=agreement.supervisor_id,
        peer_name="Peer",
        held_on=day,
        starts_at=start,
        stops_at=start.replace(hour=17),
        minutes=60,
        format=SessionFormat.INDIVIDUAL,
        topics=["planning"],
        created_at=start,
        created_by=f"applicant:{agreement.peer_applicant_id}",
    )


async def test_an_applicants_whole_me_is_one_call_per_service(system: System, mint) -> None:
    alice = mint("applicant", "alice")
    await set_clock(system, mint("staff", "sam"), NOW)
    application_id = await submit(system, alice)
    await supervised(system, ["alice"])
    await supervision_rows(
        system, unsigned_session(await agreement_of(system, "alice"), date(2026, 3, 9))
    )
    system.calls.clear()
    me = (await data_of(system, WHOLE, token=alice))["me"]
    (view,) = me["applications"]
    assert (view["id"], view["status"], len(view["documents"])) == (
        application_id,
        "SUBMITTED",
        2,
    )
    (agreement,) = view["supervisionAgreements"]
    assert (agreement["status"], len(agreement["sessions"])) == ("ACTIVE", 1)
    assert me["supervision"]["agreements"] == [
        {"employer": "Employer of alice", "sessions": [{"heldOn": "2026-03-09", "locked": False}]}
    ]
    assert me["supervision"]["sessionsToSign"] == [{"heldOn": "2026-03-09"}]
    # The quarter ending this week; an unsigned session counts for nothing yet.
    compliance = me["supervision"]["compliance"]
    assert (compliance["startsOn"], compliance["endsOn"], compliance["peers"]) == (
        "2025-12-22",
        "2026-03-15",
        [{"peerApplicantId": "alice", "compliant": True, "hoursWorked": "0.00"}],
    )
    assert system.calls == Counter(
        {
            ("applications", "GET", "/v1/applications/mine"): 1,
            ("exams", "GET", "/v1/exam-summaries"): 1,
            ("supervision", "GET", "/v1/supervision/overview"): 1,
        }
    )


async def test_a_service_that_is_down_fails_only_its_fields(system: System, mint) -> None:
    alice = mint("applicant", "alice")
    application_id = await submit(system, alice)
    for down, field in (("supervision", "supervisionAgreements"), ("exams", "exams")):
        system.down.clear()
        system.down.add(down)
        body = (await system.gql(PARTS, token=alice)).json()
        (application,) = body["data"]["me"]["applications"]
        assert (application["id"], application["status"]) == (application_id, "SUBMITTED")
        assert len(application["documents"]) == 2
        assert application[field] is None
        (error,) = body["errors"]
        assert error["path"] == ["me", "applications", 0, field]
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
        assert error["message"] == f"the {down} service is not reachable"
    # The application's own service down: nothing to show, and the error says why.
    system.down.clear()
    system.down.add("applications")
    body = (await system.gql(PARTS, token=alice)).json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UPSTREAM_UNAVAILABLE"]


async def test_a_supervisor_reads_their_supervisees_and_the_sessions_to_sign(
    system: System, mint
) -> None:
    await set_clock(system, mint("staff", "sam"), NOW)
    await supervised(system, ["alice", "bob"])
    await supervision_rows(
        system, unsigned_session(await agreement_of(system, "bob"), date(2026, 3, 9))
    )
    mine = (await data_of(system, SUPERVISION, token=mint("supervisor", "sup-s")))["me"]
    supervision = mine["supervision"]
    # Both agreements were made in the same instant: oldest first leaves their order open.
    assert sorted(supervision.pop("agreements"), key=lambda a: a["peerApplicantId"]) == [
        {"peerApplicantId": "alice", "sessions": []},
        {"peerApplicantId": "bob", "sessions": [{"heldOn": "2026-03-09"}]},
    ]
    assert supervision == {
        "sessionsToSign": [{"peerApplicantId": "bob", "heldOn": "2026-03-09"}],
        "agreementsComplete": True,
    }
    other = (await data_of(system, SUPERVISION, token=mint("supervisor", "sup-t")))["me"]
    assert other["supervision"]["agreements"] == []
    refused = (await system.gql(SUPERVISION, token=mint("staff", "sam"))).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_staff_see_every_queue_with_counts_one_call_each(system: System, mint) -> None:
    staff = mint("staff", "sam")
    await set_clock(system, staff, NOW)
    await submit(system, mint("applicant", "alice"))
    # Montana's supervision rules (1 hour per 20 worked), which CA's board does not have.
    system.services["supervision"].state.policy = build_policy("MT")
    await supervised(system, ["bob"])
    # Bob worked 30 hours in the week of 2 March without a session: 90 minutes short.
    agreement = await agreement_of(system, "bob")
    await supervision_rows(
        system,
        HoursWorked(
            agreement_id=agreement.id,
            peer_applicant_id="bob",
            supervisor_id="sup-s",
            period=HoursPeriod.DAY,
            starts_on=date(2026, 3, 2),
            hundredths=3000,
            created_at=datetime(2026, 3, 3, tzinfo=UTC),
            created_by="applicant:bob",
        ),
    )
    system.calls.clear()
    queues = (await data_of(system, QUEUES, token=staff))["me"]["queues"]
    assert queues == {
        "applications": {"firstNotification": 1, "incomplete": 0},
        "certificates": {"pendingReview": 0, "unmatched": 0},
        "exams": {
            "resultNotices": {"waiting": 0},
            "accommodations": {"waiting": 0},
            "scheduling": {"waiting": 0},
        },
        # Followed up by the week's Sunday (8 March) + 14 days.
        "supervisionShortfalls": {"waiting": 1, "breaches": 0, "nextDueOn": "2026-03-22"},
    }
    assert system.calls == Counter(
        {
            ("applications", "GET", "/v1/queues"): 1,
            ("applications", "GET", "/v1/certificates/summary"): 1,
            ("exams", "GET", "/v1/exam-queues/counts"): 1,
            ("supervision", "GET", "/v1/supervision/compliance/shortfalls"): 1,
        }
    )
    refused = (await system.gql(QUEUES, token=mint("applicant", "alice"))).json()
    assert (refused["data"], refused["errors"][0]["extensions"]["code"]) == (None, "FORBIDDEN")


async def test_a_provider_reads_its_record_and_uploads(system: System, mint) -> None:
    staff = mint("staff", "sam")
    await set_clock(system, staff, NOW)
    provider, program = await provider_with_program(system, staff, "Academy")
    academy = mint("provider", "academy", provider_id=provider)
    await upload(system, academy, provider, [certificate_row("C-1", program, "2026-03-01")])
    query = "{ me { provider { id name } uploads { items { providerCertificateId } nextCursor } } }"
    me = (await data_of(system, query, token=academy))["me"]
    assert me == {
        "provider": {"id": provider, "name": "Academy"},
        "uploads": {"items": [{"providerCertificateId": "C-1"}], "nextCursor": None},
    }
    other, _ = await provider_with_program(system, staff, "Other")
    theirs = mint("provider", "other", provider_id=other)
    assert (await data_of(system, query, token=theirs))["me"]["uploads"]["items"] == []
    anonymous = (await system.gql("{ me { subject } }")).json()
    assert (anonymous["data"], anonymous["errors"][0]["extensions"]["code"]) == (
        None,
        "UNAUTHENTICATED",
    )
