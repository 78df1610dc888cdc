"""Coming-expiry alerts from the sweep: 90, 60 and 30 days before the last day, once each,
only the latest threshold when days were missed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from certboard_core.clock import TestClock
from certboard_core.testing.plugin import Minter

from .conftest import alerts, drain, employer, enrol, holder, noon, sweep


def _expiring(found: list[dict[str, Any]]) -> list[int]:
    return [a["detail"]["days_before"] for a in found if a["kind"] == "expiring"]


async def test_coming_expiry_at_90_60_30_days_once_each_latest_when_missed(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])

    clock.set(noon(last - timedelta(days=91)))
    assert await sweep(client, mint) == 0
    clock.set(noon(last - timedelta(days=90)))
    assert await sweep(client, mint) == 1
    assert await sweep(client, mint) == 0
    clock.set(noon(last - timedelta(days=45)))
    assert await sweep(client, mint) == 1
    assert await sweep(client, mint) == 0
    # The 30-day alert's day was missed; 10 days left still sends it, once.
    clock.set(noon(last - timedelta(days=10)))
    assert await sweep(client, mint) == 1
    clock.set(noon(last))
    assert await sweep(client, mint) == 0
    await drain(app)
    found = await alerts(client, acme)
    assert _expiring(found) == [30, 60, 90]  # newest first
    newest = next(a for a in found if a["kind"] == "expiring")
    assert newest["detail"]["days_left"] == 10
    assert newest["detail"]["valid_through"] == alice["valid_through"]


async def test_a_missed_window_sends_only_the_latest_threshold(
    client: httpx.AsyncClient, app: FastAPI, mint: Minter, clock: TestClock
) -> None:
    acme = await employer(client, mint, "acme")
    alice = await holder(client, mint, "alice")
    assert (await enrol(client, acme, alice["number"], "Lopez")).status_code == 201
    last = date.fromisoformat(alice["valid_through"])
    clock.set(noon(last - timedelta(days=20)))
    assert await sweep(client, mint) == 1
    assert await sweep(client, mint) == 0
    await drain(app)
    assert _expiring(await alerts(client, acme)) == [30]
