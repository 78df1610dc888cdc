"""``certboard``: run the whole system on one machine, mint dev tokens, migrate databases.

Each subcommand imports what it needs inside itself: a token must not wait for Alembic,
SQLAlchemy, FastAPI and httpx to load (``libs/core/tests/test_cli.py`` holds this).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from certboard_core import backup_commands
from certboard_core.launcher import (
    BACKENDS,
    DEFAULT_PREFIX,
    postgres_databases,
    process_env,
    run,
)
from certboard_core.roles import Role


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
    databases = None
    if args.postgres:
        databases = postgres_databases(args.postgres, args.database_prefix)
    env = process_env(Path(args.data_dir), args.host, args.port, databases)["applications"]
    command = [sys.executable, "-m", "applications.sweep"]
    return subprocess.call(command, env={**os.environ, **env})  # noqa: S603


def migrate(args: argparse.Namespace) -> int:
    """Apply migrations to each named service's database: its own on the ``--postgres``
    server (made if missing), or else its CERTBOARD_DATABASE_URL."""
    from certboard_core import migrations, postgres
    from certboard_core.settings import DatabaseSettings, load_settings

    names = [p.name for p in BACKENDS] if args.service == "all" else [args.service]
    if args.postgres:
        urls = postgres.database_urls(args.postgres, args.database_prefix, names)
        for made in postgres.create_missing(args.postgres, urls.values()):
            print(f"{made}: created")
    else:
        urls = {
            name: load_settings(DatabaseSettings, service_name=name).database_url for name in names
        }
    for name in names:
        migrations.upgrade(name, urls[name])
        print(f"{name}: migrated")
    return 0


def _postgres_arguments(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CERTBOARD_POSTGRES_URL"),
        metavar="URL",
        help=f"a PostgreSQL server (postgresql://user@host:5432): {what}",
    )
    parser.add_argument(
        "--database-prefix",
        default=os.environ.get("CERTBOARD_DATABASE_PREFIX", DEFAULT_PREFIX),
        help="each service's database is this prefix and its name (default: %(default)s)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="certboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p_run = sub.add_parser(
        "run", help="start every service, the gateway and the web console on this machine"
    )
    p_run.add_argument("--host", default="127.0.0.1")
    p_run.add_argument(
        "--port",
        type=int,
        default=8000,
        help="the gateway's port; services and the web console follow",
    )
    p_run.add_argument("--data-dir", default=os.environ.get("CERTBOARD_DATA_DIR", "data"))
    _postgres_arguments(p_run, "every service on its database there (see migrate)")
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
    _postgres_arguments(p_sweep, "applications' database there (see migrate)")
    p_sweep.set_defaults(func=sweep)

    p_migrate = sub.add_parser("migrate", help="apply a service's migrations")
    p_migrate.add_argument("service", choices=["all", *(p.name for p in BACKENDS)])
    _postgres_arguments(p_migrate, "each service's database there, created if missing")
    p_migrate.set_defaults(func=migrate)

    backup_commands.add_commands(sub)

    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
