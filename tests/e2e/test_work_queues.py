"""The staff work queues through the gateway: ordered by due date, filtered, counted."""

from __future__ import annotations

from typing import Any

from .conftest import System
from .helpers import application_input, data_of, set_clock, uploads

SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""
SEND = """
mutation Send($id: ID!) {
  sendStatusMessage(id: $id, subject: "Received", body: "We have your application.") { id }
}
"""
QUEUE = """
query Queue($name: WorkQueue!, $first: Int! = 50, $after: String, $prefix: String) {
  workQueue(name: $name, first: $first, after: $after, namePrefix: $prefix) {
    items {
      lastName
      deadlines { firstNotificationDueOn firstNotificationOnTime }
      notifications { reason }
    }
    nextCursor
  }
}
"""
COUNTS = "{ workQueueCounts { firstNotification breaches incomplete expiring } }"


async def _submit_at(system: System, mint, staff: str, instant: str, last_name: str) -> str:
    await set_clock(system, staff, instant)
    data = await data_of(
        system,
        SUBMIT,
        {"input": application_input(lastName=last_name, email=f"{last_name}@example.org")},
        token=mint("applicant", last_name.lower()),
        files=uploads(),
    )
    application_id: str = data["submitApplication"]["id"]
    return application_id


async def _queue(system: System, staff: str, name: str, **variables: Any) -> dict[str, Any]:
    data = await data_of(system, QUEUE, {"name": name, **variables}, token=staff)
    page: dict[str, Any] = data["workQueue"]
    return page


def _due(page: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["lastName"], i["deadlines"]["firstNotificationDueOn"]) for i in page["items"]]


async def test_first_notification_queue_and_breaches(system: System, mint) -> None:
    staff = mint("staff", "sam")
    # Submitted out of order, so the queue's order is the due date's, not the insertion's.
    alvarez = await _submit_at(system, mint, staff, "2026-01-20T18:00:00+00:00", "Alvarez")
    await _submit_at(system, mint, staff, "2026-01-10T18:00:00+00:00", "Baker")
    chen = await _submit_at(system, mint, staff, "2026-01-15T18:00:00+00:00", "Chen")
    await data_of(system, SEND, {"id": chen}, token=staff)

    waiting = await _queue(system, staff, "FIRST_NOTIFICATION")
    assert _due(waiting) == [("Baker", "2026-02-09"), ("Alvarez", "2026-02-19")]
    assert [i["notifications"] for i in waiting["items"]] == [[], []]
    assert waiting["nextCursor"] is None

    first = await _queue(system, staff, "FIRST_NOTIFICATION", first=1)
    assert _due(first) == [("Baker", "2026-02-09")]
    rest = await _queue(system, staff, "FIRST_NOTIFICATION", first=1, after=first["nextCursor"])
    assert _due(rest) == [("Alvarez", "2026-02-19")]
    assert rest["nextCursor"] is None
    named = await _queue(system, staff, "FIRST_NOTIFICATION", prefix="alv")
    assert _due(named) == [("Alvarez", "2026-02-19")]

    counts = (await data_of(system, COUNTS, token=staff))["workQueueCounts"]
    assert counts == {"firstNotification": 2, "breaches": 0, "incomplete": 0, "expiring": 0}

    # Baker's 30 days have passed without a notice: a breach.
    await set_clock(system, staff, "2026-02-10T18:00:00+00:00")
    breaches = await _queue(system, staff, "BREACHES")
    assert _due(breaches) == [("Baker", "2026-02-09")]
    assert breaches["items"][0]["deadlines"]["firstNotificationOnTime"] is False
    counts = (await data_of(system, COUNTS, token=staff))["workQueueCounts"]
    assert (counts["firstNotification"], counts["breaches"]) == (2, 1)

    # Alvarez's too; a late notice takes it off the waiting queue but it stays a breach.
    await set_clock(system, staff, "2026-02-20T18:00:00+00:00")
    await data_of(system, SEND, {"id": alvarez}, token=staff)
    breaches = await _queue(system, staff, "BREACHES")
    assert _due(breaches) == [("Baker", "2026-02-09"), ("Alvarez", "2026-02-19")]
    counts = (await data_of(system, COUNTS, token=staff))["workQueueCounts"]
    assert (counts["firstNotification"], counts["breaches"]) == (1, 2)


async def test_work_queues_are_for_staff(system: System, mint) -> None:
    alice = mint("applicant", "alice")
    body = (await system.gql(COUNTS, token=alice)).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = (await system.gql(QUEUE, {"name": "BREACHES"}, token=alice)).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
