"""The matrix for employer alerts: an employer's own profile, enrolments and alerts, and the
followers of a certification for its holder and staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ce_world import certification
from .matrix import APPLICANT, EMPLOYER, STAFF, Entry, Own, Recipe, field, fixed, mutation, route
from .world import Call, Graphql, Http, World

OWN_PROFILE = Own(EMPLOYER, "the employer's own profile")
OWN_ENROLMENT = Own(EMPLOYER, "the employer's own enrolment")
OWN_LISTING = Own(EMPLOYER, "the employer's own enrolments and alerts", listing=True)
OWN_CERTIFICATION = Own(APPLICANT, "the certified person's own certification")


async def profile(world: World, who: str = "employer E") -> dict[str, Any]:
    """``who``'s employer profile, made once per World."""
    made: dict[str, Any] = world.__dict__.setdefault("_employers", {})
    if who not in made:
        body = {"organisation": f"{who} Health", "alert_email": "hr@example.org"}
        answer = await world.service_call(
            "applications", Http("POST", "/v1/employer/profile", json=body), world.token(who)
        )
        assert answer.status_code == 201, answer.text
        made[who] = answer.json()
    return made[who]


def enrolment_body(number: str) -> dict[str, str]:
    # The matrix's applicants are named Lopez<suffix> (world.application_form).
    return {"certificate_number": number, "last_name": "LopezA"}


async def enrolment(world: World) -> dict[str, Any]:
    """Employer E following applicant A's certification."""
    made: dict[str, Any] = world.__dict__.setdefault("_enrolments", {})
    if "E" not in made:
        await profile(world)
        number = (await certification(world))["number"]
        answer = await world.service_call(
            "applications",
            Http("POST", "/v1/employer/enrolments", json=enrolment_body(number)),
            world.token("employer E"),
        )
        assert answer.status_code == 201, answer.text
        made["E"] = answer.json()
    return made["E"]


def on_enrolment(build: Callable[[dict[str, Any]], Http]) -> Recipe:
    async def recipe(world: World) -> Call:
        return build(await enrolment(world))

    return recipe


async def read_profile(world: World) -> Call:
    await profile(world)
    return Http("GET", "/v1/employer/profile")


async def patch_profile(world: World) -> Call:
    made = await profile(world)
    return Http(
        "PATCH",
        "/v1/employer/profile",
        json={"expected_version": made["version"], "organisation": "Renamed Health"},
        owned=made["id"],
    )


async def rotate(world: World) -> Call:
    made = await profile(world)
    return Http(
        "POST",
        "/v1/employer/profile/webhook-secret",
        json={"expected_version": made["version"]},
        owned=made["id"],
    )


async def enrol_one(world: World) -> Call:
    # Both employers have a profile: each may enrol anyone it can name.
    await profile(world, "employer E")
    await profile(world, "employer F")
    number = (await certification(world))["number"]
    return Http("POST", "/v1/employer/enrolments", json=enrolment_body(number))


async def followers(world: World) -> Call:
    await enrolment(world)
    ident = (await certification(world))["id"]
    return Http("GET", f"/v1/certifications/{ident}/followers", owned=ident)


SERVICE_ROUTES: list[Entry] = [
    route(
        "applications",
        "POST /v1/employer/profile",
        EMPLOYER,
        recipe=fixed(
            Http(
                "POST",
                "/v1/employer/profile",
                json={"organisation": "Acme Health", "alert_email": "hr@example.org"},
            )
        ),
    ),
    route(
        "applications", "GET /v1/employer/profile", EMPLOYER, own=OWN_PROFILE, recipe=read_profile
    ),
    route(
        "applications",
        "PATCH /v1/employer/profile",
        EMPLOYER,
        own=OWN_PROFILE,
        recipe=patch_profile,
    ),
    route(
        "applications",
        "POST /v1/employer/profile/webhook-secret",
        EMPLOYER,
        own=OWN_PROFILE,
        recipe=rotate,
    ),
    route("applications", "POST /v1/employer/enrolments", EMPLOYER, recipe=enrol_one),
    route(
        "applications",
        "GET /v1/employer/enrolments",
        EMPLOYER,
        own=OWN_LISTING,
        recipe=on_enrolment(lambda e: Http("GET", "/v1/employer/enrolments", owned=e["id"])),
    ),
    route(
        "applications",
        "DELETE /v1/employer/enrolments/{enrolment_id}",
        EMPLOYER,
        own=OWN_ENROLMENT,
        recipe=on_enrolment(
            lambda e: Http("DELETE", f"/v1/employer/enrolments/{e['id']}", owned=e["id"])
        ),
    ),
    route(
        "applications",
        "GET /v1/employer/alerts",
        EMPLOYER,
        own=OWN_LISTING,
        recipe=on_enrolment(lambda e: Http("GET", "/v1/employer/alerts", owned=e["id"])),
    ),
    route(
        "applications",
        "GET /v1/certifications/{certification_id}/followers",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        recipe=followers,
    ),
]


ME_EMPLOYER = (
    "{ me { employer { profile { id organisation } enrolments { items { id certificateNumber } }"
    " alerts { items { id kind } } } } }"
)


async def graphql_enrol(world: World) -> Call:
    await profile(world, "employer E")
    await profile(world, "employer F")
    number = (await certification(world))["number"]
    return Graphql(
        "mutation($n: String!) { enrolCertification(certificateNumber: $n, lastName: "
        '"lopeza") { id certificateNumber } }',
        {"n": number},
    )


async def graphql_update(world: World) -> Call:
    made = await profile(world)
    return Graphql(
        "mutation($v: Int!) { updateEmployerProfile(expectedVersion: $v, "
        'organisation: "Renamed Health") { id version } }',
        {"v": made["version"]},
        owned=made["id"],
    )


async def graphql_rotate(world: World) -> Call:
    made = await profile(world)
    return Graphql(
        "mutation($v: Int!) { rotateEmployerWebhookSecret(expectedVersion: $v) "
        "{ profile { id version } webhookSecret } }",
        {"v": made["version"]},
        owned=made["id"],
    )


GRAPHQL: list[Entry] = [
    field(
        "Me",
        "employer",
        EMPLOYER,
        own=OWN_LISTING,
        recipe=on_enrolment(lambda e: Graphql(ME_EMPLOYER, owned=e["id"])),
    ),
    mutation(
        "createEmployerProfile",
        EMPLOYER,
        recipe=fixed(
            Graphql(
                'mutation { createEmployerProfile(organisation: "Acme Health", '
                'alertEmail: "hr@example.org") { profile { id } webhookSecret } }'
            )
        ),
    ),
    mutation("updateEmployerProfile", EMPLOYER, own=OWN_PROFILE, recipe=graphql_update),
    mutation("rotateEmployerWebhookSecret", EMPLOYER, own=OWN_PROFILE, recipe=graphql_rotate),
    mutation("enrolCertification", EMPLOYER, recipe=graphql_enrol),
    mutation(
        "unenrolCertification",
        EMPLOYER,
        own=OWN_ENROLMENT,
        recipe=on_enrolment(
            lambda e: Graphql(
                "mutation($id: ID!) { unenrolCertification(id: $id) }",
                {"id": e["id"]},
                owned=e["id"],
            )
        ),
    ),
]
