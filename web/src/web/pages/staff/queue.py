"""One application work queue, earliest deadline first, a page at a time, each row with its
clock: the day it is due by, the days left, and whether that day has passed (in words)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from web.pages.caller import Caller, ask, staff_or_refusal
from web.pages.public import error_words
from web.render import page

router = APIRouter()

WORK_QUEUE = """
query WorkQueue($name: WorkQueue!, $first: Int!, $after: String) {
  workQueue(name: $name, first: $first, after: $after) {
    items {
      id firstName lastName status submittedOn
      deadlines {
        today firstNotificationDueOn firstNotificationDaysLeft firstNotifiedOn
        firstNotificationOnTime lastDayToComplete daysLeftToComplete validThrough daysLeftValid
      }
    }
    nextCursor
  }
}
"""
# The address's name of each queue -> the gateway's enum, the deadline the queue is ordered
# by (as the gateway sorts it) and the days-left field that goes with that deadline.
QUEUES: dict[str, tuple[str, str, str]] = {
    "first-notification": (
        "FIRST_NOTIFICATION",
        "firstNotificationDueOn",
        "firstNotificationDaysLeft",
    ),
    "breaches": ("BREACHES", "firstNotificationDueOn", "firstNotificationDaysLeft"),
    "incomplete": ("INCOMPLETE", "lastDayToComplete", "daysLeftToComplete"),
    "expiring": ("EXPIRING", "validThrough", "daysLeftValid"),
}
TITLES = {
    "first-notification": "queue.first_notification",
    "breaches": "queue.breaches",
    "incomplete": "queue.incomplete",
    "expiring": "queue.expiring",
}


def clock(slug: str, application: dict[str, Any]) -> dict[str, Any]:
    """The row's due day, days left (None: the gateway says it does not bind now) and breach:
    the day has passed, or the first notice went out after it (the gateway says which)."""
    _, due_field, days_field = QUEUES[slug]
    deadlines = application["deadlines"]
    days = deadlines.get(days_field)
    late_notice = deadlines.get("firstNotificationOnTime") is False
    notice_queue = due_field == "firstNotificationDueOn"
    return {
        "due": deadlines.get(due_field),
        "days": days,
        "breach": (days is not None and days < 0) or (notice_queue and late_notice),
        "notified_late_on": deadlines.get("firstNotifiedOn") if late_notice else None,
    }


@router.get("/staff/applications", response_model=None)
async def work_queue(
    request: Request,
    queue: Annotated[str, Query(max_length=40)] = "first-notification",
    after: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """A work queue's applications, a page at a time, each with its clock."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    if queue not in QUEUES:
        return page(request, "error.html", status_code=404, message="error.not_found")
    variables = {
        "name": QUEUES[queue][0],
        "first": request.app.state.settings.page_size,
        "after": after or None,
    }
    answer = await ask(request, staff, WORK_QUEUE, variables)
    if isinstance(answer, Response):
        return answer
    found = (answer.data or {}).get("workQueue") or {"items": [], "nextCursor": None}
    items = [{**a, "clock": clock(queue, a)} for a in found["items"]]
    return page(
        request,
        "staff/queue.html",
        queue=queue,
        title=TITLES[queue],
        queues=TITLES,
        items=items,
        next_cursor=found["nextCursor"],
        paged=bool(after),
        errors=error_words(request, answer),
    )
