"""An application's audit trail: staff read it on the application page (one gateway request,
the gateway asking the applications service once for every application of a request); an
applicant may not."""

from __future__ import annotations

from collections import Counter

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of, error_of, set_clock

from .conftest import Console
from .test_pages import text_of
from .test_staff import START, submitted, version_on

TRAILS = "{ applications(first: 10) { items { id auditTrail { actor action changed } } } }"
MINE = "query A($id: ID!) { application(id: $id) { auditTrail { action } } }"


async def test_staff_read_the_audit_trail_batched_and_applicants_may_not(
    console: Console, mint: Minter
) -> None:
    staff = mint("staff", "sam")
    await set_clock(console.system, staff, "2026-03-10T17:00:00+00:00")
    alice = await submitted(console.system, mint, "alice")
    bob = await submitted(console.system, mint, "bob")
    await data_of(console.system, START, {"id": bob["id"], "v": bob["version"]}, token=staff)

    console.system.calls.clear()
    items = (await data_of(console.system, TRAILS, token=staff))["applications"]["items"]
    trails = {i["id"]: [(e["actor"], e["action"]) for e in i["auditTrail"]] for i in items}
    assert trails[alice["id"]] == [("applicant:alice", "application.submitted")]
    assert trails[bob["id"]] == [
        ("applicant:bob", "application.submitted"),
        ("staff:sam", "application.under_review"),
    ]
    assert "status" in items[1]["auditTrail"][1]["changed"]
    assert console.system.calls[("applications", "GET", "/v1/audit/applications")] == 1
    refused = await error_of(
        console.system, MINE, {"id": alice["id"]}, token=mint("applicant", "alice")
    )
    assert refused["code"] == "FORBIDDEN"

    await console.sign_in("staff", "sam")
    path = f"/staff/applications/{bob['id']}"
    page = await console.client.get(path)
    words = text_of(page.text)
    assert (
        "Audit trail Every recorded change, oldest first When Who What Fields changed "
        "10 March 2026 17:00 UTC applicant:bob application.submitted"
    ) in words
    assert "staff:sam application.under_review" in words
    token = await console.csrf(path)
    await console.client.post(
        f"{path}/deny",
        data={"expectedVersion": version_on(page.text), "reason": "No.", "csrf_token": token},
    )
    after = text_of((await console.client.get(path)).text)
    assert "staff:sam application.denied" in after
    assert Counter(after.split()).get("staff:sam") == 2
