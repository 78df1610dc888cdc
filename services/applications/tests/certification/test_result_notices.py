"""Exams' result notices and corrected results reach the applicant: recorded once, mailed."""

from __future__ import annotations

import uuid

from sqlmodel import select

from applications.notification.service import NOTIFICATION_EVENT
from certboard_core.outbox import OutboxEvent

from .conftest import approved, deliver, read

DOMAINS = [
    {"domain": "ethics", "correct": 27, "total": 30, "percent": "90"},
    {"domain": "recovery", "correct": 20, "total": 30, "percent": "66.67"},
]


def result(application: dict, **overrides) -> dict:
    return {
        "attempt_id": "att-7",
        "application_id": application["id"],
        "applicant_id": application["applicant_id"],
        "taken_on": "2026-05-04",
        "passed": False,
        "correct": 95,
        "total": 120,
        "percent": "79.17",
        "domains": DOMAINS,
        **overrides,
    }


async def mails(app) -> list[OutboxEvent]:
    async with app.state.sessions() as session:
        query = select(OutboxEvent).where(OutboxEvent.type == NOTIFICATION_EVENT)
        return list((await session.exec(query)).all())


async def test_a_result_notice_is_recorded_and_mailed_once(client, app, mint) -> None:
    application = await approved(client, mint)
    mailed_before = len(await mails(app))
    for _ in range(2):  # a second event for the same attempt is the same notice
        answer = await deliver(client, mint, "exam.result_notice_sent", result(application))
        assert answer.json()["outcome"] == "handled"
    view = await read(client, application, mint("applicant", "alice"))
    [notice] = [n for n in view["notifications"] if n["reason"] == "exam_result"]
    assert notice["subject"] == "Your exam result"
    assert notice["body"] == (
        "You did not pass the exam you took on May 4, 2026: 95 of 120 correct (79.17%).\n\n"
        "By content domain:\n- ethics: 27 of 30 (90%)\n- recovery: 20 of 30 (66.67%)"
    )
    new_mails = (await mails(app))[mailed_before:]
    assert [m.payload["subject"] for m in new_mails] == ["Your exam result"]
    assert new_mails[0].payload["to"] == "maria.lopez@example.org"


async def test_each_corrected_result_is_its_own_notice(client, app, mint) -> None:
    application = await approved(client, mint)
    change = {
        "attempt_id": "att-7",
        "application_id": application["id"],
        "applicant_id": "alice",
        "previous_passed": False,
        "passed": True,
        "previous_correct": 95,
        "correct": 96,
        "total": 120,
        "reason": "item 17 was miskeyed",
    }
    for _ in range(2):
        answer = await deliver(client, mint, "exam.result_changed", change)
        assert answer.json()["outcome"] == "handled"
    view = await read(client, application, mint("staff", "sam"))
    notices = [n for n in view["notifications"] if n["reason"] == "exam_result_changed"]
    assert len(notices) == 2
    assert notices[0]["body"] == (
        "Your exam result was rescored: 95 of 120 correct (did not pass) is now 96 of 120 "
        "(passed).\n\nReason: item 17 was miskeyed"
    )


async def test_an_unknown_application_gets_no_notice(client, app, mint) -> None:
    application = await approved(client, mint)
    before = len(await mails(app))
    stray = {**result(application), "application_id": str(uuid.uuid4())}
    answer = await deliver(client, mint, "exam.result_notice_sent", stray)
    assert answer.json()["outcome"] == "handled"
    assert len(await mails(app)) == before
