"""The matrix for certifications: the holder's read, public verification, exams' standing."""

from __future__ import annotations

from .matrix import APPLICANT, SERVICE, STAFF, Entry, Own, Recipe, public, route
from .world import Call, Graphql, Http, World

OWN_APPLICATION = Own(APPLICANT, "the applicant's own applications")
VERIFY = """
query($number: String!) {
  verifyCertification(number: $number) {
    holderName number status issuedOn validThrough credentialUrl
    discipline { outcome decidedOn endsOn inForce }
  }
}
"""
FIND = """
query($last: String!, $first: String!) {
  findCertifications(lastName: $last, firstName: $first, first: 5) {
    items { holderName number status } nextCursor
  }
}
"""


def verify(build: type[Graphql] | type[Http]) -> Recipe:
    """Verify the number of A's certification, through the gateway or on the service."""

    async def recipe(world: World) -> Call:
        number = (await world.certified("applicant A"))["certification"]["number"]
        if build is Graphql:
            return Graphql(VERIFY, {"number": number})
        return Http("GET", f"/v1/verification/{number}")

    return recipe


def find(build: type[Graphql] | type[Http]) -> Recipe:
    """Look A up by name, through the gateway or on the service."""

    async def recipe(world: World) -> Call:
        view = await world.certified("applicant A")
        last, first = view["last_name"], view["first_name"][:1]
        if build is Graphql:
            return Graphql(FIND, {"last": last, "first": first})
        return Http("GET", "/v1/verification", params={"last_name": last, "first_name": first})

    return recipe


async def public_credential(world: World) -> Call:
    """Fetch the signed credential of A's number, as anyone may."""
    number = (await world.certified("applicant A"))["certification"]["number"]
    return Http("GET", f"/v1/verification/{number}/credential")


async def read_certification(world: World) -> Call:
    """Read A's certification on its application."""
    view = await world.certified("applicant A")
    path = f"/v1/applications/{view['id']}/certification"
    return Http("GET", path, owned=view["id"])


async def exam_standing(world: World) -> Call:
    """What exams asks about A's application before granting an exam request."""
    view = await world.application("applicant A", "paid")
    return Http("GET", f"/internal/applications/{view['id']}/exam-standing", owned=view["id"])


async def exam_standings(world: World) -> Call:
    """What exams asks about several applications at once for its summaries."""
    view = await world.application("applicant A", "paid")
    path = "/internal/applications/exam-standings"
    return Http("GET", path, params={"application_id": view["id"]})


GRAPHQL: list[Entry] = [
    public("graphql", "Query.verifyCertification", recipe=verify(Graphql)),
    public("graphql", "Query.findCertifications", recipe=find(Graphql)),
]
SERVICE_ROUTES: list[Entry] = [
    public("applications", "GET /v1/verification/{number}", recipe=verify(Http)),
    public("applications", "GET /v1/verification", recipe=find(Http)),
    public("applications", "GET /v1/verification/{number}/credential", recipe=public_credential),
    route(
        "applications",
        "GET /v1/applications/{application_id}/certification",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=read_certification,
    ),
    route(
        "applications",
        "GET /internal/applications/{application_id}/exam-standing",
        SERVICE,
        recipe=exam_standing,
    ),
    route(
        "applications",
        "GET /internal/applications/exam-standings",
        SERVICE,
        recipe=exam_standings,
    ),
]
