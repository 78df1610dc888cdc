"""The matrix for ``me`` (each of its parts asks its own role) and staff's queue counts."""

from __future__ import annotations

from .matrix import (
    APPLICANT,
    EMPLOYER,
    PROVIDER,
    SERVICE,
    STAFF,
    SUPERVISOR,
    Entry,
    Own,
    field,
    fixed,
    query,
    route,
)
from .table_applications import OWN_APPLICATIONS, on
from .table_providers import PAGE, on_provider
from .table_supervision_sessions import on_compliance
from .world import Graphql, Http

EVERYONE_SIGNED_IN = (STAFF, APPLICANT, PROVIDER, SUPERVISOR, SERVICE, EMPLOYER)
# A peer's or a supervisor's own supervision: another party's shows none of it.
OWN_SUPERVISION = Own(APPLICANT, "a party's own supervision", listing=True, also=(SUPERVISOR,))
# The provider's own uploads: another provider's `me` lists its own, never X's.
OWN_UPLOADS = Own(PROVIDER, "the provider's own uploads", listing=True)
SUPERVISION = (
    '{ me { supervision(from: "2026-03-09", to: "2026-03-09") { agreements { id } '
    "sessionsToSign { id } compliance { peers { peerApplicantId } } } } }"
)


GRAPHQL: list[Entry] = [
    query("me", *EVERYONE_SIGNED_IN, recipe=fixed(Graphql("{ me { subject } }"))),
    field("Me", "subject", *EVERYONE_SIGNED_IN, recipe=fixed(Graphql("{ me { subject } }"))),
    field("Me", "roles", *EVERYONE_SIGNED_IN, recipe=fixed(Graphql("{ me { roles } }"))),
    field(
        "Me",
        "applications",
        APPLICANT,
        own=OWN_APPLICATIONS,
        recipe=on("submitted", lambda a: Graphql("{ me { applications { id } } }")),
    ),
    field(
        "Me",
        "supervision",
        APPLICANT,
        SUPERVISOR,
        own=OWN_SUPERVISION,
        recipe=on_compliance(Graphql(SUPERVISION)),
    ),
    field(
        "Me",
        "provider",
        PROVIDER,
        own=OWN_UPLOADS,
        recipe=on_provider(lambda p, _: Graphql("{ me { provider { id } } }")),
    ),
    field(
        "Me",
        "uploads",
        PROVIDER,
        own=OWN_UPLOADS,
        recipe=on_provider(lambda p, _: Graphql(f"{{ me {{ uploads {PAGE} }} }}")),
    ),
    field(
        "Me",
        "queues",
        STAFF,
        recipe=fixed(
            Graphql(
                "{ me { queues { applications { incomplete } certificates { unmatched } "
                "exams { scheduling { waiting } } supervisionShortfalls { waiting } } } }"
            )
        ),
    ),
    query(
        "supervisionShortfalls",
        STAFF,
        recipe=fixed(Graphql("{ supervisionShortfalls { total items { peerApplicantId } } }")),
    ),
]

SERVICE_ROUTES: list[Entry] = [
    route(
        "supervision",
        "GET /v1/supervision/overview",
        APPLICANT,
        SUPERVISOR,
        own=OWN_SUPERVISION,
        recipe=on_compliance(Http("GET", "/v1/supervision/overview")),
    ),
    route(
        "supervision",
        "GET /v1/supervision/compliance/shortfalls",
        STAFF,
        recipe=fixed(Http("GET", "/v1/supervision/compliance/shortfalls")),
    ),
    route(
        "supervision",
        "GET /v1/supervision/compliance/shortfalls/history",
        STAFF,
        recipe=fixed(Http("GET", "/v1/supervision/compliance/shortfalls/history")),
    ),
    route(
        "exams",
        "GET /v1/exam-queues/counts",
        STAFF,
        recipe=fixed(Http("GET", "/v1/exam-queues/counts")),
    ),
    route(
        "exams",
        "GET /v1/exam-queues/history",
        STAFF,
        recipe=fixed(Http("GET", "/v1/exam-queues/history")),
    ),
]
