"""Staff's queue of short weeks: each peer's complete week that is short today, with the day
staff should have followed it up by, earliest first.

Measured when read, from the same week summaries as the report: a session signed off late
takes its week out of the queue at once, with nothing to close by hand.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from certboard_core import queue_history
from certboard_core.errors import InvalidInput
from certboard_core.pagination import decode_cursor, encode_cursor
from certboard_core.queue_history import Span, days_back
from supervision.compliance import rules
from supervision.compliance.schemas import (
    Shortfall,
    ShortfallDay,
    ShortfallHistory,
    ShortfallPage,
)
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


async def _short_weeks(ctx: ActionContext, first: date, last: date) -> list[tuple[_Key, Shortfall]]:
    """Every peer's short week from ``first`` to ``last``, with its follow-up day."""
    due_after = timedelta(days=6 + ctx.policy.shortfall_follow_up_days)
    found: list[tuple[_Key, Shortfall]] = []
    for peer, report in await measure(ctx.session, ctx.policy, first, last, None):
        for week in peer_public(peer, report).weeks:
            if week.compliant:
                continue
            key = _Key(week.week_starts_on + due_after, peer, week.week_starts_on)
            found.append((key, Shortfall(peer_applicant_id=peer, follow_up_by=key[0], week=week)))
    return found


async def shortfalls(
    ctx: ActionContext, *, weeks: int, after: str | None, limit: int
) -> ShortfallPage:
    """One page of the short weeks, by follow-up day, then peer and week; with the counts."""
    first, last = period(ctx.today, weeks)
    found = await _short_weeks(ctx, first, last)
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


async def history(ctx: ActionContext, *, days: int) -> ShortfallHistory:
    """The queue (``DEFAULT_WEEKS`` back) at the end of each of the last ``days`` days, from
    one measure of every week any of them looks back over. A short week waits from the Monday
    after it until the look-back passes it, late after its follow-up day; each week as it
    stands today (a session signed off late takes its week out of past days too)."""
    every_day = days_back(ctx.today, days)
    first, _ = period(every_day[0], DEFAULT_WEEKS)
    _, last = period(ctx.today, DEFAULT_WEEKS)
    spans = [
        Span(
            key.week_starts_on + timedelta(weeks=1),
            key.week_starts_on + timedelta(weeks=DEFAULT_WEEKS + 1),
            key.follow_up_by,
        )
        for key, _ in await _short_weeks(ctx, first, last)
    ]
    counted = queue_history.history(ctx.today, days, {"shortfalls": spans})
    return ShortfallHistory(days=[ShortfallDay.model_validate(day) for day in counted])
