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
    """A terminated agreement takes no more changes or signatures."""

    code = "AGREEMENT_TERMINATED"


class AlreadySigned(Conflict):
    code = "ALREADY_SIGNED"


class AttestationMissing(InvalidInput):
    code = "ATTESTATION_REQUIRED"
