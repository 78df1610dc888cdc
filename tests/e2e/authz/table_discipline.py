"""The matrix for complaints and discipline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..helpers import PDF
from .ce_world import certification
from .matrix import (
    APPLICANT,
    SERVICE,
    STAFF,
    Entry,
    Own,
    Recipe,
    fixed,
    mutation,
    public,
    query,
    route,
)
from .world import Call, Graphql, Http, World

OWN_CERTIFICATION = Own(APPLICANT, "the certified person's own certification")
C = "/v1/complaints/{complaint_id}"


def complaint_form(number: str) -> dict[str, str]:
    return {
        "certificate_number": number,
        "description": "Shared a client's story at a public meeting without consent.",
    }


async def filed(world: World) -> dict[str, Any]:
    """A complaint against applicant A's certification with one attachment, filed without a
    token: its id, version and attachment's id."""
    made: dict[str, Any] = world.__dict__.setdefault("_complaints", {})
    if "complaint" not in made:
        number = (await certification(world))["number"]
        form = Http("POST", "/v1/complaints", data=complaint_form(number), files=attachment())
        answer = await world.service_call("applications", form, None)
        assert answer.status_code == 201, answer.text
        ident = answer.json()["reference"]
        read = Http("GET", f"/v1/complaints/{ident}")
        complaint = await world.service_call("applications", read, world.tokens["staff"])
        (attached,) = complaint.json()["attachments"]
        made["complaint"] = {"id": ident, "version": 1, "attachment": attached["id"]}
    return made["complaint"]


def attachment() -> dict[str, tuple[str, bytes, str]]:
    return {"attachments": ("minutes.pdf", PDF, "application/pdf")}


def on_complaint(build: Callable[[dict[str, Any]], Http]) -> Recipe:
    async def recipe(world: World) -> Call:
        return build(await filed(world))

    return recipe


async def file_one(world: World) -> Call:
    number = (await certification(world))["number"]
    return Http("POST", "/v1/complaints", data=complaint_form(number))


async def decisions(world: World) -> Call:
    ident = (await certification(world))["id"]
    return Http("GET", f"/v1/certifications/{ident}/discipline", owned=ident)


SERVICE_ROUTES: list[Entry] = [
    public("applications", "POST /v1/complaints", recipe=file_one),
    route(
        "applications",
        "GET /internal/discipline/bars",
        SERVICE,
        STAFF,
        recipe=fixed(Http("GET", "/internal/discipline/bars", params={"applicant_id": "a"})),
    ),
    route("applications", "GET /v1/complaints", STAFF, recipe=fixed(Http("GET", "/v1/complaints"))),
    route(
        "applications",
        f"GET {C}",
        STAFF,
        recipe=on_complaint(lambda c: Http("GET", f"/v1/complaints/{c['id']}")),
    ),
    route(
        "applications",
        f"GET {C}/attachments/{{attachment_id}}",
        STAFF,
        recipe=on_complaint(
            lambda c: Http("GET", f"/v1/complaints/{c['id']}/attachments/{c['attachment']}")
        ),
    ),
    route(
        "applications",
        f"POST {C}/investigation",
        STAFF,
        recipe=on_complaint(
            lambda c: Http(
                "POST",
                f"/v1/complaints/{c['id']}/investigation",
                json={"expected_version": c["version"], "note": "Asked the employer."},
            )
        ),
    ),
    route(
        "applications",
        f"POST {C}/decision",
        STAFF,
        recipe=on_complaint(
            lambda c: Http(
                "POST",
                f"/v1/complaints/{c['id']}/decision",
                json={
                    "expected_version": c["version"],
                    "outcome": "dismissed",
                    "reasons": "Not within the board's remit.",
                },
            )
        ),
    ),
    route(
        "applications",
        "GET /v1/certifications/{certification_id}/discipline",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        recipe=decisions,
    ),
]


async def file_by_graphql(world: World) -> Call:
    number = (await certification(world))["number"]
    return Graphql(
        "mutation($n: String!) { fileComplaint(certificateNumber: $n, description: "
        '"Shared a client\'s story at a public meeting without consent.") { reference } }',
        {"n": number},
    )


def on_complaint_graphql(query_text: str, *, versioned: bool = True) -> Recipe:
    async def recipe(world: World) -> Call:
        made = await filed(world)
        variables = {"id": made["id"], **({"v": made["version"]} if versioned else {})}
        return Graphql(query_text, variables)

    return recipe


GRAPHQL: list[Entry] = [
    public("graphql", "Mutation.fileComplaint", recipe=file_by_graphql),
    query("complaints", STAFF, recipe=fixed(Graphql("{ complaints { received items { id } } }"))),
    query(
        "complaint",
        STAFF,
        recipe=on_complaint_graphql(
            "query($id: ID!) { complaint(id: $id) { id } }", versioned=False
        ),
    ),
    mutation(
        "takeUpComplaint",
        STAFF,
        recipe=on_complaint_graphql(
            "mutation($id: ID!, $v: Int!) { takeUpComplaint(id: $id, expectedVersion: $v, "
            'note: "Asked the employer.") { status } }'
        ),
    ),
    mutation(
        "decideComplaint",
        STAFF,
        recipe=on_complaint_graphql(
            "mutation($id: ID!, $v: Int!) { decideComplaint(id: $id, expectedVersion: $v, "
            'outcome: DISMISSED, reasons: "Not within the board\'s remit.") { status } }'
        ),
    ),
]
