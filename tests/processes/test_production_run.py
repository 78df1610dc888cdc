"""The whole system in production mode on PostgreSQL, as ``make migrate`` and
``make run-postgres`` start it, with a local identity provider.

The identity provider is a key made here, its JWKS served over HTTP; every token, the
services' own included, is signed with it. The databases are this test's own (a throwaway
prefix on the PostgreSQL at 127.0.0.1:5432), dropped afterwards. One application goes from
submission to certification through the gateway on real time: no step of it waits for a
date to pass (the training finished a month ago, fees are paid as the steps need them), so
production's fixed clock is no obstacle; exams' ``exam.passed`` reaches applications through
the outboxes' own timers.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from applications.credential.keys import add_key
from certboard_core.devissuer import ALL_AUDIENCES, ensure_dev_key, mint_token, public_jwks
from certboard_core.launcher import BACKENDS
from certboard_core.roles import Role
from certboard_core.testing.plugin import PG_ADMIN_URL
from tests.crash.system import free_base_port, wait_until
from tests.e2e import journeys
from tests.e2e.conftest import System
from tests.processes.launcher import clean_environment, launched

pytestmark = pytest.mark.processes

SERVICES = [p.name for p in BACKENDS]


class IdentityProvider:
    """A key of its own and its JWKS (and discovery document) at ``base_url``."""

    def __init__(self, folder: Path) -> None:
        self.private_key = ensure_dev_key(folder)
        documents: dict[str, bytes] = {"/jwks.json": json.dumps(public_jwks(folder)).encode()}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = documents.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body or b"{}")

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        documents["/.well-known/openid-configuration"] = json.dumps(
            {
                "issuer": self.base_url,
                "jwks_uri": f"{self.base_url}/jwks.json",
                "authorization_endpoint": f"{self.base_url}/authorize",
                "token_endpoint": f"{self.base_url}/token",
                "id_token_signing_alg_values_supported": ["EdDSA"],
            }
        ).encode()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def token(self, role: Role, subject: str, **claims: str) -> str:
        return mint_token(
            self.private_key,
            subject=subject,
            roles=[role],
            audiences=ALL_AUDIENCES,
            ttl=timedelta(hours=1),
            issuer=self.base_url,
            extra_claims=claims,
        )


async def _databases(prefix: str, *statements: str) -> list[str]:
    """Run ``statements`` on the server, then name its databases that start with ``prefix``."""
    connection = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
        rows = await connection.fetch(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname",
            prefix,
        )
        return [row[0] for row in rows]
    finally:
        await connection.close()


@dataclass
class Production:
    url: str
    web: str
    provider: IdentityProvider
    process: subprocess.Popen[bytes]
    log: Path
    prefix: str


@pytest.fixture
def production(tmp_path: Path) -> Iterator[Production]:
    try:
        asyncio.run(_databases("certboard_"))
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}")
    prefix = f"certboard_p{uuid.uuid4().hex[:8]}_"
    provider = IdentityProvider(tmp_path / "idp")
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    (secrets_dir / "CERTBOARD_SESSION_SECRET").write_text(secrets.token_urlsafe(40))
    (secrets_dir / "CERTBOARD_OIDC_CLIENT_SECRET").write_text(secrets.token_urlsafe(30))
    token_file = tmp_path / "service-token"
    token_file.write_text(provider.token(Role.SERVICE, "service:certboard"))
    add_key(tmp_path / "credential-keys")
    env = clean_environment() | {
        "CERTBOARD_ENVIRONMENT": "production",
        "CERTBOARD_JWT_ISSUER": provider.base_url,
        "CERTBOARD_JWT_JWKS_URL": f"{provider.base_url}/jwks.json",
        "CERTBOARD_SERVICE_TOKEN_FILE": str(token_file),
        "CERTBOARD_CREDENTIAL_KEY_DIR": str(tmp_path / "credential-keys"),
        "CERTBOARD_SECRETS_DIR": str(secrets_dir),
        "CERTBOARD_OIDC_ISSUER": provider.base_url,
        "CERTBOARD_OIDC_CLIENT_ID": "certboard-web",
        "CERTBOARD_LOG_LEVEL": "WARNING",
    }
    server = ["--postgres", PG_ADMIN_URL, "--database-prefix", prefix]
    base = free_base_port()
    log = tmp_path / "run.log"
    try:
        migrated = subprocess.run(
            [sys.executable, "-m", "certboard_core.cli", "migrate", "all", *server],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert migrated.returncode == 0, migrated.stderr
        assert f"{prefix}applications: created" in migrated.stdout
        arguments = [*server, "--port", str(base), "--data-dir", str(tmp_path / "data")]
        with launched(arguments, env, log) as process:
            urls = (f"http://127.0.0.1:{base}", f"http://127.0.0.1:{base + 4}")
            yield Production(*urls, provider, process, log, prefix)
    finally:
        provider.server.shutdown()
        drops = (f'DROP DATABASE IF EXISTS "{prefix}{s}" WITH (FORCE)' for s in SERVICES)
        assert asyncio.run(_databases(prefix, *drops)) == []


async def test_production_on_postgresql_certifies_an_applicant_through_the_gateway(
    production: Production,
) -> None:
    made = await _databases(production.prefix)
    assert made == [f"{production.prefix}{s}" for s in SERVICES]
    idp = production.provider
    alice, staff = idp.token(Role.APPLICANT, "alice"), idp.token(Role.STAFF, "sam")
    vendor = idp.token(Role.SERVICE, "pearson-vue")
    now = datetime.now(UTC).replace(microsecond=0)
    async with httpx.AsyncClient(base_url=production.url, timeout=30) as client:
        # The e2e journeys' steps, sent to the gateway process over HTTP; nothing is delivered
        # by hand (no services in process), the outboxes' timers do it.
        system = System(gateway=None, services={}, client=client, calls=Counter(), down=set())
        application = await journeys.submit(system, alice)
        await journeys.pay(system, staff, application, "APPLICATION", now.isoformat())
        await journeys.approve(system, staff, application)
        academy, program = await journeys.provider_with_program(system, staff, "Peer Academy")
        completed = (date.today() - timedelta(days=30)).isoformat()
        await journeys.upload(
            system,
            idp.token(Role.PROVIDER, "academy", provider_id=academy),
            academy,
            [journeys.certificate_row("PA-100", program, completed)],
        )
        await journeys.accept_pending_certificates(system, staff, application)
        form = await journeys.live_form(system, staff)
        await journeys.pay(system, staff, application, "EXAM", now.isoformat())
        granted = await journeys.request_exam(system, alice, application)
        assert (granted["kind"], granted["status"]) == ("FIRST", "GRANTED")
        passed = await journeys.sit(system, vendor, granted["id"], form, 96, now.isoformat())
        assert passed == {"correct": 96, "total": 120, "passed": True}

        async def certified() -> bool:
            view = await journeys.status(system, alice, application)
            return bool(view["status"] == "CERTIFIED")

        await wait_until(certified, seconds=60, what="exam.passed delivered to applications")
        view = await journeys.status(system, alice, application)
        number = view["certification"]["number"]
        assert view["certification"]["status"] == "ACTIVE"
        verified = (await system.gql(journeys.VERIFY, {"number": number})).json()
        assert verified["data"]["verifyCertification"]["holderName"] == "Maria Lopez"
        # The web console, in production too, reads it through the gateway.
        page = await client.get(f"{production.web}/verify", params={"number": number})
        assert page.status_code == 200
        assert "Maria Lopez" in page.text

        # Production's switches: no GraphiQL, no introspection, no test clock.
        ide = await client.get("/graphql", headers={"Accept": "text/html"})
        assert ide.status_code == 404
        schema = (await system.gql("{ __schema { queryType { name } } }")).json()
        assert schema["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert (await client.put("/test-clock", json={"reset": True})).status_code == 404
    production.process.send_signal(signal.SIGINT)
    assert production.process.wait(timeout=30) == 0, production.log.read_text()[-3000:]


def test_run_postgres_refuses_databases_that_were_not_migrated(tmp_path: Path) -> None:
    prefix = f"certboard_p{uuid.uuid4().hex[:8]}_"
    server = ["--postgres", PG_ADMIN_URL, "--database-prefix", prefix]
    done = subprocess.run(
        [sys.executable, "-m", "certboard_core.cli", "run", *server, "--data-dir", str(tmp_path)],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"applications: its database {prefix}applications is missing or behind its migrations; "
        "run `make migrate` (certboard migrate all --postgres URL) first"
    )
