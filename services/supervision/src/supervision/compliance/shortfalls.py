"""Staff's queue of short weeks: each peer's complete week that is short today, with the day
staff should have followed it up by, earliest first.

Measured when read, from the same week summaries as the report: a session signed off late
takes its week out of the queue at once, with nothing to close by hand.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from certboard_core.errors import InvalidInput
from certboard_core.pagination import decode_cursor, encode_cursor
from supervision.compliance import rules
from supervision.compliance.schemas import Shortfall, ShortfallPage
from supervision.compliance.service import MOST_WEEKS, measure, peer_public
from supervision.deps import ActionContext

# The weeks the queue looks back over unless asked: those the sweep reminds about, and more.
DEFAULT_WEEKS = 8


class _Key(NamedTuple):
    follow_up_by: date
    peer_applicant_id: str
    week_starts_on: date


def period(today: date, weeks: int) -> tuple[date, date]:
    """The last ``weeks`` complete weeks before the one holding ``today``."""
    if not 1 <= weeks <= MOST_WEEKS:
        raise InvalidInput(f"weeks must be 1 to {MOST_WEEKS}", field="weeks")
    this_monday = rules.week_start(today)
    return this_monday - timedelta(weeks=weeks), this_monday - timedelta(days=1)


async def shortfalls(
    ctx: ActionContext, *, weeks: int, after: str | None, limit: int
) -> ShortfallPage:
    """One page of the short weeks, by follow-up day, then peer and week; with the counts."""
    first, last = period(ctx.today, weeks)
    due_after = timedelta(days=6 + ctx.policy.shortfall_follow_up_days)
    found: list[tuple[_Key, Shortfall]] = []
    for peer, report in await measure(ctx.session, ctx.policy, first, last, None):
        for week in peer_public(peer, report).weeks:
            if week.compliant:
                continue
            key = _Key(week.week_starts_on + due_after, peer, week.week_starts_on)
            found.append((key, Shortfall(peer_applicant_id=peer, follow_up_by=key[0], week=week)))
    found.sort(key=lambda pair: pair[0])
    start = _Key(*decode_cursor(after, date, str, date)) if after else None
    rest = [item for key, item in found if start is None or key > start]
    page = rest[:limit]
    last_key = found[len(found) - len(rest) + limit - 1][0] if len(rest) > limit else None
    return ShortfallPage(
        items=page,
        next_cursor=encode_cursor(*last_key) if last_key else None,
        total=len(found),
        overdue=sum(1 for key, _ in found if key.follow_up_by < ctx.today),
        starts_on=first,
        ends_on=last,
    )
