"""The matrix for exam attempts and results, result notices, item analysis and key corrections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from certboard_core.testing.plugin import T0

from .matrix import APPLICANT, SERVICE, STAFF, Entry, Own, Recipe, fixed, mutation, query, route
from .world import Call, Graphql, Http, World

OWN_ATTEMPT = Own(APPLICANT, "the candidate's own results")
OWN_ATTEMPTS = Own(APPLICANT, "the candidate's own results", listing=True)
ANSWERS = {"1": "A", "2": "B", "3": "C", "4": "D"}
# The second allowed caller finds the authorization already used: a refusal, not a fault.
USED = ("TRANSITION_NOT_ALLOWED",)


def on(
    make: Callable[[World], Awaitable[dict[str, Any]]], build: Callable[[dict[str, Any]], Call]
) -> Recipe:
    """A call on an object ``make`` builds; the call is marked as about that object."""

    async def recipe(world: World) -> Call:
        made = await make(world)
        call = build(made)
        call.owned = made["id"]
        return call

    return recipe


def attempt(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    return on(lambda world: world.exam_attempt(), build)


def authorization(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    return on(lambda world: world.exam_authorization(), build)


def sat_form(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call on the live form attempts are sat on."""
    return on(lambda world: world.sitting_form(), build)


def own_form(build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A call on a live form of the entry's own (a key correction changes it)."""
    return on(lambda world: world.exam_form("live"), build)


RECORD_GQL = "mutation($a: ExamAttemptInput!) { recordExamAttempt(attempt: $a) { id passed } }"
CORRECT_GQL = (
    "mutation($id: ID!, $v: Int!) { correctItemKey(formId: $id, itemNumber: 2, "
    'expectedVersion: $v, key: "D", reason: "Miskeyed.") { rescored } }'
)


def record_body(made: dict[str, Any]) -> dict[str, Any]:
    return {
        "authorization_id": made["id"],
        "form_id": made["form_id"],
        "taken_at": T0.isoformat(),
        "responses": ANSWERS,
    }


def record_input(made: dict[str, Any]) -> dict[str, Any]:
    responses = [{"item": int(n), "option": o} for n, o in ANSWERS.items()]
    return {
        "authorizationId": made["id"],
        "formId": made["form_id"],
        "takenAt": T0.isoformat(),
        "responses": responses,
    }


GRAPHQL: list[Entry] = [
    query(
        "examAttempt",
        STAFF,
        APPLICANT,
        own=OWN_ATTEMPT,
        recipe=attempt(
            lambda a: Graphql(
                "query($id: ID!) { examAttempt(id: $id) { id percent } }", {"id": a["id"]}
            )
        ),
    ),
    query(
        "examAttempts",
        STAFF,
        APPLICANT,
        own=OWN_ATTEMPTS,
        recipe=attempt(lambda a: Graphql("{ examAttempts { items { id } nextCursor } }")),
    ),
    query(
        "resultNoticeQueue",
        STAFF,
        recipe=fixed(Graphql("{ resultNoticeQueue { unsent breaches items { id } } }")),
    ),
    query(
        "itemAnalysis",
        STAFF,
        recipe=sat_form(
            lambda f: Graphql(
                "query($id: ID!) { itemAnalysis(formId: $id) { attempts kr20 } }", {"id": f["id"]}
            )
        ),
    ),
    Entry(
        "graphql",
        "Mutation.recordExamAttempt",
        frozenset({STAFF, SERVICE}),
        authorization(lambda a: Graphql(RECORD_GQL, {"a": record_input(a)})),
        accepts=USED,
    ),
    mutation(
        "sendResultNotice",
        STAFF,
        recipe=attempt(
            lambda a: Graphql(
                "mutation($id: ID!, $v: Int!) "
                "{ sendResultNotice(id: $id, expectedVersion: $v) { resultNoticeSentAt } }",
                {"id": a["id"], "v": a["version"]},
            )
        ),
    ),
    mutation(
        "correctItemKey",
        STAFF,
        recipe=own_form(lambda f: Graphql(CORRECT_GQL, {"id": f["id"], "v": f["version"]})),
    ),
]

SERVICE_ROUTES: list[Entry] = [
    route(
        "exams",
        "POST /v1/attempts",
        STAFF,
        SERVICE,
        recipe=authorization(lambda a: Http("POST", "/v1/attempts", json=record_body(a))),
        accepts=USED,
    ),
    route(
        "exams",
        "GET /v1/attempts",
        STAFF,
        APPLICANT,
        own=OWN_ATTEMPTS,
        recipe=attempt(lambda a: Http("GET", "/v1/attempts")),
    ),
    route(
        "exams",
        "GET /v1/attempts/{attempt_id}",
        STAFF,
        APPLICANT,
        own=OWN_ATTEMPT,
        recipe=attempt(lambda a: Http("GET", f"/v1/attempts/{a['id']}")),
    ),
    route(
        "exams",
        "POST /v1/attempts/{attempt_id}/result-notice",
        STAFF,
        recipe=attempt(
            lambda a: Http(
                "POST",
                f"/v1/attempts/{a['id']}/result-notice",
                json={"expected_version": a["version"]},
            )
        ),
    ),
    route(
        "exams",
        "GET /v1/result-notices",
        STAFF,
        recipe=fixed(Http("GET", "/v1/result-notices")),
    ),
    route(
        "exams",
        "GET /v1/exam-forms/{form_id}/item-analysis",
        STAFF,
        recipe=sat_form(lambda f: Http("GET", f"/v1/exam-forms/{f['id']}/item-analysis")),
    ),
    route(
        "exams",
        "POST /v1/exam-forms/{form_id}/items/{item_number}/key-correction",
        STAFF,
        recipe=own_form(
            lambda f: Http(
                "POST",
                f"/v1/exam-forms/{f['id']}/items/2/key-correction",
                json={"expected_version": f["version"], "key": "D", "reason": "Miskeyed."},
            )
        ),
    ),
]
