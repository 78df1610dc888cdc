"""What the API shows of a certification as of a day: the standing time gives it, its dates
and rule for the holder and staff, and the public's coarser status."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest

from applications.certification.models import Certification
from applications.certification.rules import CertificationStatus
from applications.certification.views import public_of, verification
from applications.credential.vc import Board
from applications.policy import build_policy

CA, MT = build_policy("CA"), build_policy("MT")
S = CertificationStatus
BOARD = Board("https://board.example", "The Board", CA.zone)


def stored(
    valid_through: date, status: S = S.ACTIVE, issued_on: date = date(2026, 5, 4)
) -> Certification:
    return Certification(
        number="AAAA-BBBB-CCCC",
        application_id=uuid.uuid4(),
        applicant_id="alice",
        holder_name="Maria Lopez",
        last_name_key="lopez",
        first_name_key="maria",
        issued_on=issued_on,
        valid_through=valid_through,
        status=status,
        attempt_id="a1",
        issued_at=datetime(2026, 5, 4, 17, tzinfo=UTC),
    )


def values(certification: Certification) -> dict[str, Any]:
    return certification.model_dump()


@pytest.mark.parametrize(
    ("today", "status", "since", "until"),
    [
        (date(2028, 2, 2), S.ACTIVE, date(2026, 5, 4), date(2028, 2, 2)),
        # CA: the window opens 90 days before the valid-through day, through that day.
        (date(2028, 2, 3), S.IN_RENEWAL_WINDOW, date(2028, 2, 3), date(2028, 5, 3)),
        (date(2028, 5, 3), S.IN_RENEWAL_WINDOW, date(2028, 2, 3), date(2028, 5, 3)),
        # CA: expired the day after, open-ended (never terminated).
        (date(2028, 5, 4), S.EXPIRED, date(2028, 5, 4), None),
    ],
)
def test_ca_standing_with_its_dates(today: date, status: S, since: date, until: date | None):
    shown = public_of(values(stored(date(2028, 5, 3))), today, CA)
    assert (shown.status, shown.status_since, shown.status_until) == (status, since, until)
    assert shown.status_rule.startswith(status.value.replace("_", " "))


@pytest.mark.parametrize(
    ("today", "status", "public"),
    [
        (date(2026, 10, 2), S.IN_RENEWAL_WINDOW, S.ACTIVE),
        (date(2027, 1, 1), S.LAPSED, S.LAPSED),  # day 1 after
        (date(2027, 2, 14), S.LAPSED, S.LAPSED),  # day 45
        (date(2027, 2, 15), S.EXPIRED, S.EXPIRED),  # day 46
        (date(2028, 12, 31), S.EXPIRED, S.EXPIRED),  # valid-through + 24 months
        (date(2029, 1, 1), S.TERMINATED, S.EXPIRED),  # shown publicly as expired
    ],
)
def test_mt_standing_and_what_the_public_sees(today: date, status: S, public: S) -> None:
    certification = stored(date(2026, 12, 31))
    assert public_of(values(certification), today, MT).status is status
    shown = verification(certification, today, MT, [], BOARD)
    assert shown.status is public
    # A credential is offered exactly while one can be had.
    link = "https://board.example/v1/verification/AAAA-BBBB-CCCC/credential"
    assert shown.credential_url == (link if public in (S.ACTIVE, S.LAPSED) else None)


@pytest.mark.parametrize("discipline", [S.SUSPENDED, S.REVOKED])
def test_discipline_wins_over_time(discipline: S) -> None:
    certification = stored(date(2028, 5, 3), discipline)
    for today in (date(2026, 5, 4), date(2031, 1, 1)):
        shown = public_of(values(certification), today, CA)
        assert (shown.status, shown.status_until) == (discipline, None)
        shown_publicly = verification(certification, today, CA, [], BOARD)
        assert (shown_publicly.status, shown_publicly.credential_url) == (discipline, None)


def test_the_stored_status_does_not_hold_time_back() -> None:
    # The sweep has not run since the valid-through day: the read is right anyway.
    certification = stored(date(2026, 12, 31), S.ACTIVE)
    assert public_of(values(certification), date(2027, 1, 1), MT).status is S.LAPSED
