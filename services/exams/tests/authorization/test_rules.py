"""The authorization rules at their boundaries (domain.md §Exams in practice, "Readings, exact")."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.authorization import rules
from exams.authorization.models import AuthorizationStatus as S
from exams.authorization.models import RequestKind
from exams.clients import ExamFee, TrainingCertificate
from exams.policy import build_policy

CA = build_policy("CA")
MT = build_policy("MT")
G = date(2026, 3, 10)
FAR = date(2027, 3, 9)


def past(status: S, *, granted: date = G, fee: str = "FEE-1", **kw: object) -> rules.Past:
    return rules.Past(
        status=status,
        granted_on=granted,
        valid_through=kw.pop("valid_through", granted + timedelta(days=90)),  # type: ignore[arg-type]
        fee_reference=fee,
        **kw,  # type: ignore[arg-type]
    )


def fee(reference: str, kind: str = "exam", paid_on: date = G) -> ExamFee:
    return ExamFee(reference=reference, kind=kind, paid_on=paid_on)  # type: ignore[arg-type]


def training(completed_on: date) -> TrainingCertificate:
    return TrainingCertificate(
        id=uuid.uuid4(), completed_on=completed_on, valid_through=completed_on + timedelta(days=700)
    )


class TestWindow:
    def test_granted_on_g_is_usable_through_g_plus_90(self) -> None:
        last = rules.authorization_valid_through(G, FAR, CA)
        assert last == G + timedelta(days=90)
        stored = S.GRANTED
        assert rules.effective_status(stored, last, G + timedelta(days=90)) is S.GRANTED
        assert rules.effective_status(stored, last, G + timedelta(days=91)) is S.EXPIRED_UNUSED

    @pytest.mark.parametrize(("days", "last"), [(89, 89), (90, 90), (91, 90), (0, 0)])
    def test_the_approval_s_valid_through_caps_it(self, days: int, last: int) -> None:
        valid_through = G + timedelta(days=days)
        assert rules.authorization_valid_through(G, valid_through, CA) == G + timedelta(days=last)

    def test_an_attempt_recorded_makes_it_attempted_even_past_its_window(self) -> None:
        later = G + timedelta(days=200)
        assert rules.effective_status(S.SCHEDULED, G, later, attempted=True) is S.ATTEMPTED

    @pytest.mark.parametrize("ended", [S.NO_SHOW, S.VENDOR_FAULT, S.VOIDED, S.ATTEMPTED])
    def test_an_ended_one_keeps_its_outcome(self, ended: S) -> None:
        assert rules.effective_status(ended, G, G + timedelta(days=365)) is ended


class TestAttempts:
    @pytest.mark.parametrize(
        ("status", "counts"),
        [
            (S.GRANTED, True),
            (S.SCHEDULED, True),
            (S.ATTEMPTED, True),
            (S.NO_SHOW, True),
            (S.EXPIRED_UNUSED, True),
            (S.VENDOR_FAULT, False),
            (S.VOIDED, False),
        ],
    )
    def test_which_outcomes_use_an_attempt(self, status: S, counts: bool) -> None:
        assert rules.counts_as_attempt(status, CA) is counts
        assert rules.uses_fee(status, CA) is counts

    def test_unused_ones_are_free_when_the_policy_says_so(self) -> None:
        lenient = build_policy("CA", {"unused_authorization_uses_attempt": False})
        assert not rules.counts_as_attempt(S.NO_SHOW, lenient)
        assert not rules.counts_as_attempt(S.EXPIRED_UNUSED, lenient)
        assert rules.counts_as_attempt(S.ATTEMPTED, lenient)

    def test_three_then_refused_under_ca(self) -> None:
        history = [past(S.ATTEMPTED, passed=False, taken_on=G, fee=f"F{i}") for i in range(3)]
        fees = [fee("F0"), fee("F1", "retake"), fee("F2", "retake"), fee("F3", "retake")]
        decision = rules.eligibility(
            unmet=[], fees=fees, certificates=[training(G)], history=history, policy=CA
        )
        assert (decision.attempts.used, decision.attempts.left) == (3, 0)
        assert [r.code for r in decision.reasons] == ["ATTEMPTS_EXHAUSTED"]
        assert "3 of 3" in decision.reasons[0].message

    def test_two_used_leaves_one_retake(self) -> None:
        history = [past(S.ATTEMPTED, passed=False, taken_on=G, fee=f"F{i}") for i in range(2)]
        fees = [fee("F0"), fee("F1", "retake"), fee("F2", "retake")]
        decision = rules.eligibility(
            unmet=[], fees=fees, certificates=[training(G)], history=history, policy=CA
        )
        assert decision.reasons == ()
        assert (decision.kind, decision.fee) == (RequestKind.RETAKE, fees[2])
        assert decision.attempts.left == 1


class TestFees:
    def test_a_first_request_needs_an_exam_fee_and_a_retake_a_retake_fee(self) -> None:
        assert rules.available_fee(RequestKind.FIRST, [fee("R", "retake")], [], CA) is None
        assert rules.available_fee(RequestKind.RETAKE, [fee("E")], [], CA) is None
        assert rules.available_fee(RequestKind.FIRST, [fee("E")], [], CA) == fee("E")

    def test_a_vendor_fault_leaves_its_fee_for_a_new_first_request(self) -> None:
        history = [past(S.VENDOR_FAULT, fee="E")]
        assert rules.request_kind(history, CA) is RequestKind.FIRST
        assert rules.available_fee(RequestKind.FIRST, [fee("E")], history, CA) == fee("E")

    def test_a_no_show_forfeits_its_fee(self) -> None:
        history = [past(S.NO_SHOW, fee="E")]
        assert rules.request_kind(history, CA) is RequestKind.RETAKE
        decision = rules.eligibility(
            unmet=[], fees=[fee("E")], certificates=[], history=history, policy=CA
        )
        assert [r.code for r in decision.reasons] == ["EXAM_FEE_MISSING"]
        assert "retake" in decision.reasons[0].message

    def test_the_earliest_unspent_fee_is_used(self) -> None:
        fees = [fee("B", paid_on=G + timedelta(days=2)), fee("A", paid_on=G + timedelta(days=1))]
        assert rules.available_fee(RequestKind.FIRST, fees, [], CA) == fees[1]


class TestMontana:
    failed = past(S.ATTEMPTED, passed=False, taken_on=G + timedelta(days=5), fee="E")
    fees = (fee("E"), fee("R", "retake"))

    def codes(self, trained: list[date]) -> list[str]:
        decision = rules.eligibility(
            unmet=[],
            fees=self.fees,
            certificates=[training(d) for d in trained],
            history=[self.failed],
            policy=MT,
        )
        return [r.code for r in decision.reasons]

    def test_one_attempt_then_refused(self) -> None:
        assert self.codes([G - timedelta(days=30)]) == [
            "ATTEMPTS_EXHAUSTED",
            "NEW_TRAINING_REQUIRED",
        ]

    def test_training_on_the_day_of_the_failure_is_not_later(self) -> None:
        assert "NEW_TRAINING_REQUIRED" in self.codes([G + timedelta(days=5)])

    def test_training_on_a_later_day_opens_a_new_attempt(self) -> None:
        assert self.codes([G - timedelta(days=30), G + timedelta(days=6)]) == []

    def test_training_while_the_failed_authorization_was_open_is_not_later(self) -> None:
        # Granted on G, training completed on G+3, failed on G+5: still used, none left.
        trained = [training(G + timedelta(days=3))]
        count = rules.attempt_count([self.failed], trained, MT)
        assert (count.used, count.left, count.needs_training_after) == (1, 0, G + timedelta(days=5))
        assert self.codes([G + timedelta(days=3)]) == [
            "ATTEMPTS_EXHAUSTED",
            "NEW_TRAINING_REQUIRED",
        ]

    def test_newer_training_retires_the_failure_and_leaves_one(self) -> None:
        trained = [training(G - timedelta(days=30)), training(G + timedelta(days=6))]
        count = rules.attempt_count([self.failed], trained, MT)
        assert (count.used, count.left, count.needs_training_after) == (0, 1, None)

    def test_an_unused_expiry_is_a_failure_on_its_last_day(self) -> None:
        expired = past(S.EXPIRED_UNUSED, valid_through=G + timedelta(days=90), fee="E")
        assert rules.failed_on(expired) == G + timedelta(days=90)

    def test_ca_needs_no_new_training(self) -> None:
        decision = rules.eligibility(
            unmet=[], fees=self.fees, certificates=[], history=[self.failed], policy=CA
        )
        assert decision.reasons == ()


def test_every_unmet_reason_is_listed_at_once() -> None:
    applications_unmet = [rules.Reason("EXAM_REQUEST_TOO_LATE", "too late", "valid_through")]
    history = [past(S.GRANTED, fee="E")]
    decision = rules.eligibility(
        unmet=applications_unmet, fees=[], certificates=[], history=history, policy=CA
    )
    assert [r.code for r in decision.reasons] == [
        "EXAM_REQUEST_TOO_LATE",
        "AUTHORIZATION_OPEN",
        "EXAM_FEE_MISSING",
    ]


STATUSES = st.sampled_from(list(S))


@given(st.lists(STATUSES, max_size=8), st.booleans(), st.integers(1, 5))
def test_attempts_used_never_exceed_authorizations_and_left_is_the_rest(
    statuses: list[S], unused_counts: bool, limit: int
) -> None:
    policy = build_policy(
        "CA",
        {
            "unused_authorization_uses_attempt": unused_counts,
            "max_attempts_in_approval_period": limit,
        },
    )
    history = [past(s, fee=f"F{i}") for i, s in enumerate(statuses)]
    count = rules.attempt_count(history, [], policy)
    assert 0 <= count.used <= len(history)
    assert count.used == sum(s not in (S.VENDOR_FAULT, S.VOIDED) for s in statuses) - (
        0 if unused_counts else sum(s in (S.NO_SHOW, S.EXPIRED_UNUSED) for s in statuses)
    )
    assert count.left == max(0, limit - count.used)


ENDED = st.sampled_from([S.ATTEMPTED, S.NO_SHOW, S.EXPIRED_UNUSED, S.VENDOR_FAULT, S.VOIDED])
DAY = st.integers(0, 60).map(lambda n: G + timedelta(days=n))


@given(
    st.lists(st.tuples(ENDED, DAY, st.integers(0, 10)), max_size=4),
    st.lists(DAY, max_size=3),
    st.sampled_from(["CA", "MT"]),
    st.integers(1, 3),
)
def test_a_summary_shows_an_attempt_left_exactly_when_a_request_is_granted(
    ended: list[tuple[S, date, int]], trained: list[date], preset: str, limit: int
) -> None:
    # Failed attempts only (none open, none passed), each granted some days before it ended,
    # and every fee paid: what is left alone decides.
    policy = build_policy(preset, {"max_attempts_in_approval_period": limit})
    history = [
        past(
            status,
            granted=day - timedelta(days=before),
            fee=f"F{i}",
            taken_on=day,
            passed=False,
            ended_on=day,
        )
        for i, (status, day, before) in enumerate(ended)
    ]
    fees = [fee("E")] + [fee(f"R{i}", "retake") for i in range(5)]
    certificates = [training(d) for d in trained]
    count = rules.attempt_count(history, certificates, policy)
    decision = rules.eligibility(
        unmet=[], fees=fees, certificates=certificates, history=history, policy=policy
    )
    assert (count.left > 0) == (decision.reasons == ())
    assert decision.attempts == count


@given(st.dates(), st.dates(), st.integers(1, 400))
def test_a_window_never_passes_either_limit(granted: date, approval: date, window: int) -> None:
    policy = build_policy("CA", {"authorization_window_days": window})
    try:
        last = rules.authorization_valid_through(granted, approval, policy)
    except OverflowError:
        return
    assert last <= approval
    assert last <= granted + timedelta(days=window)
    assert last in (approval, granted + timedelta(days=window))
