"""The gateway over a recorded applications service: what it asks the service, and how often."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import bearer
from certboard_core.testing.transport import RoutingTransport
from gateway.config import Settings
from gateway.main import create_app

LIST = "/v1/applications"
VIEWS = "/v1/applications/views"
INSTANT = "2026-01-15T18:00:00Z"


def _ids(count: int) -> list[str]:
    return [str(uuid.UUID(int=n)) for n in range(1, count + 1)]


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
        "submitted_at": INSTANT,
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


def _certificate(application_id: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "provider_id": str(uuid.uuid4()),
        "program_id": str(uuid.uuid4()),
        "provider_certificate_id": f"C-{application_id[-4:]}",
        "legal_name": "Maria Lopez",
        "date_of_birth": "1990-05-17",
        "email": "maria@example.org",
        "completed_on": "2026-01-02",
        "hours": 40,
        "valid_through": "2028-01-02",
        "applicant_id": "alice",
        "application_id": application_id,
        "received_at": INSTANT,
        "review_due_on": "2026-01-29",
        "status": "pending_review",
        "reviewed_at": None,
        "review_reason": None,
        "has_file": False,
        "version": 1,
    }


def _view(application_id: str) -> dict[str, Any]:
    return {
        **_summary(application_id),
        "code_of_ethics_agreed": True,
        "willing_to_share_experience": True,
        "recovery_two_years_attested": None,
        "diagnosis_treatment_attested": None,
        "missing": ["government_id"],
        "documents": [
            {
                "id": str(uuid.uuid4()),
                "kind": "diploma",
                "version": 1,
                "current": True,
                "content_type": "application/pdf",
                "size_bytes": 1200,
                "sha256": "0" * 64,
                "original_filename": "diploma.pdf",
                "uploaded_at": INSTANT,
            }
        ],
        "revision_requests": [],
        "notifications": [
            {
                "id": str(uuid.uuid4()),
                "reason": "revision_requested",
                "subject": "Please send a readable ID",
                "body": "…",
                "created_at": INSTANT,
            }
        ],
        "payments": [
            {
                "id": str(uuid.uuid4()),
                "kind": "application",
                "amount_cents": 5000,
                "currency": "USD",
                "reference": f"R-{application_id[-4:]}",
                "paid_at": INSTANT,
                "forfeited_at": None,
            }
        ],
        "training_certificates": [_certificate(application_id)],
    }


class Recorded:
    """Answers like the applications service, with ``hidden`` ids nobody may see.

    Records every request by method and path, who sent it (token, request id), and the ids
    each batch read asked for.
    """

    def __init__(self, ids: list[str], hidden: set[str]) -> None:
        self.ids = ids
        self.hidden = hidden
        self.calls: Counter[tuple[str, str]] = Counter()
        self.batches: list[list[str]] = []
        self.senders: set[tuple[str | None, str | None]] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls[request.method, path] += 1
        self.senders.add(
            (request.headers.get("Authorization"), request.headers.get("X-Request-ID"))
        )
        if (request.method, path) == ("GET", LIST):
            limit = int(request.url.params["limit"])
            items = [_summary(i) for i in self.ids[:limit]]
            return httpx.Response(200, json={"items": items, "next_cursor": None})
        if (request.method, path) == ("POST", VIEWS):
            asked: list[str] = json.loads(request.content)["ids"]
            assert 1 <= len(asked) <= 200
            self.batches.append(asked)
            items = [_view(i) for i in asked if i in self.ids and i not in self.hidden]
            return httpx.Response(200, json={"items": items})
        return httpx.Response(405, json={"error": {"code": "METHOD_NOT_ALLOWED", "message": path}})


@contextlib.asynccontextmanager
async def _gateway(data_dir: Path, backend: Recorded) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment="test", data_dir=data_dir, log_json=False)
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: RoutingTransport({}) for name in settings.backends
    }
    transports["applications"] = httpx.MockTransport(backend)
    app = create_app(settings, transports=transports)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        yield client


async def _ask(
    client: httpx.AsyncClient, query: str, token: str, *, request_id: str = "r"
) -> dict[str, Any]:
    headers = {**bearer(token), "X-Request-ID": request_id}
    response = await client.post("/graphql", json={"query": query}, headers=headers)
    body: dict[str, Any] = response.json()
    return body


async def test_a_list_reads_each_view_once_however_often_it_is_asked(dev_data_dir, mint) -> None:
    ids = _ids(3)
    backend = Recorded(ids, hidden={ids[2]})
    query = """
    { applications(first: 3) { items {
        id status deadlines { daysLeftToComplete }
        missing
        notifications { reason }
        again: notifications { subject }
    } } }
    """
    async with _gateway(dev_data_dir, backend) as client:
        body = await _ask(client, query, mint("staff", "s"))
    # The third view was not answered: NOT_FOUND for it alone, at its own path.
    assert {tuple(e["path"][:3]) for e in body["errors"]} == {("applications", "items", 2)}
    assert {(e["extensions"]["code"], e["extensions"]["field"]) for e in body["errors"]} == {
        ("NOT_FOUND", "id")
    }
    assert backend.calls == Counter({("GET", LIST): 1, ("POST", VIEWS): 1})
    assert backend.batches == [ids]


async def test_a_hundred_applications_with_their_parts_take_two_calls(dev_data_dir, mint) -> None:
    backend = Recorded(_ids(100), hidden=set())
    staff = mint("staff", "s")
    query = """
    { applications(first: 100) { items {
        id
        documents { kind }
        notifications { reason }
        payments { amountCents }
        trainingCertificates { status }
    } } }
    """
    async with _gateway(dev_data_dir, backend) as client:
        body = await _ask(client, query, staff, request_id="hundred")
    assert "errors" not in body, body
    items = body["data"]["applications"]["items"]
    assert [i["id"] for i in items] == backend.ids
    assert all(
        (len(i["documents"]), len(i["notifications"]), len(i["payments"])) == (1, 1, 1)
        and i["trainingCertificates"] == [{"status": "PENDING_REVIEW"}]
        for i in items
    )
    # One list, one batch read: not one read per application.
    assert backend.calls == Counter({("GET", LIST): 1, ("POST", VIEWS): 1})
    # Both sent by clients bound to this request: the caller's token and its request id.
    assert backend.senders == {(f"Bearer {staff}", "hundred")}


async def test_a_batch_read_asks_at_most_200_ids_at_once(dev_data_dir, mint) -> None:
    backend = Recorded(_ids(250), hidden=set())
    async with _gateway(dev_data_dir, backend) as client:
        body = await _ask(
            client, "{ applications(first: 250) { items { missing } } }", mint("staff", "s")
        )
    assert "errors" not in body, body
    assert len(body["data"]["applications"]["items"]) == 250
    assert [len(b) for b in backend.batches] == [200, 50]
    assert [i for batch in backend.batches for i in batch] == backend.ids


async def test_one_application_is_read_by_its_view_and_a_malformed_id_by_none(
    dev_data_dir, mint
) -> None:
    ids = _ids(2)
    backend = Recorded(ids, hidden={ids[1]})
    read = "query { application(id: %s) { id payments { reference } } }"
    async with _gateway(dev_data_dir, backend) as client:
        mine = await _ask(client, read % json.dumps(ids[0].upper()), mint("applicant", "alice"))
        hidden = await _ask(client, read % json.dumps(ids[1]), mint("applicant", "alice"))
        malformed = await _ask(client, read % '"not-a-uuid"', mint("applicant", "alice"))
    assert mine["data"]["application"]["id"] == ids[0]
    for refused in (hidden, malformed):
        assert refused["data"] is None
        extensions = refused["errors"][0]["extensions"]
        assert (extensions["code"], extensions["field"]) == ("NOT_FOUND", "id")
    # The malformed id never reached the service.
    assert backend.batches == [[ids[0]], [ids[1]]]


async def test_summary_fields_alone_need_no_view(dev_data_dir, mint) -> None:
    backend = Recorded(_ids(3), hidden=set())
    # A staff list (an applicant's own come as whole views in one call, `/mine`).
    query = "{ applications { items { id status firstNotificationDueOn deadlines { voidFrom } } } }"
    async with _gateway(dev_data_dir, backend) as client:
        body = await _ask(client, query, mint("staff", "sam"))
    assert "errors" not in body, body
    assert body["data"]["applications"]["items"][0] == {
        "id": backend.ids[0],
        "status": "INCOMPLETE",
        "firstNotificationDueOn": "2026-02-14",
        "deadlines": {"voidFrom": "2026-04-16"},
    }
    assert backend.calls == Counter({("GET", LIST): 1})
