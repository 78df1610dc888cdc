"""Contract tests: schemathesis drives every service's OpenAPI and the gateway's GraphQL schema.

The schemas are read from the apps when the module is imported (no request, no database), so
schemathesis can make one test per operation; the apps run in-process on schemathesis's own
event loop (its ASGI transport starts each app's lifespan on the first request and keeps it),
each on a SQLite file that the module's ``prepared`` fixture migrates first. Generation is
bounded and derandomized, with no example database, so every run sends the same requests.
(schemathesis's ``from_fixture`` would read the schemas lazily, but it breaks on pytest 9.2.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.python.asgi import shutdown_lifespans

import applications.config
import applications.main
import exams.config
import exams.main
import gateway.config
import gateway.main
import supervision.config
import supervision.main
from certboard_core import migrations
from certboard_core.auth import Role
from certboard_core.devissuer import ALL_AUDIENCES, ensure_dev_key, mint_token
from certboard_core.testing.plugin import in_thread

SERVICES: dict[str, tuple[type[Any], Callable[..., FastAPI]]] = {
    "applications": (applications.config.Settings, applications.main.create_app),
    "exams": (exams.config.Settings, exams.main.create_app),
    "supervision": (supervision.config.Settings, supervision.main.create_app),
}

# Examples per operation in the fuzzing phase; the examples and coverage phases (boundary
# values, missing and wrong-typed fields, methods the path does not allow) come on top.
MAX_EXAMPLES = 10

# Applied to every contract test: the same requests on every run, nothing remembered between.
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Well-formed input a rule refuses: a document that is neither JPEG nor PDF by its bytes (415),
# an under-age birth date, a cursor the API never issued, a clock move beyond its range (422).
REFUSED_BY_A_RULE = ["413", "415", "422"]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20260310,
        # The tests send each role's token themselves; the security schemes only say where.
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            # Every check is on. Schema-violating input must be refused: request bodies are
            # certboard_core.schemas.RequestModel (strict JSON) or FormModel (text forms).
            "negative_data_rejection": {"enabled": True},
            "positive_data_acceptance": {
                "expected-statuses": [
                    *("2xx", "3xx", "401", "403", "404", "409", "429"),
                    *REFUSED_BY_A_RULE,
                ]
            },
        },
    }
)


def contract_folder(name: str) -> Path:
    """Where one contract module keeps its databases and signing key (made by ``prepared``)."""
    return Path(tempfile.gettempdir()) / f"certboard-contract-{os.getpid()}-{name}"


def service_app(name: str, folder: Path) -> FastAPI:
    """The service ``name`` on ``folder/<name>.db``; nothing is opened until its lifespan."""
    settings_class, create = SERVICES[name]
    extra = (
        {"document_dir": folder / "documents", "notification_dir": folder / "mail"}
        if name == "applications"
        else {}
    )
    service_settings = settings_class(
        environment="test",
        data_dir=folder,
        database_url=f"sqlite+aiosqlite:///{folder / f'{name}.db'}",
        outbox_subscribers={},
        log_json=False,
        **extra,
    )
    # Delivery and sweeps stay off: the contract is about what each request answers.
    app: FastAPI = create(
        service_settings, run_background=False, http_transport=_UNKNOWN_TO_OTHERS.get(name)
    )
    return app


def _knows_nothing(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json={"error": {"code": "NOT_FOUND", "message": "not found"}})


def _bars_nobody(request: httpx.Request) -> httpx.Response:
    applicant = request.url.params.get("applicant_id", "")
    return httpx.Response(200, json={"applicant_id": applicant, "barred": False, "reasons": []})


# A service explored alone asks the others about ids schemathesis made up: they know none
# (exams asks applications for an application's exam standing before granting a request), and
# discipline bars nobody (supervision asks before an agreement).
_UNKNOWN_TO_OTHERS: dict[str, httpx.AsyncBaseTransport] = {
    "exams": httpx.MockTransport(_knows_nothing),
    "supervision": httpx.MockTransport(_bars_nobody),
}


def gateway_app(folder: Path) -> Any:
    """The gateway wired to the three services in-process, as one ASGI app whose lifespan
    also runs the services'."""
    services = {name: service_app(name, folder) for name in SERVICES}
    front = gateway.main.create_app(
        gateway_settings(folder),
        transports={name: httpx.ASGITransport(app=app) for name, app in services.items()},
    )

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await front(scope, receive, send)
            return
        await receive()  # lifespan.startup
        async with AsyncExitStack() as stack:
            for each in [*services.values(), front]:
                await stack.enter_async_context(LifespanManager(each))
            await send({"type": "lifespan.startup.complete"})
            await receive()  # lifespan.shutdown
        await send({"type": "lifespan.shutdown.complete"})

    return app


def gateway_settings(folder: Path) -> gateway.config.Settings:
    """The gateway's settings, naming the in-process services."""
    return gateway.config.Settings(
        environment="test",
        data_dir=folder,
        applications_url="http://applications",
        exams_url="http://exams",
        supervision_url="http://supervision",
        log_json=False,
    )


def _mint(private_key: Any, role: str, sub: str, **claims: Any) -> str:
    return mint_token(
        private_key,
        subject=sub,
        roles=[Role(role)],
        audiences=ALL_AUDIENCES,
        ttl=timedelta(hours=2),
        extra_claims=claims,
    )


@contextmanager
def prepared(folder: Path) -> Iterator[dict[str, str]]:
    """Make ``folder``: a signing key and every service's migrated database; yield one token
    per role the contract is explored with; stop the apps and remove it all afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        private_key = ensure_dev_key(folder)
        for name in SERVICES:
            url = f"sqlite+aiosqlite:///{folder / f'{name}.db'}"
            in_thread(lambda name=name, url=url: migrations.upgrade(name, url))
        yield {
            "staff": _mint(private_key, "staff", "contract-staff"),
            "applicant": _mint(private_key, "applicant", "contract-applicant"),
            "provider": _mint(
                private_key,
                "provider",
                "contract-provider",
                provider_id="00000000-0000-4000-8000-000000000001",
            ),
            "service": _mint(private_key, "service", "contract-service"),
            "employer": _mint(private_key, "employer", "contract-employer"),
        }
        shutdown_lifespans()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
