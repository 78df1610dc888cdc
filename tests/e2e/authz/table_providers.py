"""The matrix for training providers, their programs and the certificates they upload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .matrix import (
    PROVIDER,
    STAFF,
    Entry,
    Own,
    Recipe,
    fixed,
    mutation,
    query,
    route,
    versioned,
)
from .world import Call, Graphql, Http, World, certificate_row

OWN_PROVIDER = Own(PROVIDER, "the provider's own record, programs and uploads")
P = "/v1/providers/{provider_id}"
C = "/v1/certificates/{certificate_id}"
PAGE = "{ items { id } nextCursor }"
SUSPEND, SUSPENDED = versioned("updateTrainingProvider", status=("ProviderStatus", "SUSPENDED"))


def on_provider(build: Callable[[dict[str, Any], str], Call]) -> Recipe:
    """A call on provider X's record; ``build`` gets the provider and its program's id."""

    async def recipe(world: World) -> Call:
        provider = world.providers["provider X"]
        call = build(provider, await world.program("provider X"))
        call.owned = provider["id"]
        return call

    return recipe


def on_certificate(build: Callable[[dict[str, Any], str], Call]) -> Recipe:
    """A call on X's pending, unmatched certificate; ``build`` also gets A's application id."""

    async def recipe(world: World) -> Call:
        certificate = await world.certificate("provider X")
        application = await world.application("applicant A", "submitted")
        call = build(certificate, application["id"])
        call.owned = certificate["id"]
        return call

    return recipe


def review(field: str, **arguments: tuple[str, Any]) -> Recipe:
    """A versioned GraphQL decision on X's certificate; ``arguments``: name=(type, value)."""
    text, values = versioned(field, **arguments)
    return on_certificate(lambda c, _: Graphql(text, {"id": c["id"], "v": c["version"], **values}))


def upload_rows(program_id: str) -> list[dict[str, Any]]:
    return [certificate_row(program_id, "MATRIX-1")]


def graphql_rows(program_id: str) -> list[dict[str, Any]]:
    row = upload_rows(program_id)[0]
    return [
        {
            "certificateId": row["certificate_id"],
            "legalName": row["legal_name"],
            "dateOfBirth": row["date_of_birth"],
            "email": row["email"],
            "programId": row["program_id"],
            "completionDate": row["completion_date"],
            "hours": row["hours"],
        }
    ]


GRAPHQL: list[Entry] = [
    query("trainingProviders", STAFF, recipe=fixed(Graphql("{ trainingProviders { id } }"))),
    query(
        "trainingProvider",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(
            lambda p, _: Graphql(
                "query($id: ID!) { trainingProvider(id: $id) { id } }", {"id": p["id"]}
            )
        ),
    ),
    query(
        "trainingPrograms",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(
            lambda p, _: Graphql(
                "query($id: ID!) { trainingPrograms(providerId: $id) { id } }", {"id": p["id"]}
            )
        ),
    ),
    query(
        "providerCertificates",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(
            lambda p, _: Graphql(
                f"query($id: ID!) {{ providerCertificates(providerId: $id) {PAGE} }}",
                {"id": p["id"]},
            )
        ),
    ),
    query(
        "certificateReviewQueue",
        STAFF,
        recipe=fixed(Graphql(f"{{ certificateReviewQueue {PAGE} }}")),
    ),
    query(
        "unmatchedCertificates", STAFF, recipe=fixed(Graphql(f"{{ unmatchedCertificates {PAGE} }}"))
    ),
    query("certificateCounts", STAFF, recipe=fixed(Graphql("{ certificateCounts { unmatched } }"))),
    mutation(
        "createTrainingProvider",
        STAFF,
        recipe=fixed(Graphql('mutation { createTrainingProvider(name: "Matrix Academy") { id } }')),
    ),
    mutation(
        "updateTrainingProvider",
        STAFF,
        recipe=on_provider(
            lambda p, _: Graphql(SUSPEND, {"id": p["id"], "v": p["version"], **SUSPENDED})
        ),
    ),
    mutation(
        "addTrainingProgram",
        STAFF,
        recipe=on_provider(
            lambda p, _: Graphql(
                "mutation($id: ID!) "
                '{ addTrainingProgram(providerId: $id, name: "Advanced", hours: 90) { id } }',
                {"id": p["id"]},
            )
        ),
    ),
    mutation(
        "uploadCertificates",
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(
            lambda p, program: Graphql(
                "mutation($id: ID!, $rows: [CertificateInput!]!) { uploadCertificates("
                'providerId: $id, certificates: $rows, idempotencyKey: "matrix-1") '
                "{ batch { accepted } } }",
                {"id": p["id"], "rows": graphql_rows(program)},
            )
        ),
    ),
    mutation("acceptCertificate", STAFF, recipe=review("acceptCertificate")),
    mutation(
        "rejectCertificate",
        STAFF,
        recipe=review("rejectCertificate", reason=("String!", "Unsigned.")),
    ),
    mutation(
        "linkCertificate",
        STAFF,
        recipe=on_certificate(
            lambda c, application: Graphql(
                "mutation($id: ID!, $v: Int!, $a: ID!) "
                "{ linkCertificate(id: $id, expectedVersion: $v, applicationId: $a) { id } }",
                {"id": c["id"], "v": c["version"], "a": application},
            )
        ),
    ),
]

