"""One PostgreSQL server for the whole system: a database per service, made when missing."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

import asyncpg
from sqlalchemy.engine import URL, make_url

# Database names are written into CREATE DATABASE, so only plain lower-case names pass.
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _server(server_url: str) -> URL:
    url = make_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {url.render_as_string()}")
    return url


def database_urls(server_url: str, prefix: str, services: Iterable[str]) -> dict[str, str]:
    """Each service's database URL on the server ``server_url`` names (its own database, if
    it names one, is only where ``create_missing`` connects)."""
    server = _server(server_url)
    urls: dict[str, str] = {}
    for service in services:
        name = f"{prefix}{service}"
        if not _NAME.match(name):
            raise ValueError(f"{name!r}: a database prefix takes lower-case letters, digits, _")
        url = server.set(drivername="postgresql+asyncpg", database=name)
        urls[service] = url.render_as_string(hide_password=False)
    return urls


async def _create(server: URL, names: list[str]) -> list[str]:
    admin = server.set(drivername="postgresql", database=server.database or "postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False), timeout=10)
    made: list[str] = []
    try:
        for name in names:
            if await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                continue
            try:
                await connection.execute(f'CREATE DATABASE "{name}"')
            except asyncpg.DuplicateDatabaseError:
                continue  # made by another migrate at the same moment
            made.append(name)
    finally:
        await connection.close()
    return made


def create_missing(server_url: str, urls: Iterable[str]) -> list[str]:
    """Create each database of ``urls`` that the server lacks; the names of those made."""
    names = [make_url(url).database or "" for url in urls]
    return asyncio.run(_create(_server(server_url), names))
