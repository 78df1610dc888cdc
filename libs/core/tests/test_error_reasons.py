"""A refusal may list every reason; every other error keeps the shape it always had."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from certboard_core.errors import Conflict, ErrorReason, NotFound, install_error_handlers


def app() -> FastAPI:
    application = FastAPI()
    install_error_handlers(application)

    @application.get("/several")
    async def several() -> None:
        raise Conflict(
            "refused: a; b",
            field="a",
            code="NOT_ELIGIBLE",
            reasons=[
                ErrorReason(code="A", message="a", field="a"),
                ErrorReason(code="B", message="b"),
            ],
        )

    @application.get("/one")
    async def one() -> None:
        raise NotFound("no such thing", field="id")

    return application


async def test_reasons_are_listed_only_where_given() -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app()), base_url="http://t"
    ) as client:
        several = (await client.get("/several")).json()["error"]
        one = (await client.get("/one")).json()["error"]
    assert (several["code"], several["field"]) == ("NOT_ELIGIBLE", "a")
    assert several["reasons"] == [
        {"code": "A", "message": "a", "field": "a"},
        {"code": "B", "message": "b", "field": None},
    ]
    assert one == {
        "code": "NOT_FOUND",
        "message": "no such thing",
        "field": "id",
        "request_id": None,
    }
