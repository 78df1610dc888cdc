"""The test clock's range, seen through the gateway: a coded refusal, never INTERNAL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.app import ServiceSpec, create_service_app
from certboard_core.clock import TestClock
from certboard_core.settings import ServiceSettings
from certboard_core.testing.plugin import T0, Minter, bearer
from gateway.config import Settings
from gateway.main import create_app

SERVICES = ("applications", "exams", "supervision")
MOVE = "mutation($input: TestClockInput!) { moveTestClock(input: $input) { service now } }"


@dataclass
class Board:
    gateway: httpx.AsyncClient
    clocks: dict[str, TestClock]


@pytest.fixture
async def board(tmp_path: Path, dev_data_dir: Path) -> AsyncIterator[Board]:
    clocks: dict[str, TestClock] = {}
    transports: dict[str, httpx.AsyncBaseTransport] = {}
    for name in SERVICES:
        clocks[name] = TestClock()
        clocks[name].set(T0)
        settings = ServiceSettings(
            service_name=name,
            environment="test",
            data_dir=dev_data_dir,
            database_url=f"sqlite+aiosqlite:///{tmp_path / name}.db",
            log_json=False,
        )
        spec = ServiceSpec(title=name, description="", settings=settings, routers=[])
        app = create_service_app(spec, clock=clocks[name])
        transports[name] = httpx.ASGITransport(app=app)
    settings = Settings(
        environment="test",
        data_dir=dev_data_dir,
        log_json=False,
        **{f"{name}_url": f"http://{name}" for name in SERVICES},
    )
    gateway = create_app(settings, transports=transports)
    async with (
        LifespanManager(gateway),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway), base_url="http://gateway"
        ) as client,
    ):
        yield Board(client, clocks)


@pytest.mark.parametrize(
    ("move", "field"),
    [
        ({"advanceSeconds": 1e12}, "advance_seconds"),
        ({"advanceSeconds": 1e300}, "advance_seconds"),
        ({"advanceSeconds": -1e11}, "advance_seconds"),
        ({"setTo": "9999-12-31T00:00:00Z"}, "set_to"),
    ],
)
async def test_move_test_clock_out_of_range_is_a_coded_error(
    board: Board, mint: Minter, move: dict[str, object], field: str
) -> None:
    staff = bearer(mint("staff", "sam"))
    body = (
        await board.gateway.post(
            "/graphql", json={"query": MOVE, "variables": {"input": move}}, headers=staff
        )
    ).json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "CLOCK_OUT_OF_RANGE", "field": field, "status": 422}
    assert "2200-01-01" in error["message"]
    assert {name: clock.now() for name, clock in board.clocks.items()} == dict.fromkeys(
        SERVICES, T0
    )


async def test_move_test_clock_within_range_moves_every_service(board: Board, mint: Minter) -> None:
    staff = bearer(mint("staff", "sam"))
    body = (
        await board.gateway.post(
            "/graphql",
            json={"query": MOVE, "variables": {"input": {"setTo": "2199-12-31T00:00:00Z"}}},
            headers=staff,
        )
    ).json()
    moved = {c["service"]: datetime.fromisoformat(c["now"]) for c in body["data"]["moveTestClock"]}
    assert set(moved.values()) == {datetime.fromisoformat("2199-12-31T00:00:00+00:00")}
    assert set(moved) == set(SERVICES)
