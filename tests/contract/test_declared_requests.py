"""What the contract run found, pinned: each request is answered as the OpenAPI declares it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.testing.plugin import bearer

from .conftest import SERVICES, prepared, service_app


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


async def test_a_json_body_takes_no_text_for_a_number_nor_a_number_for_a_boolean(
    applications, tokens
) -> None:
    staff = bearer(tokens["staff"])
    made = await applications.post("/v1/providers", json={"name": "Peer Works"}, headers=staff)
    assert made.status_code == 201, made.text
    provider = made.json()
    programs = f"/v1/providers/{provider['id']}/programs"
    for body, field in [
        ({"name": "Core", "hours": "40"}, "hours"),
        ({"name": "Core", "hours": 40.5}, "hours"),
        ({"name": "  ", "hours": 40}, "name"),
        ({"name": "Core", "hours": 40, "active": True}, "active"),
    ]:
        answer = await applications.post(programs, json=body, headers=staff)
        assert (answer.status_code, answer.json()["error"]["field"]) == (422, field), body
    change = {"expected_version": provider["version"], "clear_webhook": 0}
    answer = await applications.patch(f"/v1/providers/{provider['id']}", json=change, headers=staff)
    assert (answer.status_code, answer.json()["error"]["field"]) == (422, "clear_webhook")
    listed = await applications.get(programs, headers=staff)
    assert listed.json() == []


async def test_a_form_boolean_is_true_or_false_as_its_schema_says(applications, tokens) -> None:
    form = {
        "first_name": "Ann",
        "last_name": "Lee",
        "date_of_birth": "1990-01-02",
        "email": "ann@example.org",
        "code_of_ethics_agreed": "1",
        "lived_experience": "consumer",
        "willing_to_share_experience": "true",
    }
    files = {
        "government_id": ("id.pdf", b"%PDF-1.4\n", "application/pdf"),
        "diploma": ("d.pdf", b"%PDF-1.4\n", "application/pdf"),
    }
    answer = await applications.post(
        "/v1/applications", data=form, files=files, headers=bearer(tokens["applicant"])
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["field"] == "code_of_ethics_agreed"


def test_the_bearer_token_is_declared_on_every_operation_but_the_public_ones(
    tmp_path: Path,
) -> None:
    for name in SERVICES:
        openapi = service_app(name, tmp_path).openapi()
        assert openapi["components"]["securitySchemes"] == {
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        }
        public = {
            f"{method.upper()} {path}"
            for path, operations in openapi["paths"].items()
            for method, operation in operations.items()
            if operation.get("security") != [{"bearer": []}]
        }
        anyone = {"GET /healthz", "GET /readyz", "GET /v1/policy"}
        # Employers and the public verify a certificate, or a credential with the board's
        # keys and status lists, without an account.
        own = {
            "applications": {
                "GET /v1/verification/{number}",
                "GET /v1/verification",
                "GET /.well-known/credential-jwks.json",
                "GET /v1/status-lists/{purpose}",
                "POST /v1/credentials/verify",
            }
        }.get(name, set())
        assert public == anyone | own, name


def test_the_clock_update_declares_its_three_shapes(tmp_path: Path) -> None:
    openapi = service_app("applications", tmp_path).openapi()
    update = openapi["components"]["schemas"]["ClockUpdate"]
    assert [shape["required"] for shape in update["oneOf"]] == [
        ["set_to"],
        ["advance_seconds"],
        ["reset"],
    ]
    assert update["additionalProperties"] is False


async def test_a_boolean_parameter_is_true_or_false(applications, tokens) -> None:
    staff = bearer(tokens["staff"])
    queue = "/v1/certificates/review-queue"
    for spelling in ("yes", "on", "1", "f"):
        answer = await applications.get(queue, params={"breaches_only": spelling}, headers=staff)
        assert (answer.status_code, answer.json()["error"]["field"]) == (422, "breaches_only")
    answer = await applications.get(queue, params={"breaches_only": "true"}, headers=staff)
    assert answer.status_code == 200, answer.text
    parameters = (await applications.get("/openapi.json")).json()["paths"][queue]["get"]
    declared = {each["name"]: each["schema"] for each in parameters["parameters"]}
    assert declared["breaches_only"]["type"] == "boolean"
