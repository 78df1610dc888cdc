"""The signed credential through the gateway alone: the holder downloads it, anyone checks it
without a token, and a suspension shows in the check at once."""

from __future__ import annotations

from certboard_core.testing.plugin import Minter

from .conftest import System
from .helpers import approved_application, data_of, set_clock
from .test_certification import pass_from_exams
from .test_discipline import DECIDE, FILE, QUEUE

MINE = "{ me { applications { certification { number credential { credential payload } } } } }"
CHECK = """
query C($c: String!) { verifyCredential(credential: $c) { verified checks { check ok reason } } }
"""


async def test_a_credential_verifies_until_a_suspension(system: System, mint: Minter) -> None:
    alice, staff = mint("applicant", "alice"), mint("staff", "sam")
    await set_clock(system, staff, "2026-03-10T17:00:00+00:00")
    application = await approved_application(system, mint)
    await pass_from_exams(system, application, "2026-05-04")
    await set_clock(system, staff, "2026-06-01T17:00:00+00:00")
    (view,) = (await data_of(system, MINE, token=alice))["me"]["applications"]
    signed = view["certification"]["credential"]
    assert "OpenBadgeCredential" in signed["payload"]["type"]
    assert "birth" not in str(signed["payload"]).lower()

    checked = (await data_of(system, CHECK, {"c": signed["credential"]}))["verifyCredential"]
    assert checked["verified"] is True
    tampered = signed["credential"][:-4] + (
        "AAAA" if signed["credential"][-4:] != "AAAA" else "BBBB"
    )
    refused = (await data_of(system, CHECK, {"c": tampered}))["verifyCredential"]
    assert refused["verified"] is False
    assert {"check": "signature", "ok": False, "reason": "bad signature"} in refused["checks"]

    await data_of(system, FILE, {"n": view["certification"]["number"]})
    (complaint,) = (await data_of(system, QUEUE, token=staff))["complaints"]["items"]
    await data_of(system, DECIDE, {"id": complaint["id"], "v": complaint["version"]}, token=staff)
    suspended = (await data_of(system, CHECK, {"c": signed["credential"]}))["verifyCredential"]
    assert suspended["verified"] is False
    assert {"check": "suspension", "ok": False, "reason": "suspended"} in suspended["checks"]
    # No new credential while suspended.
    body = (await system.gql(MINE, token=alice)).json()
    assert body["errors"][0]["extensions"]["code"] == "CERTIFICATION_SUSPENDED"
