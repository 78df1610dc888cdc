"""Checking a provider's batch row by row: what is accepted, a duplicate, or rejected and why."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from applications import rules
from applications.certificate.schemas import CertificateRow, Outcome, RowResult
from applications.policy import ApplicationPolicy
from applications.provider.models import TrainingProgram
from certboard_core.errors import DomainError
from certboard_core.storage import CheckedDocument, check_document


@dataclass(frozen=True)
class Candidate:
    """A row that passed every check and may be stored."""

    index: int
    row: CertificateRow
    file: CheckedDocument | None


_DATE_FIELDS = {"date_of_birth", "completion_date"}


def _validation_reason(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "row"
    if field in _DATE_FIELDS:
        return field, "malformed date: use YYYY-MM-DD"
    return field, str(first.get("msg", "invalid"))


def check_row(
    index: int,
    raw: dict[str, Any],
    *,
    programs: dict[uuid.UUID, TrainingProgram],
    today: date,
    policy: ApplicationPolicy,
    max_file_bytes: int,
) -> Candidate | RowResult:
    """Every rejection reason a provider can get, in the order a person would check them."""
    certificate_id = raw.get("certificate_id") if isinstance(raw, dict) else None
    ident = str(certificate_id) if certificate_id is not None else None

    def rejected(field: str, reason: str) -> RowResult:
        return RowResult(
            index=index, certificate_id=ident, outcome=Outcome.REJECTED, field=field, reason=reason
        )

    if not isinstance(raw, dict):
        return rejected("row", "each certificate must be a JSON object")
    try:
        row = CertificateRow.model_validate(raw)
    except ValidationError as exc:
        return rejected(*_validation_reason(exc))
    program = programs.get(row.program_id)
    if program is None or not program.active:
        return rejected("program_id", "unknown program: not an approved program of this provider")
    if program.hours < policy.training_min_hours or row.hours < policy.training_min_hours:
        return rejected("hours", f"hours below the policy minimum of {policy.training_min_hours}")
    if row.completion_date > today:
        return rejected("completion_date", "completion date is in the future")
    if rules.certificate_valid_through(row.completion_date, policy) < today:
        return rejected(
            "completion_date",
            f"older than the {policy.training_valid_years}-year validity of a certificate",
        )
    if row.date_of_birth >= row.completion_date:
        return rejected("date_of_birth", "date of birth is not before the completion date")
    file = None
    if row.file_base64:
        try:
            data = base64.b64decode(row.file_base64, validate=True)
        except (binascii.Error, ValueError):
            return rejected("file_base64", "the file is not valid base64")
        try:
            file = check_document(data, field="file_base64", max_bytes=max_file_bytes)
        except DomainError as exc:
            return rejected("file_base64", exc.message)
    return Candidate(index=index, row=row, file=file)
