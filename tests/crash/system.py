"""The backends as real processes, each startable, killable (SIGKILL) and restartable alone.

``certboard run`` stops everything when one child dies, so these tests start each service the
way it does (the same environment from ``certboard_core.cli.process_env``) but on their own,
on ports from 18100 up (away from 8000-8003 and from other process tests), on databases the
test suite made (a SQLite file or a PostgreSQL clone). Every wait polls with a deadline.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

from certboard_core.cli import BACKENDS, process_env
from certboard_core.db import create_engine
from certboard_core.devissuer import ALL_AUDIENCES, ensure_dev_key, mint_token
from certboard_core.roles import Role

FIRST_PORT = 18100
# Each pytest-xdist worker (gw0, gw1, ...) looks in its own range: two workers probing the
# same range at once could both find a base free and then race to bind it.
WORKER_RANGE = 2000


def free_base_port() -> int:
    """The first base port of this worker's range whose five ports (gateway, three services,
    web console) are free."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    first = FIRST_PORT + worker * WORKER_RANGE
    for base in range(first, first + WORKER_RANGE, 10):
        try:
            for port in range(base, base + 5):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError(f"no five free ports from {first} up")


async def wait_until(
    check: Callable[[], Awaitable[bool]], *, seconds: float, what: str, every: float = 0.2
) -> None:
    """Poll ``check`` until it holds; fail saying ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:g} s")
        await asyncio.sleep(every)


@dataclass
class System:
    """Applications, exams and supervision on real ports, each with its own log file."""

    data_dir: Path
    databases: dict[str, str]
    base_port: int
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str) -> str:
        offset = next(p.port for p in BACKENDS if p.name == service) - 8000
        return f"http://127.0.0.1:{self.base_port + offset}"

    def log(self, service: str) -> Path:
        return self.data_dir / f"{service}.log"

    def logs(self) -> str:
        """Every service's log so far."""
        files = [self.log(p.name) for p in BACKENDS]
        return "\n".join(f.read_text() for f in files if f.exists())

    def _env(self, service: str) -> dict[str, str]:
        own = process_env(self.data_dir, "127.0.0.1", self.base_port)[service]
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("CERTBOARD_")}
        return {
            **inherited,
            **own,
            "CERTBOARD_ENVIRONMENT": "development",
            "CERTBOARD_DATABASE_URL": self.databases[service],
            "CERTBOARD_RATE_LIMITS_ENABLED": "false",
            "CERTBOARD_LOG_LEVEL": "WARNING",
            **self.extra_env,
        }

    def spawn(self, service: str) -> None:
        """Start one service (its log appended to, so a restart keeps what came before)."""
        process = next(p for p in BACKENDS if p.name == service)
        port = self.url(service).rsplit(":", 1)[1]
        with open(self.log(service), "ab") as log:
            self.processes[service] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    process.factory,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    port,
                    "--no-access-log",
                ],
                env=self._env(service),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    async def ready(self, service: str, seconds: float = 60) -> None:
        """Wait until ``service`` answers /readyz; fail with its log if it died or hung."""

        async def answers() -> bool:
            if self.processes[service].poll() is not None:
                raise AssertionError(f"{service} exited:\n{self.log(service).read_text()[-3000:]}")
            try:
                async with httpx.AsyncClient(timeout=1) as client:
                    return (await client.get(f"{self.url(service)}/readyz")).is_success
            except httpx.HTTPError:
                return False

        await wait_until(answers, seconds=seconds, what=f"{service} ready")

    async def start(self, *services: str) -> None:
        """Start ``services`` side by side and wait for each to be ready."""
        for service in services:
            self.spawn(service)
        for service in services:
            await self.ready(service)

    def kill(self, service: str) -> None:
        """SIGKILL: no shutdown, no lifespan exit, whatever was in flight is cut off."""
        process = self.processes[service]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def pause(self, service: str) -> None:
        """SIGSTOP: the process hangs, its socket still accepting, until ``resume``."""
        os.killpg(self.processes[service].pid, signal.SIGSTOP)

    def resume(self, service: str) -> None:
        os.killpg(self.processes[service].pid, signal.SIGCONT)

    def stop_all(self) -> None:
        """End every process this system started: the databases are thrown away after."""
        for service, process in self.processes.items():
            if process.poll() is None:
                self.kill(service)

    def token(self, role: Role, subject: str, **claims: str) -> str:
        """A token from this system's development issuer."""
        return mint_token(
            ensure_dev_key(self.data_dir),
            subject=subject,
            roles=[role],
            audiences=ALL_AUDIENCES,
            ttl=timedelta(hours=1),
            extra_claims=claims,
        )

    async def rows(self, service: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
        """Read ``service``'s database directly."""
        engine = create_engine(self.databases[service])
        try:
            async with engine.connect() as connection:
                result = await connection.execute(text(sql), params)
                return [tuple(row) for row in result.all()]
        finally:
            await engine.dispose()
