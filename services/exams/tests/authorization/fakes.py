"""A stand-in for applications' ``GET /internal/applications/{id}/exam-standing`` and its batch
``GET /internal/applications/exam-standings``, answered from a dict the test fills; it can also
be made to be down."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

import httpx

from certboard_core.testing.plugin import T0

TODAY = date(2026, 3, 10)  # T0 in Los Angeles
_PATH = re.compile(r"/internal/applications/([0-9a-f-]+)/exam-standing")
_BATCH = "/internal/applications/exam-standings"


def standing(applicant: str, **overrides: Any) -> dict[str, Any]:
    """An approved application with a valid training certificate and an unused exam fee."""
    answer: dict[str, Any] = {
        "application_id": str(uuid.uuid4()),
        "applicant_id": applicant,
        "status": "approved",
        "approved_on": (TODAY - timedelta(days=30)).isoformat(),
        "valid_through": (TODAY + timedelta(days=300)).isoformat(),
        "training_certificates": [
            {
                "id": str(uuid.uuid4()),
                "completed_on": (TODAY - timedelta(days=20)).isoformat(),
                "valid_through": (TODAY + timedelta(days=700)).isoformat(),
            }
        ],
        "exam_fees": [{"reference": "EXAM-1", "kind": "exam", "paid_on": TODAY.isoformat()}],
        "unmet": [],
    }
    answer.update(overrides)
    return answer


class FakeApplications:
    """Answers exam-standing questions; ``down`` makes every call fail to connect."""

    def __init__(self) -> None:
        self.standings: dict[str, dict[str, Any]] = {}
        self.down = False
        self.calls: list[httpx.Request] = []

    def add(self, applicant: str, **overrides: Any) -> dict[str, Any]:
        """A new approved application of ``applicant``; returns its standing (mutable)."""
        answer = standing(applicant, **overrides)
        self.standings[answer["application_id"]] = answer
        return answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.down:
            raise httpx.ConnectError("applications is down", request=request)
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return httpx.Response(401, json={"error": {"code": "UNAUTHENTICATED", "message": "no"}})
        if request.url.path == _BATCH:
            asked = request.url.params.get_list("application_id")
            found = [self.standings[i] for i in asked if i in self.standings]
            return httpx.Response(200, json={"items": found})
        match = _PATH.fullmatch(request.url.path)
        if match is None:
            return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "no"}})
        found = self.standings.get(match.group(1))
        if found is None:
            return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "no"}})
        return httpx.Response(200, json=found)


__all__ = ["T0", "TODAY", "FakeApplications", "standing"]
