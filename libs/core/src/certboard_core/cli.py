"""``certboard``: run the whole system for development, mint dev tokens, migrate databases.

Each subcommand imports what it needs inside itself: a token must not wait for Alembic,
SQLAlchemy, FastAPI and httpx to load (``libs/core/tests/test_cli.py`` holds this).
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
from datetime import timedelta
from pathlib import Path

from certboard_core import backup_commands
from certboard_core.roles import Role


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


def _ports(base: int) -> dict[str, int]:
    return {p.name: base + (p.port - 8000) for p in PROCESSES}


def process_env(data_dir: Path, host: str, base_port: int) -> dict[str, dict[str, str]]:
    """The environment of each process when the whole system runs on one machine."""
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
        # Whoever calls another process synchronously learns where it is.
        own.update(
            {f"CERTBOARD_{b.name.upper()}_URL": url[b.name] for b in BACKENDS if b is not process}
        )
        env[process.name] = own
    env["web"]["CERTBOARD_GATEWAY_URL"] = url["gateway"]
    return env


def migrate_all(data_dir: Path) -> None:
    """Bring every backend's database under ``data_dir`` up to date."""
    from certboard_core import migrations
    from certboard_core.settings import ServiceSettings

    for process in BACKENDS:
        assert process.migrations is not None
        settings = ServiceSettings(service_name=process.name, data_dir=data_dir)
        migrations.upgrade(process.migrations, settings.database_url)


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


def run(args: argparse.Namespace) -> int:
    """Migrate, start every process, print the URLs, and stop them all on Ctrl-C."""
    from certboard_core.devissuer import ensure_dev_key

    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_dev_key(data_dir)
    migrate_all(data_dir)
    env = process_env(data_dir, args.host, args.port)
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
        gateway = f"http://{args.host}:{ports['gateway']}"
        print("\ncertboard is running (Ctrl-C stops it):", flush=True)
        print(f"  web console         http://{args.host}:{ports['web']}/", flush=True)
        print(f"  GraphQL + GraphiQL  {gateway}/graphql", flush=True)
        for process in BACKENDS:
            print(f"  {process.name:<19} http://{args.host}:{ports[process.name]}/docs", flush=True)
        print(
            "  a token:            make token ROLE=applicant SUB=alice\n",
            flush=True,
        )
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


def token(args: argparse.Namespace) -> int:
    """Print a development token for a role and subject."""
    from certboard_core.devissuer import ALL_AUDIENCES, ensure_dev_key, mint_token

    data_dir = Path(args.data_dir)
    extra: dict[str, str] = {}
    for item in args.claim:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--claim takes key=value, not {item!r}")
        extra[key] = value
    private_key = ensure_dev_key(data_dir)
    print(
        mint_token(
            private_key,
            subject=args.sub,
            roles=[Role(r) for r in args.role],
            audiences=tuple(args.aud or ALL_AUDIENCES),
            ttl=timedelta(minutes=args.ttl_minutes),
            extra_claims=extra,
        )
    )
    return 0


def sweep(args: argparse.Namespace) -> int:
    """One applications sweep on real time, with the environment ``certboard run`` gives it."""
    env = process_env(Path(args.data_dir), args.host, args.port)["applications"]
    command = [sys.executable, "-m", "applications.sweep"]
    return subprocess.call(command, env={**os.environ, **env})  # noqa: S603


def migrate(args: argparse.Namespace) -> int:
    """Apply migrations to each named service's database (its CERTBOARD_DATABASE_URL)."""
    from certboard_core import migrations
    from certboard_core.settings import ServiceSettings

    names = [p.name for p in BACKENDS] if args.service == "all" else [args.service]
    for name in names:
        settings = ServiceSettings(service_name=name)
        migrations.upgrade(name, settings.database_url)
        print(f"{name}: migrated")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="certboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p_run = sub.add_parser(
        "run", help="start every service, the gateway and the web console (development)"
    )
    p_run.add_argument("--host", default="127.0.0.1")
    p_run.add_argument(
        "--port",
        type=int,
        default=8000,
        help="the gateway's port; services and the web console follow",
    )
    p_run.add_argument("--data-dir", default=os.environ.get("CERTBOARD_DATA_DIR", "data"))
    p_run.set_defaults(func=run)

    p_token = sub.add_parser("token", help="mint a development token")
    p_token.add_argument("--role", action="append", required=True, choices=[r.value for r in Role])
    p_token.add_argument("--sub", required=True, help="the subject (user or client id)")
    p_token.add_argument("--aud", action="append", help="audience (default: every process)")
    p_token.add_argument("--ttl-minutes", type=int, default=480)
    p_token.add_argument("--claim", action="append", default=[], help="extra claim key=value")
    p_token.add_argument("--data-dir", default=os.environ.get("CERTBOARD_DATA_DIR", "data"))
    p_token.set_defaults(func=token)

    p_sweep = sub.add_parser("sweep", help="void, expire and remind now (for a scheduler)")
    p_sweep.add_argument("--host", default="127.0.0.1")
    p_sweep.add_argument("--port", type=int, default=8000)
    p_sweep.add_argument("--data-dir", default=os.environ.get("CERTBOARD_DATA_DIR", "data"))
    p_sweep.set_defaults(func=sweep)

    p_migrate = sub.add_parser("migrate", help="apply a service's migrations")
    p_migrate.add_argument("service", choices=["all", *(p.name for p in BACKENDS)])
    p_migrate.set_defaults(func=migrate)

    backup_commands.add_commands(sub)

    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
