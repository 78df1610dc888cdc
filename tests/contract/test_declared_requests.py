"""What the contract run found, pinned: each request is answered as the OpenAPI declares it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import bearer

from .conftest import prepared, service_app


@pytest.fixture
def tokens(tmp_path: Path) -> Iterator[dict[str, str]]:
    with prepared(tmp_path / "contract") as made:
        yield made


@pytest.fixture
async def applications(tmp_path: Path, tokens: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    app = service_app("applications", tmp_path / "contract")
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as client,
    ):
        yield client


async def test_a_body_that_is_not_json_is_a_declared_400(applications, tokens) -> None:
    staff = bearer(tokens["staff"])
    answer = await applications.post(
        "/v1/providers", content=b'{"name": ', headers={**staff, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "MALFORMED_BODY"
    openapi = (await applications.get("/openapi.json")).json()
    for path in openapi["paths"].values():
        for operation in path.values():
            if "requestBody" in operation:
                assert operation["responses"]["400"]["description"] == "MALFORMED_BODY"


async def test_a_date_parameter_takes_only_a_date(applications, tokens) -> None:
    staff = bearer(tokens["staff"])
    number = await applications.get("/v1/queues", params={"submitted_to": "0"}, headers=staff)
    assert (number.status_code, number.json()["error"]["field"]) == (422, "submitted_to")
    day = await applications.get("/v1/queues", params={"submitted_to": "2026-03-10"}, headers=staff)
    assert day.status_code == 200


async def test_the_submission_form_declares_every_field_and_both_files(applications) -> None:
    openapi = (await applications.get("/openapi.json")).json()
    body = openapi["paths"]["/v1/applications"]["post"]["requestBody"]["content"]
    reference = body["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[-1]
    form = openapi["components"]["schemas"][reference]
    assert {"first_name", "date_of_birth", "lived_experience", "government_id", "diploma"} <= set(
        form["required"]
    )


async def test_a_method_the_path_does_not_allow_names_those_it_does(applications) -> None:
    answer = await applications.delete("/v1/queues")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert answer.json()["error"]["code"] == "METHOD_NOT_ALLOWED"
