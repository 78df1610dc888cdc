"""A party's whole supervision in one read, for views that show it all (the gateway's ``me``):
the same agreements, sessions and report their own endpoints give, without three round trips."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from supervision.agreement.service import list_agreements
from supervision.compliance.rules import week_start
from supervision.compliance.service import report
from supervision.deps import ActionContext
from supervision.overview.schemas import Overview
from supervision.session import service as sessions

# A peer has a few agreements and a supervisor a caseload; more is read page by page.
MOST_AGREEMENTS = 200
# Without a period: the current week and the eleven before it, a quarter.
DEFAULT_WEEKS = 12


def default_period(today: date) -> tuple[date, date]:
    """The weeks an overview reports when the caller names none."""
    monday = week_start(today)
    return monday - timedelta(weeks=DEFAULT_WEEKS - 1), monday + timedelta(days=6)


async def overview(ctx: ActionContext, *, first: date | None, last: date | None) -> Overview:
    """The caller's agreements, their current sessions and the compliance of their peers."""
    default_first, default_last = default_period(ctx.today)
    compliance = await report(
        ctx, first=first or default_first, last=last or default_last, peer=None
    )
    page = await list_agreements(ctx, after=None, limit=MOST_AGREEMENTS)
    rows = await sessions.sessions_of_agreements(ctx, [a.id for a in page.items])
    zone = ZoneInfo(ctx.policy.time_zone)
    return Overview(
        agreements=page.items,
        agreements_complete=page.next_cursor is None,
        sessions=[sessions.to_public(row, zone) for row in rows],
        compliance=compliance,
    )
