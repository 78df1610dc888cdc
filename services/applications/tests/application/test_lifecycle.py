"""The lifecycle table: every action from every state, and statuses that deadlines change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from applications.application.lifecycle import (
    FINAL,
    Action,
    ApplicationStatus,
    effective_status,
    next_status,
)
from applications.errors import TransitionNotAllowed

S = ApplicationStatus
EXPECTED = {
    (Action.START_REVIEW, S.SUBMITTED): S.UNDER_REVIEW,
    (Action.START_REVIEW, S.RESUBMITTED): S.UNDER_REVIEW,
    (Action.REQUEST_REVISION, S.SUBMITTED): S.INCOMPLETE,
    (Action.REQUEST_REVISION, S.UNDER_REVIEW): S.INCOMPLETE,
    (Action.REQUEST_REVISION, S.RESUBMITTED): S.INCOMPLETE,
    (Action.REQUEST_REVISION, S.INCOMPLETE): S.INCOMPLETE,
    (Action.RESUBMIT, S.INCOMPLETE): S.RESUBMITTED,
    (Action.APPROVE, S.SUBMITTED): S.APPROVED,
    (Action.APPROVE, S.UNDER_REVIEW): S.APPROVED,
    (Action.APPROVE, S.RESUBMITTED): S.APPROVED,
    (Action.CERTIFY, S.APPROVED): S.CERTIFIED,
    # A pass taken in time and delivered after the sweep wrote the approval expired.
    (Action.CERTIFY, S.EXPIRED): S.CERTIFIED,
    **{
        (Action.DENY, s): S.DENIED
        for s in (S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.RESUBMITTED)
    },
    **{
        (Action.WITHDRAW, s): S.WITHDRAWN
        for s in (S.SUBMITTED, S.UNDER_REVIEW, S.INCOMPLETE, S.RESUBMITTED)
    },
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_every_action_from_every_state(action: Action, status: ApplicationStatus) -> None:
    expected = EXPECTED.get((action, status))
    if expected is None:
        with pytest.raises(TransitionNotAllowed, match=status.value.replace("_", " ")):
            next_status(action, status)
    else:
        assert next_status(action, status) is expected


def test_final_states_admit_nothing_but_a_pass_in_time() -> None:
    for status in FINAL | {S.CERTIFIED}:
        allowed = [a for a in Action if (a, status) in EXPECTED]
        assert allowed == ([Action.CERTIFY] if status is S.EXPIRED else [])
    assert [a for a in Action if (a, S.APPROVED) in EXPECTED] == [Action.CERTIFY]


DAY = date(2026, 6, 8)


@pytest.mark.parametrize(
    ("stored", "today", "valid_through", "expected"),
    [
        (S.INCOMPLETE, DAY, None, S.INCOMPLETE),  # the last day to complete
        (S.INCOMPLETE, DAY + timedelta(days=1), None, S.VOID),
        (S.UNDER_REVIEW, DAY + timedelta(days=400), None, S.UNDER_REVIEW),  # waiting on staff
        (S.APPROVED, DAY, DAY, S.APPROVED),
        (S.APPROVED, DAY + timedelta(days=1), DAY, S.EXPIRED),
        (S.DENIED, DAY + timedelta(days=999), None, S.DENIED),
        (S.CERTIFIED, DAY + timedelta(days=1), DAY, S.CERTIFIED),  # never expired by a read
    ],
)
def test_effective_status(stored, today, valid_through, expected) -> None:
    assert (
        effective_status(stored, today=today, last_day_to_complete=DAY, valid_through=valid_through)
        is expected
    )


@given(st.sampled_from(list(ApplicationStatus)), st.integers(-500, 500))
def test_deadlines_only_ever_close(stored: ApplicationStatus, offset: int) -> None:
    status = effective_status(
        stored, today=DAY + timedelta(days=offset), last_day_to_complete=DAY, valid_through=DAY
    )
    assert status is stored or status in (S.VOID, S.EXPIRED)
