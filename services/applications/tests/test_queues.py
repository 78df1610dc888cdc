"""Staff work queues: ordered by deadline, filtered, paginated, counted."""

from __future__ import annotations

from datetime import timedelta

from certboard_core.testing.plugin import bearer

from .factories import act, submit


async def _queue(client, token, queue_name, **params) -> dict:
    response = await client.get(f"/v1/queues/{queue_name}", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    body: dict = response.json()
    return body


async def test_first_notification_queue_breaches_and_counts(client, clock, mint) -> None:
    staff = mint("staff", "sam")
    first = await submit(client, mint("applicant", "a1"), last_name="Abbott")
    clock.advance(timedelta(days=2))
    second = await submit(client, mint("applicant", "a2"), last_name="Baker")
    clock.advance(timedelta(days=1))
    third = await submit(client, mint("applicant", "a3"), last_name="Carter")
    await act(client, third, "revision-requests", staff, items=["diploma"])  # notified

    queue = await _queue(client, staff, "first-notification")
    assert [i["id"] for i in queue["items"]] == [first["id"], second["id"]]

    clock.advance(timedelta(days=28))  # day 31 for the first, day 29 for the second
    breaches = await _queue(client, staff, "breaches")
    assert [i["id"] for i in breaches["items"]] == [first["id"]]
    counts = (await client.get("/v1/queues", headers=bearer(staff))).json()
    assert counts == {
        "today": "2026-04-10",
        "first_notification": 2,
        "breaches": 1,
        "incomplete": 1,
        "expiring": 0,
        # Submitted 10 March: notified by 9 April; the revision waits until the 90-day hold.
        "earliest_due_on": {
            "first_notification": "2026-04-09",
            "breaches": "2026-04-09",
            "incomplete": "2026-06-11",
            "expiring": None,
        },
    }
    # The queue's last days, rebuilt: the third joined and left on 13 March (notified that
    # day: it waits on its applicant since), the first is past its due day (9 April) from
    # 10 April.
    history = (
        await client.get("/v1/queues/history", params={"days": 31}, headers=bearer(staff))
    ).json()["days"]
    assert [(d["day"], d["first_notification"], d["first_notification_late"]) for d in history][
        :3
    ] == [("2026-03-11", 1, 0), ("2026-03-12", 2, 0), ("2026-03-13", 2, 0)]
    assert history[-2:] == [
        {
            "day": "2026-04-09",
            "first_notification": 2,
            "first_notification_late": 0,
            "certificates": 0,
            "certificates_late": 0,
            "unmatched": 0,
            "ce_verification": 0,
            "ce_audits": 0,
            "incomplete": 1,
            "expiring": 0,
            "expiring_this_month": 0,
        },
        {
            "day": "2026-04-10",
            "first_notification": 2,
            "first_notification_late": 1,
            "certificates": 0,
            "certificates_late": 0,
            "unmatched": 0,
            "ce_verification": 0,
            "ce_audits": 0,
            "incomplete": 1,
            "expiring": 0,
            "expiring_this_month": 0,
        },
    ]
    refused = await client.get("/v1/queues/history", params={"days": 91}, headers=bearer(staff))
    assert (refused.status_code, refused.json()["error"]["field"]) == (422, "days")


async def test_queues_filter_and_paginate(client, clock, mint) -> None:
    staff = mint("staff", "sam")
    ids = []
    for n, name in enumerate(["Garcia", "Gomez", "Smith", "Garza", "Gill"]):
        ids.append((await submit(client, mint("applicant", f"p{n}"), last_name=name))["id"])
        clock.advance(timedelta(days=1))
    seen, cursor = [], None
    while True:
        params = {"name": "ga", "limit": 1, **({"after": cursor} if cursor else {})}
        page = await _queue(client, staff, "first-notification", **params)
        seen += [i["last_name"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Garcia", "Garza"]
    dated = await _queue(
        client, staff, "first-notification", submitted_from="2026-03-11", submitted_to="2026-03-12"
    )
    assert [i["last_name"] for i in dated["items"]] == ["Gomez", "Smith"]


async def test_incomplete_and_expiring_queues(client, clock, mint) -> None:
    staff = mint("staff", "sam")
    late = await submit(client, mint("applicant", "x"))
    clock.advance(timedelta(days=5))
    early = await submit(client, mint("applicant", "y"))
    for application in (early, late):
        await act(client, application, "revision-requests", staff, items=["diploma"])
    incomplete = await _queue(client, staff, "incomplete")
    assert [i["id"] for i in incomplete["items"]] == [late["id"], early["id"]]
    assert (await _queue(client, staff, "expiring"))["items"] == []


async def test_queues_are_for_staff(client, mint) -> None:
    response = await client.get("/v1/queues", headers=bearer(mint("applicant", "a")))
    assert response.status_code == 403
    unknown = await client.get("/v1/queues/nope", headers=bearer(mint("staff", "s")))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["field"] == "queue_name"
