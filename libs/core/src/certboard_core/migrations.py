"""Alembic plumbing shared by every service's migrations (each service keeps its own versions)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from certboard_core.db import create_engine, is_sqlite


def alembic_config(package: str, url: str) -> Config:
    """A config for ``package``'s migrations folder, pointed at ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.attributes["url"] = url
    return cfg


def _ensure_sqlite_folder(url: str) -> None:
    if is_sqlite(url) and ":///" in url:
        path = url.split(":///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def upgrade(package: str, url: str, revision: str = "head") -> None:
    """Bring ``package``'s database to ``revision``; call it outside any event loop."""
    _ensure_sqlite_folder(url)
    command.upgrade(alembic_config(package, url), revision)


def check(package: str, url: str) -> None:
    """Fail if the models and the migrations have drifted apart."""
    _ensure_sqlite_folder(url)
    command.check(alembic_config(package, url))


def _configure(connection: Connection, target_metadata: MetaData, tables: frozenset[str]) -> None:
    # One process may have every service's models imported; each service migrates its own.
    def include_name(name: str | None, type_: str, _parents: object) -> bool:
        return type_ != "table" or name in tables

    def include_object(
        obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
    ) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name in tables

    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        include_object=include_object,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str, target_metadata: MetaData, tables: frozenset[str]) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure, target_metadata, tables)
            await connection.commit()
    finally:
        await engine.dispose()


def run_env(target_metadata: MetaData, tables: frozenset[str]) -> None:
    """The body of every service's ``env.py`` (online mode only: we never emit SQL scripts)."""
    url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the migrations")
    asyncio.run(_run_async(url, target_metadata, tables))


def create_append_only_guard(op: Operations, table: str) -> None:
    """Make ``table`` refuse UPDATE and DELETE at the database, whatever the code does."""
    dialect = op.get_bind().dialect.name
    message = f"{table} is append-only"
    if dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION certboard_refuse_change() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION certboard_refuse_change()"
        )
    elif dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    else:
        raise RuntimeError(f"no append-only guard for {dialect}")


def drop_append_only_guard(op: Operations, table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")


def create_delete_guard(op: Operations, table: str) -> None:
    """Make ``table`` refuse DELETE at the database (UPDATE stays allowed): records kept for
    years are changed by amendment, never removed."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION certboard_refuse_delete() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '% rows are never deleted', TG_TABLE_NAME; END $$ "
            "LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION certboard_refuse_delete()"
        )
    elif dialect == "sqlite":
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} rows are never deleted'); END"
        )
    else:
        raise RuntimeError(f"no delete guard for {dialect}")


def drop_delete_guard(op: Operations, table: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def is_current(package: str, url: str) -> bool:
    """Whether ``url``'s database exists and is at ``package``'s newest migration."""
    heads = set(ScriptDirectory.from_config(alembic_config(package, url)).get_heads())

    async def current() -> set[str]:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                found = await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_heads()
                )
                return set(found)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(current()) == heads
    except (OSError, SQLAlchemyError):
        return False
