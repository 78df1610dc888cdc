"""STAND-IN, to be removed at integration: applications' exam-standing endpoint
(``GET /internal/applications/{id}/exam-standing``, contract 1 of the brief) is built on
another branch. Until it lands, exams' calls to it are answered here, for the application ids
a test registers; every other request of the exams service goes on to the real services.

Switching: once the real route exists, stop calling ``fake_exam_standing`` (the World's
``exam_application`` then needs an application really approved, with a certificate and an
exam fee)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx

from certboard_core.testing.transport import RoutingTransport

from .conftest import System

_PATH = re.compile(r"/internal/applications/([0-9a-f-]+)/exam-standing")
T0_DAY = date(2026, 3, 10)  # T0 in the board's zone (Los Angeles)


def approved_standing(application_id: str, applicant_id: str, **overrides: Any) -> dict[str, Any]:
    """The answer for an approved application with a valid certificate and an exam fee."""
    answer: dict[str, Any] = {
        "application_id": application_id,
        "applicant_id": applicant_id,
        "status": "approved",
        "approved_on": T0_DAY.isoformat(),
        "valid_through": (T0_DAY + timedelta(days=364)).isoformat(),
        "training_certificates": [
            {
                "id": "5b1a8d52-8c55-4d9e-9c1c-3b0d7c1f2a10",
                "completed_on": (T0_DAY - timedelta(days=10)).isoformat(),
                "valid_through": (T0_DAY + timedelta(days=720)).isoformat(),
            }
        ],
        "exam_fees": [
            {"reference": f"exam-{application_id}", "kind": "exam", "paid_on": T0_DAY.isoformat()}
        ],
        "unmet": [],
    }
    answer.update(overrides)
    return answer


class FakeExamStanding(httpx.AsyncBaseTransport):
    """Answers exam-standing for registered ids; passes everything else on."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.standings: dict[str, dict[str, Any]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        match = _PATH.fullmatch(request.url.path)
        if match and match.group(1) in self.standings:
            return httpx.Response(200, json=self.standings[match.group(1)])
        return await self.inner.handle_async_request(request)


def fake_exam_standing(system: System) -> FakeExamStanding:
    """Put the stand-in in front of the exams service's outgoing calls (once per system)."""
    exams = system.services["exams"]
    current = exams.state.http
    if isinstance(current, _FakeClient):
        return current.fake
    routes = {name: httpx.ASGITransport(app=app) for name, app in system.services.items()}
    fake = FakeExamStanding(RoutingTransport(routes))  # type: ignore[arg-type]
    exams.state.http = _FakeClient(fake, timeout=current.timeout)
    return fake


class _FakeClient(httpx.AsyncClient):
    def __init__(self, fake: FakeExamStanding, **kwargs: Any) -> None:
        super().__init__(transport=fake, **kwargs)
        self.fake = fake
