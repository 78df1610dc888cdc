"""The OpenAPI document names the errors each application route can really give."""

from __future__ import annotations

from typing import Any

import httpx


def _errors(document: dict[str, Any], path: str, method: str) -> dict[str, str]:
    responses = document["paths"][path][method]["responses"]
    return {s: r["description"] for s, r in responses.items() if s.startswith(("4", "5"))}


async def test_routes_declare_their_own_errors(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    approve = _errors(document, "/v1/applications/{application_id}/approve", "post")
    assert set(approve["409"].split(" or ")) == {
        "VERSION_CONFLICT",
        "TRANSITION_NOT_ALLOWED",
        "APPROVAL_REQUIREMENT_UNMET",
    }
    assert approve["503"] == "UPSTREAM_UNAVAILABLE"
    assert approve["404"] == "NOT_FOUND"
    views = _errors(document, "/v1/applications/views", "post")
    assert set(views) == {"400", "401", "403", "422", "429"}
    assert views["400"] == "MALFORMED_BODY"
    fee = _errors(document, "/v1/applications/{application_id}/payments", "post")
    assert set(fee["409"].split(" or ")) == {"TRANSITION_NOT_ALLOWED", "DUPLICATE_PAYMENT"}
    assert set(fee) == {"400", "401", "403", "404", "409", "422", "429"}


async def test_a_state_that_forbids_an_action_has_one_code(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    for path in (
        "/v1/applications/{application_id}/documents",
        "/v1/applications/{application_id}/background-check",
        "/v1/certificates/{certificate_id}/accept",
        "/v1/certificates/{certificate_id}/reject",
    ):
        codes = set(_errors(document, path, "post")["409"].split(" or "))
        assert "TRANSITION_NOT_ALLOWED" in codes, path
        assert "CONFLICT" not in codes, path
    submit = _errors(document, "/v1/applications", "post")
    assert submit["409"] == "OPEN_APPLICATION_EXISTS"
