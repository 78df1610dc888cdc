"""The supervision service's own failures, each with a stable code."""

from __future__ import annotations

from collections.abc import Sequence

from certboard_core.errors import Conflict, ErrorReason, InvalidInput


class SupervisorNotQualified(Conflict):
    """The supervisor fails one or more qualification conditions on the day asked."""

    code = "SUPERVISOR_NOT_QUALIFIED"

    def __init__(self, message: str, *, reasons: Sequence[ErrorReason]) -> None:
        super().__init__(message, field="supervisor_id", reasons=reasons)


class SupervisorExists(Conflict):
    code = "SUPERVISOR_EXISTS"


class AgreementActiveElsewhere(Conflict):
    """One active agreement per peer per employer at a time; the message names the other."""

    code = "AGREEMENT_ALREADY_ACTIVE"


class AgreementRetained(Conflict):
    """Supervision records are never deleted (kept at least 7 years after they end)."""

    code = "AGREEMENT_RETAINED"


class AgreementClosed(Conflict):
    """A terminated agreement takes no more changes or signatures, nor records after its end."""

    code = "AGREEMENT_TERMINATED"


class AlreadySigned(Conflict):
    code = "ALREADY_SIGNED"


class PeerDisciplined(Conflict):
    """Discipline bars the peer today: no supervision agreement while it lasts."""

    code = "PEER_DISCIPLINED"


class AttestationMissing(InvalidInput):
    code = "ATTESTATION_REQUIRED"


class AgreementNotActive(InvalidInput):
    """The agreement is not signed by both sides (sessions and hours need an active one)."""

    code = "AGREEMENT_NOT_ACTIVE"


class OutsideAgreement(InvalidInput):
    """The day is before the agreement starts or after it ends."""

    code = "OUTSIDE_AGREEMENT"


class InFuture(InvalidInput):
    """A session or hours that have not happened yet (by the service's clock)."""

    code = "IN_FUTURE"


class StopNotAfterStart(InvalidInput):
    code = "STOP_NOT_AFTER_START"


class LengthNotIncrement(InvalidInput):
    """A session length that is not a whole number of the policy's increments."""

    code = "LENGTH_NOT_INCREMENT"


class SessionOverlap(Conflict):
    """The supervisor already has a session at that time."""

    code = "SESSION_OVERLAP"


class SessionLocked(Conflict):
    """The session is signed off: only an amendment changes it."""

    code = "SESSION_LOCKED"


class Superseded(Conflict):
    """The record was replaced by an amendment: act on the amendment instead."""

    code = "SUPERSEDED"


class HoursAlreadyReported(Conflict):
    """Hours for that day or week are already reported under the agreement: amend them."""

    code = "HOURS_ALREADY_REPORTED"


class InvalidHours(InvalidInput):
    """Hours out of range, finer than hundredths, or a week not starting on a Monday."""

    code = "INVALID_HOURS"
