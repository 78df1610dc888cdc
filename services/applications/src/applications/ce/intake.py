"""Checking a provider's CE batch row by row: what may be stored, or rejected and why."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError

from applications.ce.models import CeCourse
from applications.ce.repository import Holder
from applications.ce.schemas import CeOutcome, CeRowResult, CompletionRow
from applications.certification import numbers


@dataclass(frozen=True)
class Candidate:
    """A row well formed, of an active course of the provider, not in the future."""

    index: int
    row: CompletionRow
    course: CeCourse
    # The certificate number in its stored form (grouped, upper case).
    number: str


@dataclass(frozen=True)
class Ready:
    """A candidate whose number names a certification it can count toward."""

    candidate: Candidate
    holder: Holder


def rejected(index: int, raw: Any, field: str, reason: str) -> CeRowResult:
    """The result of a row refused for ``reason``, naming its completion id if it had one."""
    ident = raw.get("completion_id") if isinstance(raw, dict) else None
    return CeRowResult(
        index=index,
        completion_id=str(ident) if ident is not None else None,
        outcome=CeOutcome.REJECTED,
        field=field,
        reason=reason,
    )


def _validation_reason(error: ValidationError) -> tuple[str, str]:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "row"
    if field == "completed_on":
        return field, "malformed date: use YYYY-MM-DD"
    return field, str(first.get("msg", "invalid"))


def check_row(
    index: int, raw: Any, *, courses: Mapping[uuid.UUID, CeCourse], today: date
) -> Candidate | CeRowResult:
    """Every reason a row is refused before its person is looked up, in the order a person
    would check them."""
    if not isinstance(raw, dict):
        return rejected(index, raw, "row", "each completion must be a JSON object")
    try:
        row = CompletionRow.model_validate(raw)
    except ValidationError as exc:
        return rejected(index, raw, *_validation_reason(exc))
    course = courses.get(row.course_id)
    if course is None or not course.active:
        return rejected(
            index, raw, "course_id", "unknown course: not an approved CE course of this provider"
        )
    if row.completed_on > today:
        return rejected(index, raw, "completed_on", "completion date is in the future")
    number = numbers.normalise(row.certificate_number)
    if number is None:
        return rejected(
            index,
            raw,
            "certificate_number",
            "not a certificate number: check it against the certificate (12 symbols, "
            "like 7KQ3-M9XD-2HTB)",
        )
    return Candidate(index=index, row=row, course=course, number=number)


def find_holder(candidate: Candidate, holders: Mapping[str, Holder]) -> Ready | CeRowResult:
    """The candidate with the certification its number names, or why it cannot count."""
    index, raw = candidate.index, {"completion_id": candidate.row.completion_id}
    holder = holders.get(candidate.number)
    if holder is None:
        return rejected(index, raw, "certificate_number", "no certification has this number")
    if candidate.row.completed_on < holder.issued_on:
        return rejected(
            index,
            raw,
            "completed_on",
            f"completed before the certification was issued on {holder.issued_on.isoformat()}",
        )
    return Ready(candidate, holder)
