"""The supervision service's own failures, each with a stable code.

``Refused`` carries every unmet condition as ``reasons``. certboard_core's error shape gains
the same optional list on another branch; until the two meet, this service renders it with its
own handler (``install_reason_handler``), in the same shape: ``error.reasons`` is a list of
``{code, message, field}`` present only on refusals that have them.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from certboard_core.errors import Conflict, ErrorDetail, InvalidInput


class ErrorReason(BaseModel):
    """One of several reasons a request was refused (every unmet condition, not the first)."""

    code: str
    message: str
    field: str | None = None


class ErrorDetailWithReasons(ErrorDetail):
    reasons: list[ErrorReason] | None = None


class ErrorResponseWithReasons(BaseModel):
    error: ErrorDetailWithReasons


class SupervisorNotQualified(Conflict):
    """The supervisor fails one or more qualification conditions on the day asked."""

    code = "SUPERVISOR_NOT_QUALIFIED"

    def __init__(self, message: str, *, reasons: Sequence[ErrorReason]) -> None:
        super().__init__(message, field="supervisor_id")
        self.reasons = list(reasons)


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


async def _with_reasons(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SupervisorNotQualified)
    body = ErrorResponseWithReasons(
        error=ErrorDetailWithReasons(
            code=exc.code,
            message=exc.message,
            field=exc.field,
            request_id=getattr(request.state, "request_id", None),
            reasons=exc.reasons,
        )
    )
    return JSONResponse(body.model_dump(), status_code=exc.status_code)


def install_reason_handler(app: FastAPI) -> None:
    """Render refusals that list reasons with them (the most specific handler wins)."""
    app.add_exception_handler(SupervisorNotQualified, _with_reasons)
