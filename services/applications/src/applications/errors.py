"""The applications service's own failures, each with a stable code."""

from __future__ import annotations

from collections.abc import Iterable

from certboard_core.errors import Conflict, InvalidInput


class TransitionNotAllowed(Conflict):
    """The action is one the state of its object (an application, a certificate) forbids."""

    code = "TRANSITION_NOT_ALLOWED"

    @classmethod
    def naming_state(cls, doing: str, current: str, allowed: Iterable[str]) -> TransitionNotAllowed:
        """The refusal of ``doing`` in state ``current``, saying in which states it is allowed."""
        return cls(
            f"cannot {doing} that is {current.replace('_', ' ')} "
            f"(only when: {', '.join(sorted(allowed))})",
            field="status",
        )


class OpenApplicationExists(Conflict):
    """A person has at most one open application at a time (domain.md §Application 1)."""

    code = "OPEN_APPLICATION_EXISTS"


class ApplicantTooYoung(InvalidInput):
    code = "APPLICANT_TOO_YOUNG"


class AttestationMissing(InvalidInput):
    code = "ATTESTATION_REQUIRED"
