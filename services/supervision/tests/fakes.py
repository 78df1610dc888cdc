"""A stand-in for the applications service: whom discipline bars today."""

from __future__ import annotations

from typing import Any

import httpx


class FakeApplications:
    """Answers ``/internal/discipline/bars``; ``down`` makes every call fail to connect."""

    def __init__(self) -> None:
        self.barred: dict[str, list[dict[str, Any]]] = {}
        self.down = False
        self.calls: list[httpx.Request] = []

    def bar(self, applicant_id: str, status: str = "suspended") -> None:
        self.barred[applicant_id] = [
            {
                "code": f"CERTIFICATION_{status.upper()}",
                "message": f"certificate 7KQ3-M9XD-2HTB is {status}",
                "field": "certification",
            }
        ]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.down:
            raise httpx.ConnectError("applications is down", request=request)
        if request.url.path != "/internal/discipline/bars":
            return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "no"}})
        applicant = request.url.params["applicant_id"]
        reasons = self.barred.get(applicant, [])
        return httpx.Response(
            200, json={"applicant_id": applicant, "barred": bool(reasons), "reasons": reasons}
        )
