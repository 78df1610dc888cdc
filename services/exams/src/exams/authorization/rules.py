"""Pure rules of authorizations to test: windows, attempts, fees and eligibility (no I/O).

domain.md §Exams in practice, "Readings, exact": an authorization granted on day G is usable
through G + window, or the approval's valid-through day if that comes first; it is one attempt
once it ends (attempted, no-show, expired unused) unless it ended by vendor fault or a staff
void, and an open one counts toward the limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from exams.authorization.models import AuthorizationStatus, RequestKind
from exams.clients import ExamFee, TrainingCertificate
from exams.policy import ExamPolicy

S = AuthorizationStatus
OPEN = frozenset({S.GRANTED, S.SCHEDULED})
# Ended without using the candidate's attempt or fee.
NOT_COUNTED = frozenset({S.VENDOR_FAULT, S.VOIDED})
UNUSED = frozenset({S.NO_SHOW, S.EXPIRED_UNUSED})
FEE_KIND = {RequestKind.FIRST: "exam", RequestKind.RETAKE: "retake"}


@dataclass(frozen=True)
class Reason:
    """One unmet condition of an exam request, with a stable code."""

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class Past:
    """What the rules need of one authorization of the application."""

    status: AuthorizationStatus  # as of today (``effective_status``)
    granted_on: date
    valid_through: date
    fee_reference: str
    ended_on: date | None = None
    # The attempt recorded against it, if any: its day and whether it passed.
    taken_on: date | None = None
    passed: bool | None = None


def authorization_valid_through(
    granted_on: date, approval_valid_through: date, policy: ExamPolicy
) -> date:
    """The last day an authorization granted on ``granted_on`` may be used; never extended."""
    return min(
        granted_on + timedelta(days=policy.authorization_window_days), approval_valid_through
    )


def effective_status(
    stored: AuthorizationStatus, valid_through: date, today: date, *, attempted: bool = False
) -> AuthorizationStatus:
    """The status as of ``today``: an open authorization with an attempt recorded is
    attempted, and one past its last day is expired unused, before any sweep writes it."""
    if stored in OPEN and attempted:
        return S.ATTEMPTED
    if stored in OPEN and today > valid_through:
        return S.EXPIRED_UNUSED
    return stored


def counts_as_attempt(status: AuthorizationStatus, policy: ExamPolicy) -> bool:
    """Whether an authorization in ``status`` (as of today) uses one of the attempts."""
    if status in NOT_COUNTED:
        return False
    if status in UNUSED:
        return policy.unused_authorization_uses_attempt
    return True  # attempted, or still open


def uses_fee(status: AuthorizationStatus, policy: ExamPolicy) -> bool:
    """Whether the fee an authorization in ``status`` took is spent: a vendor fault or a staff
    void leaves it for the next authorization."""
    return counts_as_attempt(status, policy)


def failed_on(past: Past) -> date | None:
    """The day of a failed attempt: a fail, a no-show or an unused expiry; else None."""
    if past.status is S.ATTEMPTED and past.passed is False and past.taken_on is not None:
        return past.taken_on
    if past.status is S.NO_SHOW:
        return past.ended_on or past.valid_through
    if past.status is S.EXPIRED_UNUSED:
        return past.valid_through  # its last usable day: training after it is "later"
    return None


def latest_training(certificates: Sequence[TrainingCertificate]) -> date | None:
    """The completion day of the newest valid training certificate."""
    return max((c.completed_on for c in certificates), default=None)


@dataclass(frozen=True)
class AttemptCount:
    """Attempts used against the limit and left now: what a summary shows and what a request
    is decided by (``eligibility``), so the two never disagree."""

    used: int
    left: int
    limit: int
    # Where a new attempt needs new training (MT): the failed attempt's day that the newest
    # training does not come after; None when no new training is needed.
    needs_training_after: date | None


def attempt_count(
    history: Sequence[Past], certificates: Sequence[TrainingCertificate], policy: ExamPolicy
) -> AttemptCount:
    """Attempts used and left. Where a new attempt needs new training (MT) the limit is per
    training: an attempt that failed before the newest training's day no longer counts, and
    none is left while the last failure has no training completed on a later day."""
    counted = [p for p in history if counts_as_attempt(p.status, policy)]
    needs_training_after = None
    if policy.retake_requires_new_training:
        trained = latest_training(certificates)
        if trained is not None:
            counted = [p for p in counted if not _failed_before(p, trained)]
        last_failure = max((d for d in map(failed_on, history) if d is not None), default=None)
        if last_failure is not None and (trained is None or trained <= last_failure):
            needs_training_after = last_failure
    limit = policy.max_attempts_in_approval_period
    used = len(counted)
    left = 0 if needs_training_after is not None else max(0, limit - used)
    return AttemptCount(used, left, limit, needs_training_after)


def _failed_before(past: Past, day: date) -> bool:
    failed = failed_on(past)
    return failed is not None and failed < day


def request_kind(history: Sequence[Past], policy: ExamPolicy) -> RequestKind:
    """A first request until an authorization has used an attempt; a retake after."""
    if any(counts_as_attempt(p.status, policy) for p in history):
        return RequestKind.RETAKE
    return RequestKind.FIRST


def available_fee(
    kind: RequestKind, fees: Sequence[ExamFee], history: Sequence[Past], policy: ExamPolicy
) -> ExamFee | None:
    """The earliest recorded fee of the kind ``kind`` needs that no authorization has spent."""
    spent = {p.fee_reference for p in history if uses_fee(p.status, policy)}
    usable = [f for f in fees if f.kind == FEE_KIND[kind] and f.reference not in spent]
    return min(usable, key=lambda f: (f.paid_on, f.reference), default=None)


@dataclass(frozen=True)
class Eligibility:
    """What a request would be granted as, or every reason it is refused."""

    kind: RequestKind
    fee: ExamFee | None
    attempts: AttemptCount
    reasons: tuple[Reason, ...]


def eligibility(
    *,
    unmet: Sequence[Reason],
    fees: Sequence[ExamFee],
    certificates: Sequence[TrainingCertificate],
    history: Sequence[Past],
    policy: ExamPolicy,
) -> Eligibility:
    """Applications' unmet conditions plus exams' own: an open authorization, attempts left,
    new training after a failure (MT), an unspent fee of the right kind."""
    reasons = list(unmet)
    if any(p.status in OPEN for p in history):
        reasons.append(
            Reason(
                "AUTHORIZATION_OPEN",
                "an authorization to test is still open: use it, or staff void it",
                "application_id",
            )
        )
    if any(p.status is S.ATTEMPTED and p.passed for p in history):
        reasons.append(Reason("EXAM_ALREADY_PASSED", "the exam was already passed", None))
    attempts = attempt_count(history, certificates, policy)
    if attempts.used >= attempts.limit:
        reasons.append(
            Reason(
                "ATTEMPTS_EXHAUSTED",
                f"{attempts.used} of {attempts.limit} attempt(s) used: no attempt is left",
                "attempts",
            )
        )
    if attempts.needs_training_after is not None:
        reasons.append(
            Reason(
                "NEW_TRAINING_REQUIRED",
                f"after the failed attempt of {attempts.needs_training_after.isoformat()} a new "
                "attempt needs a training certificate completed on a later day",
                "training_certificate",
            )
        )
    kind = request_kind(history, policy)
    fee = available_fee(kind, fees, history, policy)
    if fee is None:
        reasons.append(
            Reason(
                "EXAM_FEE_MISSING",
                f"no unused {FEE_KIND[kind]} fee is recorded for this {kind.value} request",
                "fee",
            )
        )
    return Eligibility(kind=kind, fee=fee, attempts=attempts, reasons=tuple(reasons))


def review_due_on(fee: ExamFee, policy: ExamPolicy) -> date:
    """Scheduling details are due this day: the fee's day plus the policy's days."""
    return fee.paid_on + timedelta(days=policy.scheduling_review_days)
