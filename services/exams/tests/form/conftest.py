"""What the exam form tests share: a staff caller and forms made through the API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from certboard_core.testing.plugin import Minter, bearer

DOMAINS = ("Ethics", "Recovery", "Advocacy", "Communication")
# A distinctive 120-letter key: searched for in every response and log line of a run.
SECRET_KEY = "".join("DCBADBCA"[(i * 7 + i // 5) % 8] for i in range(120))


def items(count: int = 120, keys: str = SECRET_KEY) -> list[dict[str, Any]]:
    """``count`` good items numbered from 1, domains in turn, keys from ``keys``."""
    return [
        {"number": n, "domain": DOMAINS[(n - 1) % len(DOMAINS)], "key": keys[(n - 1) % len(keys)]}
        for n in range(1, count + 1)
    ]


def csv_file(rows: list[dict[str, Any]]) -> bytes:
    lines = ["number,domain,key", *(f"{r['number']},{r['domain']},{r['key']}" for r in rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def staff(mint: Minter) -> dict[str, str]:
    return bearer(mint("staff", "sam"))


async def create(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    edition: str = "2026-A",
    language: str = "en",
    rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A draft form made through the API; fails the test if refused."""
    body = {"language": language, "edition": edition, "items": items() if rows is None else rows}
    response = await client.post("/v1/exam-forms", json=body, headers=headers)
    assert response.status_code == 201, response.text
    form: dict[str, Any] = response.json()
    return form


async def move(
    client: httpx.AsyncClient, headers: dict[str, str], form: dict[str, Any], action: str
) -> httpx.Response:
    return await client.post(
        f"/v1/exam-forms/{form['id']}/{action}",
        json={"expected_version": form["version"]},
        headers=headers,
    )
