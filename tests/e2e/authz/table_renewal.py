"""The matrix for renewal and CE audits."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from ..helpers import PDF
from .ce_world import certification, proof
from .matrix import APPLICANT, STAFF, Entry, Own, Recipe, fixed, mutation, query, route
from .world import Call, Graphql, Http, World

OWN_CERTIFICATION = Own(APPLICANT, "the certified person's own certification")
C = "/v1/certifications/{certification_id}"
AUDIT = "/v1/ce-audits/{audit_id}"
# The Worlds' certifications are new: renewal is not open, and that is the answer allowed
# callers get (the renewal itself has its own tests).
NOT_OPEN = ("RENEWAL_NOT_OPEN",)
# No audit exists in a World (they need a renewal a year on): allowed callers reach the
# audit's lookup and get NOT_FOUND, the rest are refused before it.
UNKNOWN = ("NOT_FOUND",)
NO_AUDIT = str(uuid.UUID(int=1))


def on_certification(build: Callable[[str], Http]) -> Recipe:
    """A call on applicant A's certification."""

    async def recipe(world: World) -> Call:
        ident = (await certification(world))["id"]
        call = build(ident)
        call.owned = ident
        return call

    return recipe


SERVICE: list[Entry] = [
    route(
        "applications",
        f"GET {C}/renewal",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        recipe=on_certification(lambda ident: Http("GET", f"/v1/certifications/{ident}/renewal")),
    ),
    route(
        "applications",
        f"GET {C}/renewals",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        recipe=on_certification(lambda ident: Http("GET", f"/v1/certifications/{ident}/renewals")),
    ),
    route(
        "applications",
        f"POST {C}/renewals",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        accepts=NOT_OPEN,
        recipe=on_certification(
            lambda ident: Http(
                "POST",
                f"/v1/certifications/{ident}/renewals",
                json={"expected_version": 1, "ce_attested": True, "code_of_ethics_signed": True},
            )
        ),
    ),
    route(
        "applications",
        "GET /v1/certifications/expiring",
        STAFF,
        recipe=fixed(Http("GET", "/v1/certifications/expiring")),
    ),
    route(
        "applications",
        "POST /v1/ce-audits/draws",
        STAFF,
        recipe=fixed(
            Http(
                "POST",
                "/v1/ce-audits/draws",
                json={"periods_from": "2020-01-01", "periods_to": "2020-01-31", "seed": 1},
            )
        ),
    ),
    route(
        "applications",
        "GET /v1/ce-audits",
        STAFF,
        APPLICANT,
        recipe=fixed(Http("GET", "/v1/ce-audits")),
    ),
    route(
        "applications",
        "GET /v1/ce-audits/counts",
        STAFF,
        recipe=fixed(Http("GET", "/v1/ce-audits/counts")),
    ),
    route(
        "applications",
        f"GET {AUDIT}",
        STAFF,
        APPLICANT,
        accepts=UNKNOWN,
        recipe=fixed(Http("GET", f"/v1/ce-audits/{NO_AUDIT}")),
    ),
    route(
        "applications",
        f"POST {AUDIT}/proof",
        APPLICANT,
        accepts=UNKNOWN,
        recipe=fixed(Http("POST", f"/v1/ce-audits/{NO_AUDIT}/proof", files=proof())),
    ),
    route(
        "applications",
        f"GET {AUDIT}/proof",
        STAFF,
        APPLICANT,
        accepts=UNKNOWN,
        recipe=fixed(Http("GET", f"/v1/ce-audits/{NO_AUDIT}/proof")),
    ),
    route(
        "applications",
        f"POST {AUDIT}/decision",
        STAFF,
        accepts=UNKNOWN,
        recipe=fixed(
            Http(
                "POST",
                f"/v1/ce-audits/{NO_AUDIT}/decision",
                json={"expected_version": 1, "outcome": "accepted"},
            )
        ),
    ),
]


def on_certification_graphql(query: str) -> Recipe:
    """A GraphQL call on applicant A's certification (``$id``)."""

    async def recipe(world: World) -> Call:
        ident = (await certification(world))["id"]
        return Graphql(query, {"id": ident}, owned=ident)

    return recipe


PROOF_UPLOAD = {"variables.document": ("hours.pdf", PDF, "application/pdf")}

GRAPHQL: list[Entry] = [
    mutation(
        "renewCertification",
        STAFF,
        APPLICANT,
        own=OWN_CERTIFICATION,
        accepts=NOT_OPEN,
        recipe=on_certification_graphql(
            "mutation($id: ID!) { renewCertification(certificationId: $id, expectedVersion: 1, "
            "ceAttested: true, codeOfEthicsSigned: true) { id } }"
        ),
    ),
    query(
        "certificationsExpiring",
        STAFF,
        recipe=fixed(
            Graphql(
                "{ certificationsExpiring { total "
                "items { ceStillNeededHours certification { id } } } }"
            )
        ),
    ),
    query(
        "ceAudits",
        STAFF,
        APPLICANT,
        recipe=fixed(Graphql("{ ceAudits { items { id } nextCursor } }")),
    ),
    query(
        "ceAudit",
        STAFF,
        APPLICANT,
        accepts=UNKNOWN,
        recipe=fixed(Graphql(f'{{ ceAudit(id: "{NO_AUDIT}") {{ id }} }}')),
    ),
    mutation(
        "drawCeAudits",
        STAFF,
        recipe=fixed(
            Graphql(
                'mutation { drawCeAudits(periodsFrom: "2020-01-01", periodsTo: "2020-01-31", '
                'seed: "1") { selected } }'
            )
        ),
    ),
    mutation(
        "submitCeAuditProof",
        APPLICANT,
        accepts=UNKNOWN,
        recipe=fixed(
            Graphql(
                "mutation($document: Upload!) { submitCeAuditProof("
                f'id: "{NO_AUDIT}", document: $document) {{ id }} }}',
                {"document": None},
                files=PROOF_UPLOAD,
            )
        ),
    ),
    mutation(
        "decideCeAudit",
        STAFF,
        accepts=UNKNOWN,
        recipe=fixed(
            Graphql(
                f'mutation {{ decideCeAudit(id: "{NO_AUDIT}", expectedVersion: 1, '
                "outcome: ACCEPTED) { id } }"
            )
        ),
    ),
]
