"""The application's states and which action may move it where: pure, no I/O."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from applications.errors import TransitionNotAllowed


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INCOMPLETE = "incomplete"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    VOID = "void"
    EXPIRED = "expired"
    # Passed the exam: the approval's window no longer applies (neither the sweep nor a read
    # expires it); the certification has its own dates.
    CERTIFIED = "certified"


S = ApplicationStatus

# Waiting on staff: the clock of the 90-day hold never voids these, however late staff are.
WAITING_ON_STAFF = frozenset({S.SUBMITTED, S.UNDER_REVIEW, S.RESUBMITTED})
OPEN = WAITING_ON_STAFF | {S.INCOMPLETE}
FINAL = frozenset({S.DENIED, S.WITHDRAWN, S.VOID, S.EXPIRED})


class Action(StrEnum):
    START_REVIEW = "start_review"
    REQUEST_REVISION = "request_revision"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    DENY = "deny"
    WITHDRAW = "withdraw"
    CERTIFY = "certify"


TRANSITIONS: dict[Action, tuple[frozenset[ApplicationStatus], ApplicationStatus]] = {
    Action.START_REVIEW: (frozenset({S.SUBMITTED, S.RESUBMITTED}), S.UNDER_REVIEW),
    # Asking again while incomplete replaces the list of what is missing.
    Action.REQUEST_REVISION: (OPEN, S.INCOMPLETE),
    Action.RESUBMIT: (frozenset({S.INCOMPLETE}), S.RESUBMITTED),
    Action.APPROVE: (WAITING_ON_STAFF, S.APPROVED),
    Action.DENY: (OPEN, S.DENIED),
    Action.WITHDRAW: (OPEN, S.WITHDRAWN),
    # A pass certifies the approval it was taken under, whenever it arrives: a pass on or
    # before valid-through delivered later (applications was down, the vendor reported late)
    # still counts, even once the sweep has written the approval expired. The pass's day is
    # checked against valid-through by the certification, not here.
    Action.CERTIFY: (frozenset({S.APPROVED, S.EXPIRED}), S.CERTIFIED),
}


def allows(action: Action, current: ApplicationStatus) -> bool:
    """Whether ``action`` may be taken on an application in ``current``."""
    return current in TRANSITIONS[action][0]


def next_status(action: Action, current: ApplicationStatus) -> ApplicationStatus:
    """Where ``action`` takes an application in ``current``; refused with the state named."""
    sources, target = TRANSITIONS[action]
    if not allows(action, current):
        raise TransitionNotAllowed.naming_state(
            f"{action.value.replace('_', ' ')} an application",
            current,
            (s.value for s in sources),
        )
    return target


def effective_status(
    stored: ApplicationStatus,
    *,
    today: date,
    last_day_to_complete: date,
    valid_through: date | None,
) -> ApplicationStatus:
    """The status as of ``today``, deadlines applied even before the sweep has written them."""
    if stored is S.INCOMPLETE and today > last_day_to_complete:
        return S.VOID
    if stored is S.APPROVED and valid_through is not None and today > valid_through:
        return S.EXPIRED
    return stored
