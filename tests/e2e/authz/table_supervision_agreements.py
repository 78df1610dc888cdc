"""The matrix for supervisors and supervision agreements (the supervision service and its
GraphQL fields). An agreement has two owners, the peer (applicant A) and the supervisor (S):
applicant B and supervisor T get NOT_FOUND, staff reach all.

Where two allowed callers make the same versioned change in turn, the second holds a stale
version: VERSION_CONFLICT is its expected refusal (``accepts``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .matrix import (
    APPLICANT,
    STAFF,
    SUPERVISOR,
    Entry,
    Own,
    Recipe,
    fixed,
    mutation,
    query,
    route,
)
from .world import Call, Graphql, Http, World, supervisor_registration

OWN_SUPERVISOR = Own(SUPERVISOR, "the supervisor's own record")
OWN_AGREEMENT = Own(SUPERVISOR, "the agreement's supervisor and peer", also=(APPLICANT,))
OWN_AGREEMENTS = Own(SUPERVISOR, "the agreements of each party", listing=True, also=(APPLICANT,))
READERS = (STAFF, APPLICANT, SUPERVISOR)
PARTIES = (APPLICANT, SUPERVISOR)
STALE = ("VERSION_CONFLICT",)
A = "/v1/agreements/{agreement_id}"
S = "/v1/supervisors/{supervisor_id}"
AGREEMENT_FIELDS = "{ id status }"


def on_supervisor(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call on supervisor S's verified record."""

    async def recipe(world: World) -> Call:
        supervisor = await world.supervisor("supervisor S")
        call = build(supervisor)
        call.owned = supervisor["id"]
        return call

    return recipe


def on_agreement(build: Callable[[dict[str, Any]], Call], state: str = "drafted") -> Recipe:
    """A call on applicant A's agreement with supervisor S."""

    async def recipe(world: World) -> Call:
        agreement = await world.agreement(state)
        call = build(agreement)
        call.owned = agreement["id"]
        return call

    return recipe


