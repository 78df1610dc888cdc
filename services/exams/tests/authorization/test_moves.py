"""Staff moves: scheduling inside the window, no-show vs vendor fault, void and reissue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel import select

from certboard_core.audit import AuditRecord
from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter, bearer

from .fakes import TODAY, FakeApplications
from .helpers import live_form, move, record_attempt, request_exam


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


async def granted(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, **kw: Any
) -> dict[str, Any]:
    standing = applications.add("ann", **kw)
    return await request_exam(client, mint("applicant", "ann"), standing["application_id"])


class TestSchedule:
    async def test_the_window_s_last_day_is_allowed_and_the_next_is_not(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
    ) -> None:
        form_id = await live_form(app)
        staff = mint("staff", "s1")
        authorization = await granted(client, applications, mint)
        late = await move(
            client,
            staff,
            authorization,
            "schedule",
            expect=422,
            scheduled_on=day(91),
            scheduled_at_time="09:30",
            site="Sacramento",
        )
        assert late["error"] == {
            **late["error"],
            "code": "SCHEDULE_NOT_ALLOWED",
            "field": "scheduled_on",
        }
        past = await move(
            client,
            staff,
            authorization,
            "schedule",
            expect=422,
            scheduled_on=day(-1),
            scheduled_at_time="09:30",
            site="Sacramento",
        )
        assert past["error"]["code"] == "SCHEDULE_NOT_ALLOWED"
        scheduled = await move(
            client,
            staff,
            authorization,
            "schedule",
            scheduled_on=day(90),
            scheduled_at_time="09:30",
            site="Sacramento",
        )
        assert scheduled["status"] == "scheduled"
        assert (scheduled["scheduled_on"], scheduled["scheduled_at_time"]) == (day(90), "09:30:00")
        assert scheduled["form_id"] == str(form_id)
        assert scheduled["version"] == authorization["version"] + 1

    async def test_the_site_fits_the_delivery_mode(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        staff = mint("staff", "s1")
        centre = await granted(client, applications, mint)
        body = await move(
            client,
            staff,
            centre,
            "schedule",
            expect=422,
            scheduled_on=day(3),
            scheduled_at_time="09:30",
        )
        assert (body["error"]["code"], body["error"]["field"]) == ("SCHEDULE_NOT_ALLOWED", "site")
        standing = applications.add("ann")
        online = await request_exam(
            client,
            mint("applicant", "ann"),
            standing["application_id"],
            delivery_mode="online_proctored",
        )
        body = await move(
            client,
            staff,
            online,
            "schedule",
            expect=422,
            scheduled_on=day(3),
            scheduled_at_time="09:30",
            site="Sacramento",
        )
        assert body["error"]["field"] == "site"
        scheduled = await move(
            client, staff, online, "schedule", scheduled_on=day(3), scheduled_at_time="09:30"
        )
        assert (scheduled["site"], scheduled["form_id"]) == (None, None)

    async def test_cancel_returns_it_to_granted_in_the_same_window(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        staff = mint("staff", "s1")
        authorization = await granted(client, applications, mint)
        scheduled = await move(
            client,
            staff,
            authorization,
            "schedule",
            scheduled_on=day(5),
            scheduled_at_time="09:30",
            site="Fresno",
        )
        cancelled = await move(client, staff, scheduled, "cancel-schedule")
        assert cancelled["status"] == "granted"
        assert (cancelled["scheduled_on"], cancelled["site"]) == (None, None)
        assert cancelled["valid_through"] == authorization["valid_through"]
        stale = await move(client, staff, scheduled, "cancel-schedule", expect=409)
        assert stale["error"]["code"] == "TRANSITION_NOT_ALLOWED"

    async def test_the_scheduling_queue_s_last_days(
        self,
        client: httpx.AsyncClient,
        applications: FakeApplications,
        mint: Minter,
        clock: TestClock,
    ) -> None:
        staff = mint("staff", "s1")
        authorization = await granted(client, applications, mint)
        clock.advance(timedelta(days=3))
        await move(
            client,
            staff,
            authorization,
            "schedule",
            scheduled_on=day(5),
            scheduled_at_time="09:30",
            site="Fresno",
        )
        history = await client.get(
            "/v1/exam-queues/history", params={"days": 4}, headers=bearer(staff)
        )
        # Granted on the window's first day, scheduled on its last: it waited at the end of
        # each day but the last.
        assert [
            (d["day"], d["scheduling"], d["scheduling_late"]) for d in history.json()["days"]
        ] == [
            (day(0), 1, 0),
            (day(1), 1, 0),
            (day(2), 1, 0),
            (day(3), 0, 0),
        ]

    async def test_applicants_cannot_move_it(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        authorization = await granted(client, applications, mint)
        body = await move(
            client, mint("applicant", "ann"), authorization, "void", expect=403, reason="x"
        )
        assert body["error"]["code"] == "FORBIDDEN"


async def scheduled_today(
    client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, **kw: Any
) -> dict[str, Any]:
    authorization = await granted(client, applications, mint, **kw)
    return await move(
        client,
        mint("staff", "s1"),
        authorization,
        "schedule",
        scheduled_on=day(0),
        scheduled_at_time="18:00",
        site="Fresno",
    )


class TestOutcomes:
    async def test_a_no_show_uses_the_attempt_and_the_fee(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        scheduled = await scheduled_today(client, applications, mint)
        ended = await move(client, mint("staff", "s2"), scheduled, "no-show")
        assert (ended["status"], ended["counts_as_attempt"], ended["ended_on"]) == (
            "no_show",
            True,
            day(0),
        )
        body = await request_exam(
            client, mint("applicant", "ann"), ended["application_id"], expect=409
        )
        assert [r["code"] for r in body["error"]["reasons"]] == ["EXAM_FEE_MISSING"]

    async def test_a_vendor_fault_needs_its_incident_and_frees_attempt_and_fee(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        staff = mint("staff", "s1")
        scheduled = await scheduled_today(client, applications, mint)
        missing = await move(client, staff, scheduled, "vendor-fault", expect=422)
        assert (missing["error"]["code"], missing["error"]["field"]) == (
            "VALIDATION_ERROR",
            "incident",
        )
        ended = await move(client, staff, scheduled, "vendor-fault", incident="PV-123")
        assert (ended["status"], ended["vendor_incident"], ended["counts_as_attempt"]) == (
            "vendor_fault",
            "PV-123",
            False,
        )
        again = await request_exam(client, mint("applicant", "ann"), ended["application_id"])
        assert (again["kind"], again["fee_reference"]) == ("first", "EXAM-1")

    async def test_a_failed_attempt_may_turn_out_the_vendor_s_fault_a_pass_not(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter, app: FastAPI
    ) -> None:
        staff = mint("staff", "s1")
        failed = await scheduled_today(client, applications, mint)
        await record_attempt(app, failed["id"], passed=False, on=TODAY)
        ended = await move(client, staff, failed, "vendor-fault", incident="PV-9")
        assert (ended["status"], ended["counts_as_attempt"]) == ("vendor_fault", False)
        passed = await scheduled_today(client, applications, mint)
        await record_attempt(app, passed["id"], passed=True, on=TODAY)
        refused = await move(client, staff, passed, "vendor-fault", expect=409, incident="PV-9")
        assert refused["error"]["code"] == "TRANSITION_NOT_ALLOWED"

    async def test_no_show_is_refused_before_the_exam_day(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        staff = mint("staff", "s1")
        authorization = await granted(client, applications, mint)
        scheduled = await move(
            client,
            staff,
            authorization,
            "schedule",
            scheduled_on=day(1),
            scheduled_at_time="09:00",
            site="Fresno",
        )
        body = await move(client, staff, scheduled, "no-show", expect=409)
        assert (body["error"]["code"], body["error"]["field"]) == (
            "TRANSITION_NOT_ALLOWED",
            "scheduled_on",
        )


class TestVoid:
    async def test_void_issues_a_new_one_from_today_with_the_same_fee(
        self,
        client: httpx.AsyncClient,
        applications: FakeApplications,
        mint: Minter,
        clock: TestClock,
        app: FastAPI,
    ) -> None:
        staff = mint("staff", "s1")
        authorization = await granted(client, applications, mint, valid_through=day(95))
        clock.advance(timedelta(days=10))
        missing = await move(client, staff, authorization, "void", expect=422)
        assert missing["error"]["field"] == "reason"
        new = await move(client, staff, authorization, "void", reason="wrong language")
        assert new["replaces_id"] == authorization["id"]
        assert (new["granted_on"], new["valid_through"]) == (day(10), day(95))  # capped
        assert (new["fee_reference"], new["kind"], new["status"]) == ("EXAM-1", "first", "granted")
        old = (
            await client.get(
                f"/v1/exam-authorizations/{authorization['id']}", headers=bearer(staff)
            )
        ).json()
        assert (old["status"], old["replaced_by_id"], old["end_reason"]) == (
            "voided",
            new["id"],
            "wrong language",
        )
        assert old["counts_as_attempt"] is False
        summary = (
            await client.get(
                f"/v1/applications/{new['application_id']}/exam-summary", headers=bearer(staff)
            )
        ).json()
        assert (summary["attempts_used"], summary["attempts_left"]) == (1, 2)
        async with app.state.sessions() as session:
            actions = (
                await session.exec(select(AuditRecord.action).order_by(AuditRecord.id))
            ).all()
        assert actions[-2:] == ["exam_authorization.voided", "exam_authorization.granted"]


class TestExpiry:
    async def test_expired_unused_when_read_then_written_by_the_sweep(
        self,
        client: httpx.AsyncClient,
        applications: FakeApplications,
        mint: Minter,
        clock: TestClock,
    ) -> None:
        staff = mint("staff", "s1")
        authorization = await granted(client, applications, mint)
        url = f"/v1/exam-authorizations/{authorization['id']}"
        clock.advance(timedelta(days=90))
        assert (await client.get(url, headers=bearer(staff))).json()["status"] == "granted"
        clock.advance(timedelta(days=1))
        read = (await client.get(url, headers=bearer(staff))).json()
        assert (read["status"], read["version"]) == ("expired_unused", 1)
        sweep = await client.post("/internal/sweep", headers=bearer(mint("service", "gw")))
        assert sweep.json() == {"expired_unused": 1}
        again = await client.post("/internal/sweep", headers=bearer(staff))
        assert again.json() == {"expired_unused": 0}
        written = (await client.get(url, headers=bearer(staff))).json()
        assert (written["status"], written["version"], written["ended_on"]) == (
            "expired_unused",
            2,
            day(91),
        )
        forbidden = await client.post("/internal/sweep", headers=bearer(mint("applicant", "ann")))
        assert forbidden.status_code == 403


class TestQueueAndSummaries:
    async def test_scheduling_queue_by_review_day_with_breaches(
        self,
        client: httpx.AsyncClient,
        applications: FakeApplications,
        mint: Minter,
        clock: TestClock,
    ) -> None:
        staff = mint("staff", "s1")
        late_fee = [{"reference": "E-2", "kind": "exam", "paid_on": day(-20)}]
        a = await granted(client, applications, mint)
        b = await granted(client, applications, mint, exam_fees=late_fee)
        page = (await client.get("/v1/exam-queues/scheduling", headers=bearer(staff))).json()
        assert [i["id"] for i in page["items"]] == [b["id"], a["id"]]
        assert (page["breaches"], page["next_cursor"]) == (1, None)
        counts = (await client.get("/v1/exam-queues/counts", headers=bearer(staff))).json()
        assert counts["scheduling"] == {
            "waiting": 2,
            "breaches": 1,
            "next_due_on": page["items"][0]["review_due_on"],
        }
        assert counts["result_notices"] == {"waiting": 0, "breaches": 0, "next_due_on": None}
        refused = await client.get(
            "/v1/exam-queues/counts", headers=bearer(mint("applicant", "ann"))
        )
        assert refused.status_code == 403
        first = (
            await client.get("/v1/exam-queues/scheduling?limit=1", headers=bearer(staff))
        ).json()
        assert [i["id"] for i in first["items"]] == [b["id"]]
        rest = (
            await client.get(
                f"/v1/exam-queues/scheduling?limit=1&after={first['next_cursor']}",
                headers=bearer(staff),
            )
        ).json()
        assert [i["id"] for i in rest["items"]] == [a["id"]]
        applicant = await client.get(
            "/v1/exam-queues/scheduling", headers=bearer(mint("applicant", "ann"))
        )
        assert applicant.status_code == 403

    async def test_summaries_for_the_owner_and_staff_only(
        self, client: httpx.AsyncClient, applications: FakeApplications, mint: Minter
    ) -> None:
        authorization = await granted(client, applications, mint)
        other = applications.add("bob")
        app_id = authorization["application_id"]
        url = f"/v1/applications/{app_id}/exam-summary"
        for token in (mint("applicant", "ann"), mint("staff", "s1")):
            summary = (await client.get(url, headers=bearer(token))).json()
            assert (summary["attempts_used"], summary["attempts_left"]) == (1, 2)
            assert summary["authorizations"][0]["id"] == authorization["id"]
        bob = await client.get(url, headers=bearer(mint("applicant", "bob")))
        assert (bob.status_code, bob.json()["error"]["code"]) == (404, "NOT_FOUND")
        empty = await client.get(
            f"/v1/applications/{other['application_id']}/exam-summary",
            headers=bearer(mint("applicant", "bob")),
        )
        assert (empty.json()["attempts_used"], empty.json()["authorizations"]) == (0, [])
        batch = (
            f"/v1/exam-summaries?application_id={app_id}&application_id={other['application_id']}"
        )
        mine = (await client.get(batch, headers=bearer(mint("applicant", "ann")))).json()
        assert [s["application_id"] for s in mine["items"]] == [app_id]
        assert mine["attempts_limit"] == 3
        theirs = (await client.get(batch, headers=bearer(mint("applicant", "bob")))).json()
        assert theirs["items"] == []
