"""The applications service's queues over their last days, each rebuilt from when its items
joined and left (``queue.history_repository``), counted by ``certboard_core.queue_history``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from pydantic import BaseModel, Field
from sqlmodel.ext.asyncio.session import AsyncSession

from applications import rules
from applications.policy import ApplicationPolicy
from applications.queue.history_repository import HistoryRepository, Stay
from certboard_core import queue_history
from certboard_core.queue_history import Span, days_back


class HistoryDay(BaseModel):
    day: date
    first_notification: int = Field(description="applications waiting for their first notice")
    first_notification_late: int = Field(description="of those, past the notice's due day")
    certificates: int = Field(description="training certificates waiting for review")
    certificates_late: int = Field(description="of those, past their review day")
    unmatched: int = Field(description="training certificates linked to no application")
    ce_verification: int = Field(description="self-reported CE waiting for staff to verify it")
    ce_audits: int = Field(description="CE audits open: awaiting proof, to review, in cure")
    incomplete: int = Field(description="applications waiting on the applicant's revision")
    expiring: int = Field(description="approvals whose window ends soon, not yet certified")
    expiring_this_month: int = Field(
        description="certifications ending in that day's month (as each stands today: one "
        "renewed since no longer counts)"
    )


class QueueHistory(BaseModel):
    days: list[HistoryDay] = Field(description="oldest first, ending today")


async def history(
    session: AsyncSession, today: date, days: int, policy: ApplicationPolicy
) -> QueueHistory:
    """Each of the last ``days`` days, as the queues stood at its end."""
    first_day = days_back(today, days)[0]
    since = policy.start_of_day(first_day)
    local = policy.local_date
    found = HistoryRepository(session)

    def undue(stays: Iterable[Stay]) -> list[Span]:
        return [Span(local(joined), local(left) if left else None, None) for joined, left in stays]

    reviews = [
        Span(local(joined), local(left) if left else None, due)
        for joined, left, due in await found.certificate_reviews(since)
    ]
    one_day = timedelta(days=1)
    incomplete = [
        Span(local(asked), local(ended) if ended else last_day + one_day, None)
        for asked, ended, last_day in await found.revisions(since, first_day)
    ]
    # An approval joins the expiring queue ``expiry_warning_days`` before its last valid day
    # (rules.expiring_through) and leaves after it, or once certified.
    warned = timedelta(days=policy.expiry_warning_days)
    expiring = [
        Span(valid - warned, min(valid + one_day, certified or valid + one_day), None, n)
        for valid, certified, n in await found.approvals(
            first_day, rules.expiring_through(today, policy)
        )
    ]
    # A certification is on the month's list (certification.router.expiring) all month.
    ending = [
        Span(valid.replace(day=1), valid + relativedelta(day=31) + one_day, None, n)
        for valid, n in await found.certifications_ending(
            first_day.replace(day=1), today + relativedelta(day=31)
        )
    ]
    queues = {
        "first_notification": await found.first_notices(first_day),
        "certificates": reviews,
        "unmatched": undue(await found.unmatched_certificates(since)),
        "ce_verification": undue(await found.ce_verifications(since)),
        "ce_audits": undue(await found.ce_audits(since)),
        "incomplete": incomplete,
        "expiring": expiring,
        "expiring_this_month": ending,
    }
    counted = queue_history.history(today, days, queues)
    return QueueHistory(days=[HistoryDay.model_validate(day) for day in counted])
