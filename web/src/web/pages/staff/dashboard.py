"""The staff dashboard: every work queue with its count, breaches and earliest due day, from
one gateway request (``me { queues }``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from web.pages.caller import Caller, ask, staff_or_refusal
from web.pages.public import error_words
from web.pages.staff.chart import Chart, chart
from web.render import page

router = APIRouter()

QUEUE_COUNT = "waiting breaches nextDueOn"
QUEUES = f"""
query StaffQueues {{
  me {{
    queues {{
      applications {{
        firstNotification breaches incomplete expiring
        earliestDueOn {{ firstNotification breaches incomplete expiring }}
      }}
      certificates {{ pendingReview breaches unmatched nextReviewDueOn }}
      ceAudits {{ awaitingProof toReview inCure referred overdue nextDueOn }}
      expiringThisMonth
      ceVerification {{ pendingVerification oldestReceivedAt }}
      exams {{
        resultNotices {{ {QUEUE_COUNT} }} accommodations {{ {QUEUE_COUNT} }}
        scheduling {{ {QUEUE_COUNT} }}
      }}
      supervisionShortfalls {{ {QUEUE_COUNT} }}
      history {{
        day firstNotification firstNotificationLate certificates certificatesLate
        unmatched ceVerification ceAudits incomplete expiring expiringThisMonth
      }}
      examHistory {{
        day resultNotices resultNoticesLate accommodations accommodationsLate
        scheduling schedulingLate
      }}
      supervisionHistory {{ day shortfalls shortfallsLate }}
    }}
  }}
}}
"""


@dataclass(frozen=True)
class Row:
    """One line of the dashboard. ``count`` None: the service holding it cannot be reached
    (the gateway nulls that part alone); ``breaches`` None: the queue has no due day to miss."""

    key: str
    count: int | None
    breaches: int | None = None
    due: str | None = None
    href: str | None = None
    # Why a queue counts no breaches here (see ``breaches``).
    note: str = "staff.no_due_day"
    # The queue's last 30 days, where the gateway keeps them.
    history: Chart | None = None


def _app_row(part: dict[str, Any] | None, name: str, key: str, slug: str) -> Row:
    if part is None:
        return Row(key, None)
    count = int(part[name])
    # Everything in the breaches queue is one; the first notices' lateness is counted there,
    # and the incomplete and expiring queues run on the applicant's clock, not staff's.
    breaches = count if name == "breaches" else None
    note = "staff.see_breaches" if name == "firstNotification" else "staff.applicants_clock"
    due = part["earliestDueOn"][name]
    return Row(key, count, breaches, due, f"/staff/applications?queue={slug}", note)


def _count_row(part: dict[str, Any] | None, key: str, href: str) -> Row:
    if part is None:
        return Row(key, None)
    return Row(key, int(part["waiting"]), int(part["breaches"]), part["nextDueOn"], href)


# Every row's last days: where the gateway keeps them (one list per service), the series each
# shows, and its late part (None: nothing there is staff's breach).
HISTORY = {
    "queue.first_notification": ("history", "firstNotification", "firstNotificationLate"),
    "queue.breaches": ("history", "firstNotificationLate", None),
    "queue.incomplete": ("history", "incomplete", None),
    "queue.expiring": ("history", "expiring", None),
    "queue.certificates": ("history", "certificates", "certificatesLate"),
    "queue.unmatched": ("history", "unmatched", None),
    "queue.ce_audits": ("history", "ceAudits", None),
    "queue.ce_verification": ("history", "ceVerification", None),
    "queue.expiring_month": ("history", "expiringThisMonth", None),
    "queue.result_notices": ("examHistory", "resultNotices", "resultNoticesLate"),
    "queue.accommodations": ("examHistory", "accommodations", "accommodationsLate"),
    "queue.scheduling": ("examHistory", "scheduling", "schedulingLate"),
    "queue.shortfalls": ("supervisionHistory", "shortfalls", "shortfallsLate"),
}


def with_history(row: Row, queues: dict[str, Any]) -> Row:
    kept = HISTORY.get(row.key)
    if kept is None or row.count is None:
        return row
    source, field, late = kept
    return replace(row, history=chart(queues.get(source) or [], field, late))


def rows(queues: dict[str, Any]) -> list[Row]:
    """The queues in the order staff work them: applications first."""
    apps = queues.get("applications")
    certificates = queues.get("certificates")
    audits = queues.get("ceAudits")
    verification = queues.get("ceVerification")
    exams = queues.get("exams") or {}
    expiring = queues.get("expiringThisMonth")
    return [
        _app_row(apps, "firstNotification", "queue.first_notification", "first-notification"),
        _app_row(apps, "breaches", "queue.breaches", "breaches"),
        _app_row(apps, "incomplete", "queue.incomplete", "incomplete"),
        _app_row(apps, "expiring", "queue.expiring", "expiring"),
        Row("queue.certificates", None)
        if certificates is None
        else Row(
            "queue.certificates",
            int(certificates["pendingReview"]),
            int(certificates["breaches"]),
            certificates["nextReviewDueOn"],
            "/staff/certificates",
        ),
        Row(
            "queue.unmatched",
            None if certificates is None else int(certificates["unmatched"]),
            href="/staff/certificates/unmatched",
        ),
        Row("queue.ce_audits", None)
        if audits is None
        else Row(
            "queue.ce_audits",
            int(audits["awaitingProof"]) + int(audits["toReview"]) + int(audits["inCure"]),
            int(audits["overdue"]),
            audits["nextDueOn"],
            "/staff/ce/audits",
        ),
        Row(
            "queue.ce_verification",
            None if verification is None else int(verification["pendingVerification"]),
            href="/staff/ce/verification",
        ),
        Row(
            "queue.expiring_month",
            None if expiring is None else int(expiring),
            href="/staff/renewals",
        ),
        _count_row(exams.get("resultNotices"), "queue.result_notices", "/staff/exams/notices"),
        _count_row(
            exams.get("accommodations"), "queue.accommodations", "/staff/exams/accommodations"
        ),
        _count_row(exams.get("scheduling"), "queue.scheduling", "/staff/exams/scheduling"),
        _count_row(
            queues.get("supervisionShortfalls"), "queue.shortfalls", "/staff/supervision/shortfalls"
        ),
    ]


@router.get("/staff", response_model=None)
async def dashboard(request: Request) -> Response:
    """Every work queue today: how many wait, how many are past due, the earliest due day."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    answer = await ask(request, staff, QUEUES)
    if isinstance(answer, Response):
        return answer
    queues = ((answer.data or {}).get("me") or {}).get("queues") or {}
    return page(
        request,
        "staff/dashboard.html",
        rows=[with_history(r, queues) for r in rows(queues)] if queues else [],
        errors=error_words(request, answer),
    )
