"""The matrix for what every process has (health, docs, the event inbox, the test clock, the
policy) and the operations of the gateway, the sweep and supervision."""

from __future__ import annotations

import uuid

from certboard_core.testing.plugin import T0

from .matrix import APPLICANT, SERVICE, STAFF, Entry, fixed, mutation, public, route
from .table_applications import OWN_APPLICATION
from .table_ce import OWN_LEDGER, on_record
from .table_discipline import on_complaint
from .table_exam_authorizations import OWN_ACCOMMODATION, on_accommodation
from .table_providers import on_certificate
from .table_renewal import NO_AUDIT, UNKNOWN
from .world import Call, Graphql, Http, World

SERVICES = ("applications", "exams", "supervision")
# The framework's documentation routes; the gateway serves no ReDoc.
DOCS = ("/openapi.json", "/docs")
# Prometheus's scrape: open in test and development, a token's in production (test_metrics.py).
METRICS = "/metrics"


async def event(world: World) -> Call:
    """An event no service handles: the inbox records it and answers ``ignored``."""
    envelope = {
        "id": str(uuid.uuid4()),
        "type": "matrix.probe",
        "source": "matrix",
        "aggregate_type": "probe",
        "aggregate_id": "1",
        "occurred_at": T0.isoformat(),
        "payload": {},
    }
    return Http("POST", "/internal/events", json=envelope)


async def relayed_document(world: World) -> Call:
    """A document of applicant A's application, through the gateway."""
    view = await world.application("applicant A", "submitted")
    path = f"/documents/applications/{view['id']}/{view['documents'][0]['id']}"
    return Http("GET", path, owned=view["id"])


def every_process(name: str) -> list[Entry]:
    """What each service, and partly the gateway, serves alike."""
    entries = [
        public(name, "GET /healthz", recipe=fixed(Http("GET", "/healthz"))),
        public(name, "GET /readyz", recipe=fixed(Http("GET", "/readyz"))),
        *(
            public(name, f"GET {path}", recipe=fixed(Http("GET", path)), documented=False)
            for path in (*DOCS, METRICS)
        ),
    ]
    if name == "gateway":
        return entries
    return [
        *entries,
        public(name, "GET /v1/policy", recipe=fixed(Http("GET", "/v1/policy"))),
        route(name, "POST /internal/events", SERVICE, recipe=event),
        route(
            name,
            "GET /internal/test-clock",
            SERVICE,
            STAFF,
            recipe=fixed(Http("GET", "/internal/test-clock")),
        ),
        route(
            name,
            "PUT /internal/test-clock",
            SERVICE,
            STAFF,
            recipe=fixed(Http("PUT", "/internal/test-clock", json={"advance_seconds": 60})),
        ),
    ]


GRAPHQL: list[Entry] = [
    public(
        "graphql",
        "Query.applicationPolicy",
        recipe=fixed(Graphql("{ applicationPolicy { board } }")),
    ),
    mutation(
        "moveTestClock",
        STAFF,
        recipe=fixed(
            Graphql("mutation { moveTestClock(input: {advanceSeconds: 60}) { service } }")
        ),
    ),
    mutation("runSweep", STAFF, recipe=fixed(Graphql("mutation { runSweep { voided } }"))),
]

SERVICE_ROUTES: list[Entry] = [
    *(entry for name in (*SERVICES, "gateway") for entry in every_process(name)),
    route(
        "applications",
        "POST /internal/sweep",
        SERVICE,
        STAFF,
        recipe=fixed(Http("POST", "/internal/sweep")),
    ),
    route(
        "supervision",
        "GET /internal/agreements/active",
        SERVICE,
        STAFF,
        recipe=fixed(
            Http("GET", "/internal/agreements/active", params={"applicant_id": "applicant-A"})
        ),
    ),
    route(
        "gateway",
        "GET /documents/applications/{application_id}/{document_id}",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=relayed_document,
    ),
    route(
        "gateway",
        "GET /documents/ce-records/{record_id}",
        STAFF,
        APPLICANT,
        own=OWN_LEDGER,
        recipe=on_record(lambda r: Http("GET", f"/documents/ce-records/{r['id']}")),
    ),
    route(
        "gateway",
        "GET /documents/ce-audits/{audit_id}",
        STAFF,
        APPLICANT,
        accepts=UNKNOWN,
        recipe=fixed(Http("GET", f"/documents/ce-audits/{NO_AUDIT}")),
    ),
    route(
        "gateway",
        "GET /documents/accommodations/{accommodation_id}",
        STAFF,
        APPLICANT,
        own=OWN_ACCOMMODATION,
        recipe=on_accommodation(lambda r: Http("GET", f"/documents/accommodations/{r['id']}")),
    ),
    route(
        "gateway",
        "GET /documents/complaints/{complaint_id}/{attachment_id}",
        STAFF,
        recipe=on_complaint(
            lambda c: Http("GET", f"/documents/complaints/{c['id']}/{c['attachment']}")
        ),
    ),
    route(
        "gateway",
        "GET /documents/certificates/{certificate_id}",
        STAFF,
        recipe=on_certificate(lambda c, _: Http("GET", f"/documents/certificates/{c['id']}")),
    ),
    route(
        "gateway",
        "PUT /test-clock",
        STAFF,
        recipe=fixed(Http("PUT", "/test-clock", json={"advance_seconds": 60})),
    ),
    # The GraphQL endpoint itself is open: each field above says who may call it.
    public(
        "gateway",
        "GET /graphql",
        recipe=fixed(Http("GET", "/graphql", headers={"Accept": "text/html"})),
    ),
    public(
        "gateway",
        "POST /graphql",
        recipe=fixed(Http("POST", "/graphql", json={"query": "{ __typename }"})),
    ),
]
