"""The matrix for credentials: the holder's signed credential, the board's keys, the status
lists and verification of a presented credential (the last three public)."""

from __future__ import annotations

from .ce_world import certification
from .matrix import APPLICANT, STAFF, Entry, Own, fixed, public, route
from .world import Call, Graphql, Http, World

OWN_CERTIFICATION = Own(APPLICANT, "the certified person's own certification")


async def read_credential(world: World) -> Call:
    """A's certification's signed credential."""
    ident = (await certification(world))["id"]
    return Http("GET", f"/v1/certifications/{ident}/credential", owned=ident)


SERVICE: list[Entry] = [
    route(
        "applications",
        "GET /v1/certifications/{certification_id}/credential",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        recipe=read_credential,
    ),
    public(
        "applications",
        "GET /.well-known/credential-jwks.json",
        recipe=fixed(Http("GET", "/.well-known/credential-jwks.json")),
    ),
    public(
        "applications",
        "GET /v1/status-lists/{purpose}",
        recipe=fixed(Http("GET", "/v1/status-lists/revocation")),
    ),
    # Garbage is answered too (not verified, with the reason): the route is open to anyone.
    public(
        "applications",
        "POST /v1/credentials/verify",
        recipe=fixed(Http("POST", "/v1/credentials/verify", json={"credential": "x.y.z"})),
    ),
]

GRAPHQL: list[Entry] = [
    public(
        "graphql",
        "Query.verifyCredential",
        recipe=fixed(
            Graphql('{ verifyCredential(credential: "x.y.z") { verified checks { check ok } } }')
        ),
    ),
]