def with_supervisor(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call that needs supervisor S registered and verified, on no one's object."""

    async def recipe(world: World) -> Call:
        return build(await world.supervisor("supervisor S"))

    return recipe


def draft_body(supervisor: dict[str, Any]) -> dict[str, Any]:
    return {
        "supervisor_id": supervisor["id"],
        "employer": "Helena Peer Network",
        "starts_on": "2026-03-01",
        "relationship_attested": True,
        "not_family_attested": True,
    }


def path(template: str, value: str) -> str:
    return template.replace("{agreement_id}", value).replace("{supervisor_id}", value)


SERVICE: list[Entry] = [
    route(
        "supervision",
        "POST /v1/supervisors",
        SUPERVISOR,
        recipe=fixed(Http("POST", "/v1/supervisors", json=supervisor_registration("matrix"))),
    ),
    route(
        "supervision", "GET /v1/supervisors", STAFF, recipe=fixed(Http("GET", "/v1/supervisors"))
    ),
    route(
        "supervision",
        f"GET {S}",
        STAFF,
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_supervisor(lambda s: Http("GET", path(S, s["id"]))),
    ),
    route(
        "supervision",
        f"PATCH {S}",
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_supervisor(
            lambda s: Http(
                "PATCH", path(S, s["id"]), json={"expected_version": s["version"], "name": "Dr S"}
            )
        ),
    ),
    route(
        "supervision",
        f"POST {S}/verification",
        STAFF,
        recipe=on_supervisor(
            lambda s: Http(
                "POST",
                path(S, s["id"]) + "/verification",
                json={"expected_version": s["version"], "decision": "verified"},
            )
        ),
    ),
    route(
        "supervision",
        "POST /v1/agreements",
        APPLICANT,
        recipe=with_supervisor(lambda s: Http("POST", "/v1/agreements", json=draft_body(s))),
    ),
    route(
        "supervision",
        "GET /v1/agreements",
        *READERS,
        own=OWN_AGREEMENTS,
        recipe=on_agreement(lambda a: Http("GET", "/v1/agreements")),
    ),
    route(
        "supervision",
        "GET /v1/peer-agreements",
        *READERS,
        own=OWN_AGREEMENTS,
        recipe=on_agreement(
            lambda a: Http(
                "GET",
                "/v1/peer-agreements",
                params={"peer_applicant_id": a["peer_applicant_id"]},
            )
        ),
    ),
    route(
        "supervision",
        f"GET {A}",
        *READERS,
        own=OWN_AGREEMENT,
        recipe=on_agreement(lambda a: Http("GET", path(A, a["id"]))),
    ),
    route(
        "supervision",
        f"PATCH {A}",
        *PARTIES,
        own=OWN_AGREEMENT,
        accepts=STALE,
        recipe=on_agreement(
            lambda a: Http(
                "PATCH",
                path(A, a["id"]),
                json={"expected_version": a["version"], "ends_on": "2026-12-31"},
            )
        ),
    ),
    route(
        "supervision",
        f"POST {A}/signatures",
        *PARTIES,
        own=OWN_AGREEMENT,
        accepts=STALE,
        recipe=on_agreement(
            lambda a: Http(
                "POST", path(A, a["id"]) + "/signatures", json={"expected_version": a["version"]}
            )
        ),
    ),
    route(
        "supervision",
        f"POST {A}/termination",
        *READERS,
        own=OWN_AGREEMENT,
        accepts=STALE,
        recipe=on_agreement(
            lambda a: Http(
                "POST",
                path(A, a["id"]) + "/termination",
                json={
                    "expected_version": a["version"],
                    "terminated_on": "2026-03-10",
                    "reason": "the peer moved",
                },
            ),
            state="signed",
        ),
    ),
    route(
        "supervision",
        f"DELETE {A}",
        *READERS,
        own=OWN_AGREEMENT,
        accepts=("AGREEMENT_RETAINED",),
        recipe=on_agreement(lambda a: Http("DELETE", path(A, a["id"])), state="signed"),
    ),
]


def stale_tolerant(entry: Entry) -> Entry:
    """The same entry, with a stale version accepted from the second allowed caller."""
    return Entry(
        entry.process, entry.operation, entry.allowed, entry.recipe, own=entry.own, accepts=STALE
    )


SUPERVISOR_QUERY = "query($id: ID!) { supervisor(id: $id) { id qualification { qualified } } }"
REGISTER = "mutation($input: SupervisorInput!) { registerSupervisor(input: $input) { id } }"
REGISTRATION = {
    "name": "Dr Matrix",
    "contactEmail": "matrix@example.org",
    "licenseType": "licensed_social_worker",
    "licenseNumber": "LSW-M",
    "licenseState": "MT",
    "licenseExpiresOn": "2030-12-31",
    "firstLicensedOn": "2015-06-01",
    "supervisionCeHours": "20",
}
UPDATE = (
    "mutation($id: ID!, $v: Int!) { updateSupervisor(id: $id, expectedVersion: $v, "
    'input: {name: "Dr S"}) { id } }'
)
VERIFY = (
    "mutation($id: ID!, $v: Int!) { verifySupervisor(id: $id, expectedVersion: $v, "
    "decision: VERIFIED) { id } }"
)
DRAFT = (
    "mutation($input: AgreementInput!) { draftSupervisionAgreement(input: $input) "
    f"{AGREEMENT_FIELDS} }}"
)
AMEND = (
    "mutation($id: ID!, $v: Int!) { amendSupervisionAgreement(id: $id, expectedVersion: $v, "
    f'input: {{endsOn: "2026-12-31"}}) {AGREEMENT_FIELDS} }}'
)
SIGN = (
    "mutation($id: ID!, $v: Int!) { signSupervisionAgreement(id: $id, expectedVersion: $v) "
    f"{AGREEMENT_FIELDS} }}"
)
TERMINATE = (
    "mutation($id: ID!, $v: Int!) { terminateSupervisionAgreement(id: $id, expectedVersion: $v, "
    f'terminatedOn: "2026-03-10", reason: "the peer moved") {AGREEMENT_FIELDS} }}'
)


def versioned_on_agreement(text: str, state: str = "drafted") -> Recipe:
    return on_agreement(lambda a: Graphql(text, {"id": a["id"], "v": a["version"]}), state)


GRAPHQL: list[Entry] = [
    query(
        "supervisor",
        STAFF,
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_supervisor(lambda s: Graphql(SUPERVISOR_QUERY, {"id": s["id"]})),
    ),
    query(
        "supervisors",
        STAFF,
        recipe=fixed(Graphql("{ supervisors(verification: PENDING) { items { id } nextCursor } }")),
    ),
    mutation(
        "registerSupervisor",
        SUPERVISOR,
        recipe=fixed(Graphql(REGISTER, {"input": REGISTRATION})),
    ),
    mutation(
        "updateSupervisor",
        SUPERVISOR,
        own=OWN_SUPERVISOR,
        recipe=on_supervisor(lambda s: Graphql(UPDATE, {"id": s["id"], "v": s["version"]})),
    ),
    mutation(
        "verifySupervisor",
        STAFF,
        recipe=on_supervisor(lambda s: Graphql(VERIFY, {"id": s["id"], "v": s["version"]})),
    ),
    query(
        "supervisionAgreement",
        *READERS,
        own=OWN_AGREEMENT,
        recipe=on_agreement(
            lambda a: Graphql(
                "query($id: ID!) { supervisionAgreement(id: $id) { id amendments { number } } }",
                {"id": a["id"]},
            )
        ),
    ),
    query(
        "supervisionAgreements",
        *READERS,
        own=OWN_AGREEMENTS,
        recipe=on_agreement(
            lambda a: Graphql("{ supervisionAgreements { items { id } nextCursor } }")
        ),
    ),
    mutation(
        "draftSupervisionAgreement",
        APPLICANT,
        recipe=with_supervisor(
            lambda s: Graphql(
                DRAFT,
                {
                    "input": {
                        "supervisorId": s["id"],
                        "employer": "Helena Peer Network",
                        "startsOn": "2026-03-01",
                        "relationshipAttested": True,
                        "notFamilyAttested": True,
                    }
                },
            )
        ),
    ),
    stale_tolerant(
        mutation(
            "amendSupervisionAgreement",
            *PARTIES,
            own=OWN_AGREEMENT,
            recipe=versioned_on_agreement(AMEND),
        )
    ),
    stale_tolerant(
        mutation(
            "signSupervisionAgreement",
            *PARTIES,
            own=OWN_AGREEMENT,
            recipe=versioned_on_agreement(SIGN),
        )
    ),
    stale_tolerant(
        mutation(
            "terminateSupervisionAgreement",
            *READERS,
            own=OWN_AGREEMENT,
            recipe=versioned_on_agreement(TERMINATE, "signed"),
        )
    ),
]
