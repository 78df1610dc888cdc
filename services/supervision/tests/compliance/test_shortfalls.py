"""Staff's queue of short weeks: measured when read, earliest follow-up day first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ..session.records import Callers, error
from .test_report import MONDAY, held, recorded, two_peers, worked

__all__ = ["two_peers"]
PATH = "/v1/supervision/compliance/shortfalls"


async def queue(client: httpx.AsyncClient, who: Callers, **params: Any) -> Any:
    response = await client.get(PATH, params=params, headers=who.staff)
    assert response.status_code == 200, response.text
    return response.json()


async def test_short_weeks_wait_by_their_follow_up_day_and_leave_when_cured(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    alices, bobs = two_peers
    # Alice's week of 2 February: 10 hours and no session, 30 minutes short.
    february = date(2026, 2, 2)
    await recorded(app, worked(alices, february, 1000))
    body = await queue(client, who)
    assert [
        (s["peer_applicant_id"], s["week"]["week_starts_on"], s["follow_up_by"])
        for s in body["items"]
    ] == [
        ("alice", "2026-02-02", "2026-02-22"),  # its Sunday + 14 days: before today, overdue
        ("bob", "2026-03-02", "2026-03-22"),
    ]
    assert (body["total"], body["overdue"]) == (2, 1)
    assert (body["starts_on"], body["ends_on"]) == ("2026-01-12", "2026-03-08")
    assert body["items"][1]["week"]["shortfall_minutes"] == 1
    # The queue's last days: Bob's week joins it on the Monday after it (9 March), Alice's is
    # late since its follow-up day.
    history = await client.get(f"{PATH}/history", params={"days": 3}, headers=who.staff)
    assert history.json()["days"] == [
        {"day": "2026-03-08", "shortfalls": 1, "shortfalls_late": 1},
        {"day": "2026-03-09", "shortfalls": 2, "shortfalls_late": 1},
        {"day": "2026-03-10", "shortfalls": 2, "shortfalls_late": 1},
    ]
    # A session signed off for Bob's week cures it: the queue reads the weeks as they are now.
    await recorded(app, held(bobs, MONDAY + timedelta(days=4), 15))
    body = await queue(client, who)
    assert [s["peer_applicant_id"] for s in body["items"]] == ["alice"]
    assert (body["total"], body["overdue"]) == (1, 1)


async def test_the_queue_pages_without_losing_or_repeating_a_week(
    app: FastAPI, client: httpx.AsyncClient, who: Callers, two_peers: Any
) -> None:
    alices, _ = two_peers
    await recorded(
        app, *(worked(alices, date(2026, 1, 12) + timedelta(weeks=n), 1000) for n in range(4))
    )
    seen, after = [], None
    while True:
        body = await queue(client, who, limit=2, **({"after": after} if after else {}))
        assert body["total"] == 6
        seen += [(s["peer_applicant_id"], s["week"]["week_starts_on"]) for s in body["items"]]
        after = body["next_cursor"]
        if after is None:
            break
    assert seen == [
        ("alice", "2026-01-12"),
        ("alice", "2026-01-19"),
        ("alice", "2026-01-26"),
        ("alice", "2026-02-02"),
        # 40 hours without a session, then 20 more on 2 March: over the 40-hour cap.
        ("alice", "2026-03-02"),
        ("bob", "2026-03-02"),
    ]


async def test_the_look_back_is_bounded_and_only_staff_read_the_queue(
    client: httpx.AsyncClient, who: Callers
) -> None:
    response = await client.get(PATH, params={"weeks": 0}, headers=who.staff)
    assert error(response) == (422, "INVALID_INPUT", "weeks")
    response = await client.get(PATH, params={"after": "bm9wZQ"}, headers=who.staff)
    assert error(response) == (422, "INVALID_INPUT", "after")
    for caller in (who.alice, who.sam):
        assert (await client.get(PATH, headers=caller)).status_code == 403
