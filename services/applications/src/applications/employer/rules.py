"""Pure rules of employer alerts (domain.md §Discipline and verification): whose last name
matches, which coming-expiry alert is due, and the words of each alert. No I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from applications.certification.names import name_key


class AlertKind(StrEnum):
    STATUS_CHANGED = "status_changed"
    EXPIRING = "expiring"
    RENEWED = "renewed"
    DISCIPLINED = "disciplined"


def same_last_name(typed: str, recorded_key: str) -> bool:
    """Whether the last name an employer typed is the holder's (``recorded_key``, as
    ``name_key`` made it at issue); an empty one never is."""
    mine = name_key(typed)
    return bool(mine) and mine == recorded_key


class ExpirySpan(NamedTuple):
    """The valid-through days for which ``days_before`` is the latest alert due today."""

    days_before: int
    earliest: date
    latest: date


def expiry_spans(today: date, days_before: Sequence[int]) -> list[ExpirySpan]:
    """One span per threshold (e.g. 90, 60, 30): a certification valid through a day in it is
    due that threshold's alert and no earlier one's, so a sweep that missed days sends only
    the latest (60 days left after a missed 90 sends the 60, not both)."""
    ordered = sorted(set(days_before), reverse=True)
    spans = []
    for i, days in enumerate(ordered):
        closer = ordered[i + 1] if i + 1 < len(ordered) else None
        earliest = today + timedelta(days=closer + 1) if closer is not None else today
        spans.append(ExpirySpan(days, earliest, today + timedelta(days=days)))
    return spans


def expiry_due(valid_through: date, today: date, days_before: Sequence[int]) -> int | None:
    """The threshold whose alert is due for ``valid_through`` today, or None (too far, or
    already past: the status change says that)."""
    for span in expiry_spans(today, days_before):
        if span.earliest <= valid_through <= span.latest:
            return span.days_before
    return None


def expiry_key(valid_through: date, days_before: int) -> str:
    """An expiry alert is sent once per enrolment, valid-through day and threshold."""
    return f"expiring:{valid_through.isoformat()}:{days_before}d"


def event_key(event_id: object) -> str:
    """A change's alert is sent once per enrolment and event."""
    return f"event:{event_id}"


def _status(value: object) -> str:
    return str(value).replace("_", " ")


def summary(kind: AlertKind, number: str, detail: Mapping[str, Any]) -> str:
    """One line saying what happened to certificate ``number``."""
    if kind is AlertKind.STATUS_CHANGED:
        return (
            f"Certificate {number} changed from {_status(detail['from'])} to "
            f"{_status(detail['to'])} on {detail['on']}."
        )
    if kind is AlertKind.EXPIRING:
        return (
            f"Certificate {number} expires after {detail['valid_through']} "
            f"({detail['days_left']} days left) unless renewed."
        )
    if kind is AlertKind.RENEWED:
        return f"Certificate {number} was renewed; it is valid through {detail['valid_through']}."
    through = f" through {detail['through']}" if detail.get("through") else ""
    return (
        f"A discipline decision about certificate {number}: {_status(detail['outcome'])}"
        f"{through}, from {detail['from']}; its status is {_status(detail['status'])}."
    )


# What of each event's payload an employer learns: never the holder's private data.
DETAIL_FIELDS: dict[AlertKind, tuple[str, ...]] = {
    AlertKind.STATUS_CHANGED: ("from", "to", "on"),
    AlertKind.EXPIRING: ("valid_through", "days_left", "days_before"),
    AlertKind.RENEWED: ("previous_valid_through", "valid_through"),
    AlertKind.DISCIPLINED: ("outcome", "status", "from", "through"),
}


def detail_of(kind: AlertKind, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an event's payload an alert of ``kind`` carries."""
    return {name: payload.get(name) for name in DETAIL_FIELDS[kind]}
