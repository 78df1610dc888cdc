"""``certboard run``: every process of the system on one machine, stopped together.

Development runs on SQLite files under the data folder, migrated on start. Given a PostgreSQL
server (``--postgres``) every service runs on its own database there instead, which
``certboard migrate --postgres`` made and migrated first; with ``CERTBOARD_ENVIRONMENT=
production`` every process then takes what production needs from the caller's environment.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Process:
    name: str
    factory: str
    port: int
    migrations: str | None


PROCESSES = (
    Process("applications", "applications.main:create_app", 8001, "applications"),
    Process("exams", "exams.main:create_app", 8002, "exams"),
    Process("supervision", "supervision.main:create_app", 8003, "supervision"),
    Process("gateway", "gateway.main:create_app", 8000, None),
    # The web console: a client of the gateway like any other (no database, no events).
    Process("web", "web.main:create_app", 8004, None),
)
BACKENDS = tuple(p for p in PROCESSES if p.migrations)
# Who hears whose events: applications' decisions matter to exams and supervision; exam
# results and supervision agreements matter to applications.
SUBSCRIPTIONS = {
    "applications": ("exams", "supervision"),
    "exams": ("applications",),
    "supervision": ("applications",),
}
# On a shared PostgreSQL server, each service's database is this and its name.
DEFAULT_PREFIX = "certboard_"
# Each service's own document store under the data folder (never one shared by both).
DOCUMENT_FOLDERS = {"applications": "documents", "exams": "exam-documents"}


def _ports(base: int) -> dict[str, int]:
    return {p.name: base + (p.port - 8000) for p in PROCESSES}


def _production() -> bool:
    return os.environ.get("CERTBOARD_ENVIRONMENT") == "production"


def process_env(
    data_dir: Path, host: str, base_port: int, databases: dict[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """The environment of each process when the whole system runs on one machine;
    ``databases`` (service -> URL) replaces the SQLite files under ``data_dir``."""
    ports = _ports(base_port)
    url = {name: f"http://{host}:{port}" for name, port in ports.items()}
    common = {
        "CERTBOARD_DATA_DIR": str(data_dir.resolve()),
        "CERTBOARD_ENVIRONMENT": os.environ.get("CERTBOARD_ENVIRONMENT", "development"),
        # glibc gives each thread that allocates (aiosqlite runs one per connection) an arena
        # of its own, which keeps what it freed: under 50 clients the applications service
        # grew from 119 to 151 MiB with the default, to 134 MiB with two arenas.
        "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
    }
    env: dict[str, dict[str, str]] = {}
    for process in PROCESSES:
        own = dict(common)
        if process.name in SUBSCRIPTIONS:
            own["CERTBOARD_OUTBOX_SUBSCRIBERS"] = json.dumps(
                {peer: url[peer] for peer in SUBSCRIPTIONS[process.name]}
            )
        if process.name in DOCUMENT_FOLDERS:
            folder = data_dir.resolve() / DOCUMENT_FOLDERS[process.name]
            own["CERTBOARD_DOCUMENT_DIR"] = str(folder)
        if databases and process.name in databases:
            own["CERTBOARD_DATABASE_URL"] = databases[process.name]
        # Whoever calls another process synchronously learns where it is.
        own.update(
            {f"CERTBOARD_{b.name.upper()}_URL": url[b.name] for b in BACKENDS if b is not process}
        )
        env[process.name] = own
    env["web"]["CERTBOARD_GATEWAY_URL"] = url["gateway"]
    return env


def migrate_all(data_dir: Path) -> None:
    """Bring every backend's SQLite database under ``data_dir`` up to date."""
    from certboard_core import migrations
    from certboard_core.settings import DatabaseSettings, load_settings

    for process in BACKENDS:
        assert process.migrations is not None
        settings = load_settings(DatabaseSettings, service_name=process.name, data_dir=data_dir)
        migrations.upgrade(process.migrations, settings.database_url)


def postgres_databases(server_url: str, prefix: str) -> dict[str, str]:
    """Each backend's database on the server, refused unless ``certboard migrate`` made it and
    brought it up to date."""
    from certboard_core import migrations, postgres

    urls = postgres.database_urls(server_url, prefix, [p.name for p in BACKENDS])
    for process in BACKENDS:
        assert process.migrations is not None
        if not migrations.is_current(process.migrations, urls[process.name]):
            raise SystemExit(
                f"{process.name}: its database {prefix}{process.name} is missing or behind its "
                "migrations; run `make migrate` (certboard migrate all --postgres URL) first"
            )
    return urls


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url} exited with code {proc.returncode} while starting")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not become ready within {timeout:.0f}s")


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _print_urls(host: str, ports: dict[str, int]) -> None:
    gateway = f"http://{host}:{ports['gateway']}"
    print("\ncertboard is running (Ctrl-C stops it):", flush=True)
    print(f"  web console         http://{host}:{ports['web']}/", flush=True)
    if _production():
        print(f"  GraphQL             {gateway}/graphql\n", flush=True)
        return
    print(f"  GraphQL + GraphiQL  {gateway}/graphql", flush=True)
    for process in BACKENDS:
        print(f"  {process.name:<19} http://{host}:{ports[process.name]}/docs", flush=True)
    print("  a token:            make token ROLE=applicant SUB=alice\n", flush=True)


def run(args: argparse.Namespace) -> int:
    """Migrate (SQLite), start every process, print the URLs, and stop them all on Ctrl-C."""
    from certboard_core.devissuer import ensure_dev_key

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    if not _production():
        ensure_dev_key(data_dir)
    databases = None
    if args.postgres:
        databases = postgres_databases(args.postgres, args.database_prefix)
    else:
        migrate_all(data_dir)
    for folder in DOCUMENT_FOLDERS.values():
        (data_dir / folder).mkdir(exist_ok=True)
    env = process_env(data_dir, args.host, args.port, databases)
    ports = _ports(args.port)
    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def on_signal(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for process in PROCESSES:
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                process.factory,
                "--host",
                args.host,
                "--port",
                str(ports[process.name]),
                "--no-access-log",
            ]
            children.append(
                subprocess.Popen(command, env={**os.environ, **env[process.name]})  # noqa: S603
            )
        for process, child in zip(PROCESSES, children, strict=True):
            _wait_ready(f"http://{args.host}:{ports[process.name]}", child)
        _print_urls(args.host, ports)
        while not stopping:
            for process, child in zip(PROCESSES, children, strict=True):
                if child.poll() is not None:
                    print(
                        f"{process.name} exited with code {child.returncode}; stopping", flush=True
                    )
                    return 1
            time.sleep(0.5)
        return 0
    finally:
        _stop(children)