SERVICE: list[Entry] = [
    route("applications", "GET /v1/providers", STAFF, recipe=fixed(Http("GET", "/v1/providers"))),
    route(
        "applications",
        "POST /v1/providers",
        STAFF,
        recipe=fixed(Http("POST", "/v1/providers", json={"name": "Matrix Academy over REST"})),
    ),
    route(
        "applications",
        f"GET {P}",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(lambda p, _: Http("GET", f"/v1/providers/{p['id']}")),
    ),
    route(
        "applications",
        f"PATCH {P}",
        STAFF,
        recipe=on_provider(
            lambda p, _: Http(
                "PATCH",
                f"/v1/providers/{p['id']}",
                json={"expected_version": p["version"], "status": "suspended"},
            )
        ),
    ),
    route(
        "applications",
        f"POST {P}/programs",
        STAFF,
        recipe=on_provider(
            lambda p, _: Http(
                "POST", f"/v1/providers/{p['id']}/programs", json={"name": "Advanced", "hours": 90}
            )
        ),
    ),
    route(
        "applications",
        f"GET {P}/programs",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(lambda p, _: Http("GET", f"/v1/providers/{p['id']}/programs")),
    ),
    route(
        "applications",
        f"POST {P}/certificates",
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(
            lambda p, program: Http(
                "POST",
                f"/v1/providers/{p['id']}/certificates",
                json={"certificates": upload_rows(program)},
                headers={"Idempotency-Key": "matrix-1"},
            )
        ),
    ),
    route(
        "applications",
        f"GET {P}/certificates",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_provider(lambda p, _: Http("GET", f"/v1/providers/{p['id']}/certificates")),
    ),
    route(
        "applications",
        "GET /v1/certificates/summary",
        STAFF,
        recipe=fixed(Http("GET", "/v1/certificates/summary")),
    ),
    route(
        "applications",
        "GET /v1/certificates/review-queue",
        STAFF,
        recipe=fixed(Http("GET", "/v1/certificates/review-queue")),
    ),
    route(
        "applications",
        "GET /v1/certificates/unmatched",
        STAFF,
        recipe=fixed(Http("GET", "/v1/certificates/unmatched")),
    ),
    route(
        "applications",
        f"GET {C}/file",
        STAFF,
        recipe=on_certificate(lambda c, _: Http("GET", f"/v1/certificates/{c['id']}/file")),
    ),
    route(
        "applications",
        f"POST {C}/accept",
        STAFF,
        recipe=on_certificate(
            lambda c, _: Http(
                "POST",
                f"/v1/certificates/{c['id']}/accept",
                json={"expected_version": c["version"]},
            )
        ),
    ),
    route(
        "applications",
        f"POST {C}/reject",
        STAFF,
        recipe=on_certificate(
            lambda c, _: Http(
                "POST",
                f"/v1/certificates/{c['id']}/reject",
                json={"expected_version": c["version"], "reason": "Unsigned."},
            )
        ),
    ),
    route(
        "applications",
        f"POST {C}/link",
        STAFF,
        recipe=on_certificate(
            lambda c, application: Http(
                "POST",
                f"/v1/certificates/{c['id']}/link",
                json={"expected_version": c["version"], "application_id": application},
            )
        ),
    ),
]
