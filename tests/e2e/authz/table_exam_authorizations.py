"""The matrix for authorizations to test, exam summaries, accommodations and the exams sweep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..helpers import PDF
from .matrix import APPLICANT, SERVICE, STAFF, Entry, Own, Recipe, fixed, mutation, query, route
from .world import Call, Graphql, Http, World

OWN_AUTHORIZATION = Own(APPLICANT, "the applicant's own authorizations")
OWN_SUMMARIES = Own(APPLICANT, "the applicant's own authorizations", listing=True)
OWN_ACCOMMODATION = Own(APPLICANT, "the applicant's own accommodation requests")
# An allowed caller after the first finds the authorization it asked for still open.
NOT_AGAIN = ("EXAM_NOT_ELIGIBLE",)
REQUEST_EXAM = """
mutation($input: RequestExamInput!) { requestExam(input: $input) { id } }
"""


def on_application(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call about applicant A's application, approved for the exam."""

    async def recipe(world: World) -> Call:
        view = await world.exam_application()
        call = build(view)
        call.owned = view["id"]
        return call

    return recipe


def on_authorization(state: str, build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call about applicant A's authorization, ``granted`` or ``scheduled``."""

    async def recipe(world: World) -> Call:
        authorization = await world.authorization("applicant A", state)
        call = build(authorization)
        call.owned = authorization["id"]
        return call

    return recipe


def on_accommodation(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call about applicant A's pending accommodation request."""

    async def recipe(world: World) -> Call:
        request = await world.accommodation()
        call = build(request)
        call.owned = request["id"]
        return call

    return recipe


def staff_move(field: str, state: str, arguments: str = "", **values: Any) -> Recipe:
    """A versioned GraphQL staff move on A's authorization."""
    declared = "".join(f", ${name}: {kind}" for name, (kind, _) in values.items())
    passed = "".join(f", {name}: ${name}" for name in values)
    text = (
        f"mutation($id: ID!, $v: Int!{declared}) "
        f"{{ {field}(id: $id, expectedVersion: $v{passed}{arguments}) {{ id }} }}"
    )
    return on_authorization(
        state,
        lambda a: Graphql(
            text, {"id": a["id"], "v": a["version"], **{n: v for n, (_, v) in values.items()}}
        ),
    )


def post(action: str, state: str, **body: Any) -> Recipe:
    """A versioned REST staff move on A's authorization."""
    return on_authorization(
        state,
        lambda a: Http(
            "POST",
            f"/v1/exam-authorizations/{a['id']}/{action}",
            json={"expected_version": a["version"], **body},
        ),
    )


def request_body(view: dict[str, Any]) -> dict[str, Any]:
    return {"application_id": view["id"], "language": "en", "delivery_mode": "online_proctored"}


SCHEDULE = {"scheduled_on": "2026-03-11", "scheduled_at_time": "09:00", "site": "Fresno"}
ACCOMMODATION_UPLOAD = {"variables.document": ("letter.pdf", PDF, "application/pdf")}

GRAPHQL: list[Entry] = [
    query(
        "examAuthorization",
        STAFF,
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_authorization(
            "granted",
            lambda a: Graphql(
                "query($id: ID!) { examAuthorization(id: $id) { id } }", {"id": a["id"]}
            ),
        ),
    ),
    query(
        "examSummary",
        STAFF,
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_application(
            lambda a: Graphql(
                "query($id: ID!) { examSummary(applicationId: $id) { attemptsLeft } }",
                {"id": a["id"]},
            )
        ),
    ),
    query(
        "examSchedulingQueue",
        STAFF,
        recipe=fixed(Graphql("{ examSchedulingQueue { items { id } breaches } }")),
    ),
    query(
        "accommodationRequest",
        STAFF,
        APPLICANT,
        own=OWN_ACCOMMODATION,
        recipe=on_accommodation(
            lambda r: Graphql(
                "query($id: ID!) { accommodationRequest(id: $id) { id } }", {"id": r["id"]}
            )
        ),
    ),
    query(
        "accommodationQueue",
        STAFF,
        recipe=fixed(Graphql("{ accommodationQueue { items { id } breaches } }")),
    ),
    Entry(
        "graphql",
        "Mutation.requestExam",
        frozenset({STAFF, APPLICANT}),
        on_application(
            lambda a: Graphql(
                REQUEST_EXAM,
                {
                    "input": {
                        "applicationId": a["id"],
                        "language": "ENGLISH",
                        "deliveryMode": "ONLINE_PROCTORED",
                    }
                },
            )
        ),
        own=OWN_AUTHORIZATION,
        accepts=NOT_AGAIN,
    ),
    mutation(
        "scheduleExam",
        STAFF,
        recipe=staff_move(
            "scheduleExam",
            "granted",
            input=(
                "ScheduleExamInput!",
                {"scheduledOn": "2026-03-11", "scheduledAtTime": "09:00", "site": "Fresno"},
            ),
        ),
    ),
    mutation("cancelExamSchedule", STAFF, recipe=staff_move("cancelExamSchedule", "scheduled")),
    mutation("recordExamNoShow", STAFF, recipe=staff_move("recordExamNoShow", "scheduled")),
    mutation(
        "recordExamVendorFault",
        STAFF,
        recipe=staff_move("recordExamVendorFault", "scheduled", incident=("String!", "PV-1")),
    ),
    mutation(
        "voidExamAuthorization",
        STAFF,
        recipe=staff_move("voidExamAuthorization", "granted", reason=("String!", "wrong site")),
    ),
    mutation(
        "requestAccommodation",
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_authorization(
            "granted",
            lambda a: Graphql(
                "mutation($id: ID!, $document: Upload!) { requestAccommodation("
                'authorizationId: $id, description: "extra time", document: $document) { id } }',
                {"id": a["id"], "document": None},
                files=ACCOMMODATION_UPLOAD,
            ),
        ),
    ),
    mutation(
        "approveAccommodation",
        STAFF,
        recipe=on_accommodation(
            lambda r: Graphql(
                "mutation($id: ID!, $v: Int!) { approveAccommodation(id: $id, "
                "expectedVersion: $v) { id } }",
                {"id": r["id"], "v": r["version"]},
            )
        ),
    ),
    mutation(
        "denyAccommodation",
        STAFF,
        recipe=on_accommodation(
            lambda r: Graphql(
                "mutation($id: ID!, $v: Int!) { denyAccommodation(id: $id, expectedVersion: $v, "
                'reason: "no evidence") { id } }',
                {"id": r["id"], "v": r["version"]},
            )
        ),
    ),
]

AUTHORIZATION = "/v1/exam-authorizations/{authorization_id}"
ACCOMMODATION = "/v1/accommodations/{accommodation_id}"

SERVICE_ROUTES: list[Entry] = [
    route(
        "exams",
        "POST /v1/exam-authorizations",
        STAFF,
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_application(
            lambda a: Http("POST", "/v1/exam-authorizations", json=request_body(a))
        ),
        accepts=NOT_AGAIN,
    ),
    route(
        "exams",
        f"GET {AUTHORIZATION}",
        STAFF,
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_authorization(
            "granted", lambda a: Http("GET", f"/v1/exam-authorizations/{a['id']}")
        ),
    ),
    route(
        "exams",
        f"POST {AUTHORIZATION}/schedule",
        STAFF,
        recipe=post("schedule", "granted", **SCHEDULE),
    ),
    route(
        "exams",
        f"POST {AUTHORIZATION}/cancel-schedule",
        STAFF,
        recipe=post("cancel-schedule", "scheduled"),
    ),
    route("exams", f"POST {AUTHORIZATION}/no-show", STAFF, recipe=post("no-show", "scheduled")),
    route(
        "exams",
        f"POST {AUTHORIZATION}/vendor-fault",
        STAFF,
        recipe=post("vendor-fault", "scheduled", incident="PV-1"),
    ),
    route("exams", f"POST {AUTHORIZATION}/void", STAFF, recipe=post("void", "granted", reason="x")),
    route(
        "exams",
        "GET /v1/applications/{application_id}/exam-summary",
        STAFF,
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_application(lambda a: Http("GET", f"/v1/applications/{a['id']}/exam-summary")),
    ),
    route(
        "exams",
        "GET /v1/exam-summaries",
        STAFF,
        APPLICANT,
        own=OWN_SUMMARIES,
        recipe=on_authorization(
            "granted",
            lambda a: Http(
                "GET", "/v1/exam-summaries", params={"application_id": a["application_id"]}
            ),
        ),
    ),
    route(
        "exams",
        "GET /v1/exam-queues/scheduling",
        STAFF,
        recipe=fixed(Http("GET", "/v1/exam-queues/scheduling")),
    ),
    route(
        "exams",
        f"POST {AUTHORIZATION}/accommodations",
        APPLICANT,
        own=OWN_AUTHORIZATION,
        recipe=on_authorization(
            "granted",
            lambda a: Http(
                "POST",
                f"/v1/exam-authorizations/{a['id']}/accommodations",
                data={"description": "extra time"},
                files={"document": ("letter.pdf", PDF, "application/pdf")},
            ),
        ),
    ),
    route(
        "exams",
        f"GET {ACCOMMODATION}",
        STAFF,
        APPLICANT,
        own=OWN_ACCOMMODATION,
        recipe=on_accommodation(lambda r: Http("GET", f"/v1/accommodations/{r['id']}")),
    ),
    route(
        "exams",
        f"GET {ACCOMMODATION}/document",
        STAFF,
        APPLICANT,
        own=OWN_ACCOMMODATION,
        recipe=on_accommodation(lambda r: Http("GET", f"/v1/accommodations/{r['id']}/document")),
    ),
    route(
        "exams",
        f"POST {ACCOMMODATION}/approve",
        STAFF,
        recipe=on_accommodation(
            lambda r: Http(
                "POST",
                f"/v1/accommodations/{r['id']}/approve",
                json={"expected_version": r["version"]},
            )
        ),
    ),
    route(
        "exams",
        f"POST {ACCOMMODATION}/deny",
        STAFF,
        recipe=on_accommodation(
            lambda r: Http(
                "POST",
                f"/v1/accommodations/{r['id']}/deny",
                json={"expected_version": r["version"], "reason": "no evidence"},
            )
        ),
    ),
    route(
        "exams",
        "GET /v1/exam-queues/accommodations",
        STAFF,
        recipe=fixed(Http("GET", "/v1/exam-queues/accommodations")),
    ),
    route(
        "exams",
        "POST /internal/sweep",
        SERVICE,
        STAFF,
        recipe=fixed(Http("POST", "/internal/sweep")),
    ),
]
