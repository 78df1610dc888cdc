"""The gateway over a recorded applications service: what it asks the service, and how often."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import bearer
from certboard_core.testing.transport import RoutingTransport
from gateway.config import Settings
from gateway.main import create_app

IDS = [str(uuid.UUID(int=n)) for n in (1, 2, 3)]


def _summary(application_id: str) -> dict[str, Any]:
    return {
        "id": application_id,
        "applicant_id": "alice",
        "status": "incomplete",
        "first_name": "Maria",
        "last_name": "Lopez",
        "date_of_birth": "1990-05-17",
        "email": "maria@example.org",
        "lived_experience": "consumer",
        "submitted_at": "2026-01-15T18:00:00Z",
        "submitted_on": "2026-01-15",
        "approved_at": None,
        "decision_reason": None,
        "background_check": "not_verified",
        "version": 3,
        "deadlines": {
            "today": "2026-01-16",
            "first_notification_due_on": "2026-02-14",
            "first_notification_days_left": 29,
            "first_notified_on": "2026-01-15",
            "first_notification_on_time": True,
            "last_day_to_complete": "2026-04-15",
            "void_from": "2026-04-16",
            "days_left_to_complete": 89,
            "valid_through": None,
            "days_left_valid": None,
            "exam_request_cutoff": None,
            "days_left_to_request_exam": None,
        },
    }


def _detail(application_id: str) -> dict[str, Any]:
    return {
        **_summary(application_id),
        "code_of_ethics_agreed": True,
        "willing_to_share_experience": True,
        "recovery_two_years_attested": None,
        "diagnosis_treatment_attested": None,
        "missing": ["government_id"],
        "documents": [],
        "revision_requests": [],
        "notifications": [
            {
                "id": str(uuid.uuid4()),
                "reason": "revision_requested",
                "subject": "Please send a readable ID",
                "body": "…",
                "created_at": "2026-01-15T18:00:00Z",
            }
        ],
        "payments": [],
        "training_certificates": [],
    }


class Recorded:
    """Answers like the applications service and counts every request by path."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls[path] += 1
        if path == "/v1/applications":
            return httpx.Response(
                200, json={"items": [_summary(i) for i in IDS], "next_cursor": None}
            )
        application_id = path.removeprefix("/v1/applications/")
        if application_id == IDS[2]:
            error = {"code": "NOT_FOUND", "message": "no such application", "field": "id"}
            return httpx.Response(404, json={"error": error})
        return httpx.Response(200, json=_detail(application_id))


@pytest.fixture
async def recorded(dev_data_dir: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Recorded]]:
    settings = Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    backend = Recorded()
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: RoutingTransport({}) for name in settings.backends
    }
    transports["applications"] = httpx.MockTransport(backend)
    app = create_app(settings, transports=transports)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        yield client, backend


async def test_a_list_reads_each_detail_once_however_often_it_is_asked(recorded, mint) -> None:
    client, backend = recorded
    query = """
    { applications(first: 3) { items {
        id status deadlines { daysLeftToComplete }
        missing
        notifications { reason }
        again: notifications { subject }
    } } }
    """
    body = (
        await client.post("/graphql", json={"query": query}, headers=bearer(mint("staff", "s")))
    ).json()
    # The third detail failed: its error is the service's, at its own path.
    assert {tuple(e["path"][:3]) for e in body["errors"]} == {("applications", "items", 2)}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}
    assert backend.calls == Counter(
        {"/v1/applications": 1, **{f"/v1/applications/{i}": 1 for i in IDS}}
    )


async def test_summary_fields_alone_need_no_detail(recorded, mint) -> None:
    client, backend = recorded
    query = "{ myApplications { id status firstNotificationDueOn deadlines { voidFrom } } }"
    body = (
        await client.post(
            "/graphql", json={"query": query}, headers=bearer(mint("applicant", "alice"))
        )
    ).json()
    assert "errors" not in body, body
    assert body["data"]["myApplications"][0] == {
        "id": IDS[0],
        "status": "INCOMPLETE",
        "firstNotificationDueOn": "2026-02-14",
        "deadlines": {"voidFrom": "2026-04-16"},
    }
    assert backend.calls == Counter({"/v1/applications": 1})
