"""Renewal through the gateway alone: the holder reads what renewing takes, is refused with
every reason, and renews once the fee and the CE are in; the period runs from the old expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from applications.ce.models import CeRecord, CeRecordStatus, CeSource
from applications.certification.models import Certification
from applications.renewal.categories import CeCategory
from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import approved_application, data_of, set_clock
from .test_certification import VERIFY, pass_from_exams

MINE = """
{ me { applications { certification {
  id number validThrough
  renewal {
    status code mayRenew windowOpensOn newValidThrough version
    fees { kind amountCents recordedReference }
    ce { requiredHours earnedHours stillNeededHours categories { category stillNeededHours } }
  }
  renewals { kind previousValidThrough validThrough }
} } } }
"""
RENEW = """
mutation R($id: ID!, $v: Int!) {
  renewCertification(certificationId: $id, expectedVersion: $v, ceAttested: true,
                     codeOfEthicsSigned: true) { kind previousValidThrough validThrough feesCents }
}
"""
FEE = """
mutation F($id: ID!) {
  recordPayment(id: $id, kind: RENEWAL, amountCents: 8000, reference: "renewal-2028",
                paidAt: "2028-04-01T17:00:00+00:00") { version }
}
"""


async def earned(system: System, *courses: tuple[str, int, CeCategory]) -> None:
    """Accepted CE in the holder's ledger (the ledger's intake through the gateway has its own
    test), written into the applications database."""
    async with system.services["applications"].state.sessions() as session, session.begin():
        certification = (await session.exec(select(Certification))).one()
        session.add_all(
            CeRecord(
                certification_id=certification.id,
                applicant_id=certification.applicant_id,
                source=CeSource.PROVIDER,
                course_title="Course",
                provider_name="Provider",
                hours=hundredths,
                category=category,
                completed_on=date.fromisoformat(day),
                received_at=datetime(2027, 6, 1, tzinfo=UTC),
                status=CeRecordStatus.ACCEPTED,
            )
            for day, hundredths, category in courses
        )


async def test_ca_renewal_from_the_old_expiry(system: System, mint: Minter) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint)
    await pass_from_exams(system, application, "2026-05-04")

    # 1 April 2028: the window opened on 3 February; nothing is in yet.
    await set_clock(system, staff, "2028-04-01T17:00:00+00:00")
    (view,) = (await data_of(system, MINE, token=alice))["me"]["applications"]
    certification = view["certification"]
    assert certification["validThrough"] == "2028-05-03"
    renewal = certification["renewal"]
    assert (renewal["status"], renewal["code"], renewal["windowOpensOn"]) == (
        "IN_RENEWAL_WINDOW",
        "RENEWAL_OPEN",
        "2028-02-03",
    )
    assert renewal["fees"] == [{"kind": "RENEWAL", "amountCents": 8000, "recordedReference": None}]
    assert renewal["ce"]["stillNeededHours"] == "20"
    assert renewal["ce"]["categories"] == [{"category": "LAW_AND_ETHICS", "stillNeededHours": "6"}]
    variables = {"id": certification["id"], "v": renewal["version"]}
    refused = (await system.gql(RENEW, variables, token=alice)).json()["errors"][0]
    assert refused["extensions"]["code"] == "RENEWAL_REFUSED"
    assert [r["code"] for r in refused["extensions"]["reasons"]] == [
        "FEE_NOT_PAID",
        "CE_HOURS_MISSING",
    ]

    await earned(
        system,
        ("2027-02-01", 1400, CeCategory.GENERAL),
        ("2027-09-01", 600, CeCategory.LAW_AND_ETHICS),
    )
    await data_of(system, FEE, {"id": application["id"]}, token=staff)
    renewed = await data_of(system, RENEW, variables, token=alice)
    assert renewed["renewCertification"] == {
        "kind": "ON_TIME",
        "previousValidThrough": "2028-05-03",
        "validThrough": "2030-05-03",
        "feesCents": 8000,
    }
    (view,) = (await data_of(system, MINE, token=alice))["me"]["applications"]
    after = view["certification"]
    assert (after["validThrough"], after["renewal"]["status"], after["renewal"]["code"]) == (
        "2030-05-03",
        "ACTIVE",
        "RENEWAL_NOT_OPEN",
    )
    assert after["renewals"] == [
        {"kind": "ON_TIME", "previousValidThrough": "2028-05-03", "validThrough": "2030-05-03"}
    ]
    # Anyone sees the new period, without a token.
    public = await data_of(system, VERIFY, {"number": after["number"]})
    assert public["verifyCertification"]["validThrough"] == "2030-05-03"
    # Another applicant cannot renew it.
    stranger = (await system.gql(RENEW, variables, token=mint("applicant", "bob"))).json()
    assert stranger["errors"][0]["extensions"]["code"] == "NOT_FOUND"
