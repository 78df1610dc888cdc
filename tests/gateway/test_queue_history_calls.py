"""The staff dashboard's query over recorded services: every queue's last days come from one
call to each service that keeps them, however many queues it charts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import bearer
from gateway.config import Settings
from gateway.main import create_app
from web.pages.staff.dashboard import QUEUES

DAY = "2026-03-10"
# Each service's history answer: one day, every queue in it waiting 1, late 0.
HISTORIES = {
    "/v1/queues/history": (
        "first_notification certificates unmatched ce_verification ce_audits incomplete "
        "expiring expiring_this_month"
    ),
    "/v1/exam-queues/history": "result_notices accommodations scheduling",
    "/v1/supervision/compliance/shortfalls/history": "shortfalls",
}


class Recorded:
    """Answers the history paths like the services, every other path 404; counts the calls."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.url.path] += 1
        queues = HISTORIES.get(request.url.path)
        if queues is None:
            return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "-"}})
        day: dict[str, Any] = {"day": DAY}
        for name in queues.split():
            day |= {name: 1, f"{name}_late": 0}
        return httpx.Response(200, json={"days": [day]})


async def test_the_dashboard_asks_each_service_for_its_history_once(
    dev_data_dir: Path, mint: Any
) -> None:
    backend = Recorded()
    settings = Settings(environment="test", data_dir=dev_data_dir, log_json=False)
    transports: dict[str, httpx.AsyncBaseTransport] = {
        name: httpx.MockTransport(backend) for name in settings.backends
    }
    app = create_app(settings, transports=transports)
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        response = await client.post(
            "/graphql", json={"query": QUEUES}, headers=bearer(mint("staff", "s"))
        )
    queues = response.json()["data"]["me"]["queues"]
    assert queues["history"] == [
        {
            "day": DAY,
            "firstNotification": 1,
            "firstNotificationLate": 0,
            "certificates": 1,
            "certificatesLate": 0,
            "unmatched": 1,
            "ceVerification": 1,
            "ceAudits": 1,
            "incomplete": 1,
            "expiring": 1,
            "expiringThisMonth": 1,
        }
    ]
    assert queues["examHistory"][0]["scheduling"] == 1
    assert queues["supervisionHistory"] == [{"day": DAY, "shortfalls": 1, "shortfallsLate": 0}]
    assert {path: backend.calls[path] for path in HISTORIES} == dict.fromkeys(HISTORIES, 1)
