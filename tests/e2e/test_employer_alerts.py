"""Employer alerts through the gateway alone: an employer signs up, enrols a certification by
number and last name, hears of a suspension once, and the holder sees who follows them."""

from __future__ import annotations

from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import approved_application, data_of, error_of, set_clock
from .test_certification import pass_from_exams
from .test_discipline import DECIDE, FILE, QUEUE
from .test_discipline import MINE as HOLDER

SIGN_UP = """
mutation { createEmployerProfile(organisation: "Bozeman Recovery Center",
                                 alertEmail: "hr@brc.example.org") {
  profile { organisation webhookUrl version } webhookSecret
} }
"""
ENROL = """
mutation E($n: String!, $name: String!) {
  enrolCertification(certificateNumber: $n, lastName: $name) {
    id certificateNumber holderName status
  }
}
"""
MINE = """
{ me { employer {
  profile { organisation }
  enrolments { items { id certificateNumber } nextCursor }
  alerts { items { kind certificateNumber summary
                   detail { outcome status effectiveFrom effectiveThrough } } nextCursor }
} } }
"""
FOLLOWERS = "{ me { applications { certification { followers { organisation since } } } } }"
UNENROL = "mutation U($id: ID!) { unenrolCertification(id: $id) }"


async def _deliver(system: System) -> None:
    dispatcher = system.services["applications"].state.dispatcher
    while await dispatcher.dispatch_once():
        pass


async def test_an_employer_enrols_and_hears_of_a_suspension_once(
    system: System, mint: Minter
) -> None:
    alice, staff, acme = mint("applicant", "alice"), mint("staff", "sam"), mint("employer", "acme")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint)
    await pass_from_exams(system, application, "2026-05-04")
    (view,) = (await data_of(system, HOLDER, token=alice))["me"]["applications"]
    number = view["certification"]["number"]

    signed_up = (await data_of(system, SIGN_UP, token=acme))["createEmployerProfile"]
    assert signed_up["profile"] == {
        "organisation": "Bozeman Recovery Center",
        "webhookUrl": None,
        "version": 1,
    }
    assert signed_up["webhookSecret"].startswith("whsec_")
    refused = await error_of(system, ENROL, {"n": number, "name": "Smith"}, token=acme)
    assert refused["code"] == "CERTIFICATION_NOT_MATCHED"
    enrolled = (await data_of(system, ENROL, {"n": number, "name": "lopez"}, token=acme))[
        "enrolCertification"
    ]
    assert enrolled["certificateNumber"] == number
    assert (enrolled["holderName"], enrolled["status"]) == ("Maria Lopez", "ACTIVE")

    (view,) = (await data_of(system, FOLLOWERS, token=alice))["me"]["applications"]
    assert view["certification"]["followers"] == [
        {"organisation": "Bozeman Recovery Center", "since": "2026-03-10T17:00:00+00:00"}
    ]

    await data_of(system, FILE, {"n": number})
    (complaint,) = (await data_of(system, QUEUE, token=staff))["complaints"]["items"]
    await data_of(system, DECIDE, {"id": complaint["id"], "v": complaint["version"]}, token=staff)
    await _deliver(system)
    await _deliver(system)

    mine = (await data_of(system, MINE, token=acme))["me"]["employer"]
    assert mine["profile"] == {"organisation": "Bozeman Recovery Center"}
    assert mine["enrolments"] == {
        "items": [{"id": enrolled["id"], "certificateNumber": number}],
        "nextCursor": None,
    }
    (alert,) = mine["alerts"]["items"]
    assert alert["kind"] == "DISCIPLINED"
    assert alert["certificateNumber"] == number
    assert alert["detail"] == {
        "outcome": "SUSPENSION",
        "status": "SUSPENDED",
        "effectiveFrom": "2026-03-10",
        "effectiveThrough": "2026-09-30",
    }

    # Another employer sees none of it; an applicant may not ask.
    other = (await data_of(system, MINE, token=mint("employer", "bolt")))["me"]["employer"]
    assert other == {
        "profile": None,
        "enrolments": {"items": [], "nextCursor": None},
        "alerts": {"items": [], "nextCursor": None},
    }
    assert (await error_of(system, MINE, token=alice))["code"] == "FORBIDDEN"

    left = await data_of(system, UNENROL, {"id": enrolled["id"]}, token=acme)
    assert left == {"unenrolCertification": enrolled["id"]}
    (view,) = (await data_of(system, FOLLOWERS, token=alice))["me"]["applications"]
    assert view["certification"]["followers"] == []
