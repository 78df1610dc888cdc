"""The exam form routes declare the errors they can really give, and say what they do."""

from __future__ import annotations

from typing import Any

ITEMS = {"422": {"VALIDATION_ERROR", "FORM_ITEMS_INVALID"}}
MOVE = {"404": {"NOT_FOUND"}, "409": {"VERSION_CONFLICT", "TRANSITION_NOT_ALLOWED"}}
F = "/v1/exam-forms/{form_id}"
EXPECTED: dict[tuple[str, str], dict[str, set[str]]] = {
    ("post", "/v1/exam-forms"): {"409": {"FORM_EDITION_EXISTS"}, **ITEMS},
    ("post", "/v1/exam-forms/import"): {
        "409": {"FORM_EDITION_EXISTS"},
        "413": {"PAYLOAD_TOO_LARGE"},
        "415": {"UNSUPPORTED_MEDIA_TYPE"},
        **ITEMS,
    },
    ("get", "/v1/exam-forms"): {"422": {"VALIDATION_ERROR", "INVALID_INPUT"}},
    ("get", F): {"404": {"NOT_FOUND"}},
    ("get", f"{F}/key"): {"404": {"NOT_FOUND"}},
    ("put", f"{F}/items"): {**MOVE, **ITEMS},
    ("post", f"{F}/publish"): {**MOVE, **ITEMS},
    ("post", f"{F}/retire"): MOVE,
}
AUTHENTICATED = {
    "401": {"UNAUTHENTICATED"},
    "403": {"FORBIDDEN"},
    "422": {"VALIDATION_ERROR"},
    "429": {"RATE_LIMITED"},
}
WITH_BODY = {"400": {"MALFORMED_BODY"}}


def _errors(operation: dict[str, Any]) -> dict[str, set[str]]:
    return {
        status: set(answer["description"].split(" or "))
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    }


async def test_each_route_names_its_own_errors(app) -> None:
    paths = app.openapi()["paths"]
    # Item analysis and key corrections live under the form's path but belong to the attempts.
    theirs = ("/item-analysis", "/key-correction")
    served = {
        (m, p)
        for p, ops in paths.items()
        if p.startswith("/v1/exam-forms") and not p.endswith(theirs)
        for m in ops
    }
    assert served == set(EXPECTED)
    for (method, path), errors in EXPECTED.items():
        body = WITH_BODY if method != "get" else {}
        assert _errors(paths[path][method]) == {**AUTHENTICATED, **body, **errors}, (method, path)
        assert paths[path][method].get("description"), (method, path)


async def test_no_schema_but_the_key_read_carries_a_key(app) -> None:
    schemas = app.openapi()["components"]["schemas"]
    keyed = sorted(
        name
        for name, schema in schemas.items()
        if "key" in schema.get("properties", {}) and name.startswith(("Form", "Item", "Keyed"))
    )
    # ItemIn: what staff send; KeyedItem: the items of FormKey, the admin read.
    assert keyed == ["ItemIn", "KeyedItem"]
