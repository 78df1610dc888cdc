"""Pure rules of credentials: whole local days in UTC, the last day one is relied on, and
which bit a stored status turns on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from applications.certification.rules import CertificationStatus
from applications.credential.models import StatusPurpose
from applications.credential.rules import CARRIES_CREDENTIAL, bit_on, last_valid_day
from applications.credential.vc import end_of, stamp, start_of
from applications.policy import build_policy

LA = ZoneInfo("America/Los_Angeles")
S = CertificationStatus


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        # Spring forward: a 23-hour day from PST into PDT.
        (date(2026, 3, 8), "2026-03-08T08:00:00Z", "2026-03-09T06:59:59Z"),
        # Fall back: a 25-hour day.
        (date(2026, 11, 1), "2026-11-01T07:00:00Z", "2026-11-02T07:59:59Z"),
        (date(2028, 5, 3), "2028-05-03T07:00:00Z", "2028-05-04T06:59:59Z"),
    ],
)
def test_a_local_day_in_utc(day: date, first: str, last: str) -> None:
    assert (stamp(start_of(day, LA)), stamp(end_of(day, LA))) == (first, last)


def test_a_stamp_is_utc_to_the_second() -> None:
    instant = datetime(2026, 5, 5, 10, 0, 0, 999_999, tzinfo=LA)
    assert stamp(instant) == "2026-05-05T17:00:00Z"
    assert stamp(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"


def test_the_last_day_is_valid_through_or_the_lapse_end() -> None:
    # CA gives no grace: expired the day after; MT: lapsed 45 days, still practising.
    assert last_valid_day(date(2028, 5, 3), build_policy("CA", {})) == date(2028, 5, 3)
    assert last_valid_day(date(2028, 5, 3), build_policy("MT", {})) == date(2028, 6, 17)


@pytest.mark.parametrize("stored", list(S))
@pytest.mark.parametrize("flagged", [False, True])
def test_a_bit_is_on_when_flagged_or_the_status_is_the_lists(
    stored: CertificationStatus, flagged: bool
) -> None:
    today = date(2027, 6, 30)

    def on(purpose: StatusPurpose, suspended_through: date | None = None) -> bool:
        return bit_on(
            purpose,
            flagged=flagged,
            stored=stored,
            suspended_through=suspended_through,
            today=today,
        )

    assert on(StatusPurpose.REVOCATION) == (flagged or stored in (S.REVOKED, S.SURRENDERED))
    assert on(StatusPurpose.SUSPENSION) == (flagged or stored is S.SUSPENDED)
    # Through its last day, and off the day after, whether or not the sweep has written it.
    assert on(StatusPurpose.SUSPENSION, today) == (flagged or stored is S.SUSPENDED)
    assert on(StatusPurpose.SUSPENSION, date(2027, 6, 29)) == flagged


def test_only_those_valid_to_practise_carry_a_credential() -> None:
    assert {S.ACTIVE, S.IN_RENEWAL_WINDOW, S.LAPSED} == CARRIES_CREDENTIAL
    assert not CARRIES_CREDENTIAL & {S.EXPIRED, S.TERMINATED, S.SUSPENDED, S.REVOKED}
