"""The certificate and provider routes declare the errors they can really give, and say what
they do."""

from __future__ import annotations

from typing import Any

EXPECTED: dict[tuple[str, str], dict[str, set[str]]] = {
    ("get", "/v1/certificates/summary"): {},
    ("post", "/v1/certificates/{certificate_id}/accept"): {
        "404": {"NOT_FOUND"},
        "409": {"TRANSITION_NOT_ALLOWED", "CERTIFICATE_EXPIRED", "VERSION_CONFLICT"},
    },
    ("post", "/v1/certificates/{certificate_id}/reject"): {
        "404": {"NOT_FOUND"},
        "409": {"TRANSITION_NOT_ALLOWED", "VERSION_CONFLICT"},
        "422": {"VALIDATION_ERROR", "INVALID_INPUT"},
    },
    ("get", "/v1/providers/{provider_id}"): {"404": {"NOT_FOUND"}},
    ("patch", "/v1/providers/{provider_id}"): {
        "404": {"NOT_FOUND"},
        "409": {"VERSION_CONFLICT"},
        "422": {"VALIDATION_ERROR", "INVALID_INPUT"},
    },
    ("post", "/v1/providers/{provider_id}/certificates"): {
        "404": {"NOT_FOUND"},
        "409": {"IDEMPOTENCY_IN_PROGRESS"},
        "413": {"PAYLOAD_TOO_LARGE"},
        "422": {"VALIDATION_ERROR", "INVALID_INPUT", "IDEMPOTENCY_KEY_REUSED"},
    },
}
AUTHENTICATED = {
    "401": {"UNAUTHENTICATED"},
    "403": {"FORBIDDEN"},
    "422": {"VALIDATION_ERROR"},
    "429": {"RATE_LIMITED"},
}
# Every route that reads a body (here: every one but the GETs) declares its unreadable form.
WITH_BODY = {"400": {"MALFORMED_BODY"}}


def _errors(operation: dict[str, Any]) -> dict[str, set[str]]:
    return {
        status: set(answer["description"].split(" or "))
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    }


async def test_each_route_names_its_own_errors(app) -> None:
    paths = app.openapi()["paths"]
    for (method, path), errors in EXPECTED.items():
        body = WITH_BODY if method != "get" else {}
        assert _errors(paths[path][method]) == {**AUTHENTICATED, **body, **errors}, (method, path)


async def test_every_route_has_a_description(app) -> None:
    for path, operations in app.openapi()["paths"].items():
        if path.startswith(("/v1/certificates", "/v1/providers")):
            for method, operation in operations.items():
                assert operation.get("description"), (method, path)
