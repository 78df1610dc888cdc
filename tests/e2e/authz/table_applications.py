"""The matrix for applications, their documents, fees, notices and the staff work queues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from certboard_core.testing.plugin import T0

from ..helpers import JPEG, PDF
from .matrix import (
    APPLICANT,
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
from .world import Call, Graphql, Http, World, application_form, documents, fee

OWN_APPLICATION = Own(APPLICANT, "the applicant's own applications")
OWN_APPLICATIONS = Own(APPLICANT, "the applicant's own applications", listing=True)
A = "/v1/applications/{application_id}"
SUBMIT = """
mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }
"""


def on(state: str, build: Callable[[dict[str, Any]], Call]) -> Recipe:
    """A recipe for a call on applicant A's application, in ``state`` (see World.application)."""

    async def recipe(world: World) -> Call:
        view = await world.application("applicant A", state)
        call = build(view)
        call.owned = view["id"]
        return call

    return recipe


def act(field: str, state: str, **arguments: tuple[str, Any]) -> Recipe:
    """A versioned GraphQL move on A's application; ``arguments``: name=(type, value)."""
    text, values = versioned(field, **arguments)
    return on(state, lambda a: Graphql(text, {"id": a["id"], "v": a["version"], **values}))


def post(action: str, state: str, **body: Any) -> Recipe:
    """A versioned REST move on A's application: ``POST .../{action}``."""
    return on(
        state,
        lambda a: Http(
            "POST",
            f"/v1/applications/{a['id']}/{action}",
            json={"expected_version": a["version"], **body},
        ),
    )


def submit_input() -> dict[str, Any]:
    form = application_form("applicant A")
    return {
        "firstName": form["first_name"],
        "lastName": form["last_name"],
        "dateOfBirth": form["date_of_birth"],
        "email": form["email"],
        "codeOfEthicsAgreed": True,
        "livedExperience": "CONSUMER",
        "willingToShareExperience": True,
        "governmentId": None,
        "diploma": None,
    }


UPLOADS = {
    "variables.input.governmentId": ("id.jpg", JPEG, "image/jpeg"),
    "variables.input.diploma": ("diploma.pdf", PDF, "application/pdf"),
}
STATUS_MESSAGE = {"subject": "Your application", "body": "We are reviewing it."}

GRAPHQL: list[Entry] = [
    query(
        "application",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=on(
            "submitted",
            lambda a: Graphql("query($id: ID!) { application(id: $id) { id } }", {"id": a["id"]}),
        ),
    ),
    query("applications", STAFF, recipe=fixed(Graphql("{ applications { items { id } } }"))),
    query(
        "workQueue",
        STAFF,
        recipe=fixed(Graphql("{ workQueue(name: FIRST_NOTIFICATION) { items { id } } }")),
    ),
    query(
        "workQueueCounts",
        STAFF,
        recipe=fixed(Graphql("{ workQueueCounts { firstNotification } }")),
    ),
    mutation(
        "submitApplication",
        APPLICANT,
        recipe=fixed(Graphql(SUBMIT, {"input": submit_input()}, files=UPLOADS)),
    ),
    mutation("startReview", STAFF, recipe=act("startReview", "submitted")),
    mutation(
        "requestRevision",
        STAFF,
        recipe=act("requestRevision", "submitted", items=("[RevisionItem!]!", ["DIPLOMA"])),
    ),
    mutation(
        "resubmitApplication",
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=act("resubmitApplication", "incomplete"),
    ),
    mutation("approveApplication", STAFF, recipe=act("approveApplication", "paid")),
    mutation(
        "denyApplication",
        STAFF,
        recipe=act("denyApplication", "submitted", reason=("String!", "Not eligible.")),
    ),
    mutation(
        "withdrawApplication",
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=act("withdrawApplication", "submitted"),
    ),
    mutation(
        "recordBackgroundCheck",
        STAFF,
        recipe=act("recordBackgroundCheck", "submitted", result=("BackgroundCheck!", "PASSED")),
    ),
    mutation(
        "addApplicationDocument",
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=on(
            "incomplete",
            lambda a: Graphql(
                "mutation($id: ID!, $file: Upload!) "
                "{ addApplicationDocument(id: $id, kind: DIPLOMA, file: $file) { id } }",
                {"id": a["id"], "file": None},
                files={"variables.file": ("diploma.pdf", PDF, "application/pdf")},
            ),
        ),
    ),
    mutation(
        "recordPayment",
        STAFF,
        recipe=on(
            "submitted",
            lambda a: Graphql(
                "mutation($id: ID!, $paidAt: DateTime!) { recordPayment(id: $id, "
                'kind: APPLICATION, amountCents: 5000, reference: "gql-1", paidAt: $paidAt) '
                "{ id } }",
                {"id": a["id"], "paidAt": T0.isoformat()},
            ),
        ),
    ),
    mutation(
        "sendStatusMessage",
        STAFF,
        recipe=on(
            "submitted",
            lambda a: Graphql(
                "mutation($id: ID!, $subject: String!, $body: String!) "
                "{ sendStatusMessage(id: $id, subject: $subject, body: $body) { id } }",
                {"id": a["id"], **STATUS_MESSAGE},
            ),
        ),
    ),
]


async def _document(world: World) -> Call:
    view = await world.application("applicant A", "submitted")
    document = view["documents"][0]["id"]
    return Http("GET", f"/v1/applications/{view['id']}/documents/{document}", owned=view["id"])


SERVICE: list[Entry] = [
    route(
        "applications",
        "POST /v1/applications",
        APPLICANT,
        recipe=fixed(
            Http(
                "POST", "/v1/applications", data=application_form("applicant A"), files=documents()
            )
        ),
    ),
    route(
        "applications",
        "GET /v1/applications",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATIONS,
        recipe=on("submitted", lambda a: Http("GET", "/v1/applications")),
    ),
    route(
        "applications",
        "GET /v1/applications/mine",
        APPLICANT,
        own=OWN_APPLICATIONS,
        recipe=on("submitted", lambda a: Http("GET", "/v1/applications/mine")),
    ),
    route(
        "applications",
        "POST /v1/applications/views",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATIONS,
        recipe=on(
            "submitted", lambda a: Http("POST", "/v1/applications/views", json={"ids": [a["id"]]})
        ),
    ),
    route(
        "applications",
        f"GET {A}",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=on("submitted", lambda a: Http("GET", f"/v1/applications/{a['id']}")),
    ),
    route("applications", f"POST {A}/review", STAFF, recipe=post("review", "submitted")),
    route(
        "applications",
        f"POST {A}/revision-requests",
        STAFF,
        recipe=post("revision-requests", "submitted", items=["diploma"]),
    ),
    route(
        "applications",
        f"POST {A}/resubmit",
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=post("resubmit", "incomplete"),
    ),
    route("applications", f"POST {A}/approve", STAFF, recipe=post("approve", "paid")),
    route(
        "applications",
        f"POST {A}/deny",
        STAFF,
        recipe=post("deny", "submitted", reason="Not eligible."),
    ),
    route(
        "applications",
        f"POST {A}/withdraw",
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=post("withdraw", "submitted"),
    ),
    route(
        "applications",
        f"POST {A}/background-check",
        STAFF,
        recipe=post("background-check", "submitted", result="passed"),
    ),
    route(
        "applications",
        f"POST {A}/documents",
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=on(
            "incomplete",
            lambda a: Http(
                "POST",
                f"/v1/applications/{a['id']}/documents",
                data={"kind": "diploma"},
                files={"file": ("diploma.pdf", PDF, "application/pdf")},
            ),
        ),
    ),
    route(
        "applications",
        f"GET {A}/documents/{{document_id}}",
        STAFF,
        APPLICANT,
        own=OWN_APPLICATION,
        recipe=_document,
    ),
    route(
        "applications",
        f"POST {A}/payments",
        STAFF,
        recipe=on(
            "submitted",
            lambda a: Http("POST", f"/v1/applications/{a['id']}/payments", json=fee("rest-1")),
        ),
    ),
    route(
        "applications",
        f"POST {A}/notifications",
        STAFF,
        recipe=on(
            "submitted",
            lambda a: Http(
                "POST", f"/v1/applications/{a['id']}/notifications", json=STATUS_MESSAGE
            ),
        ),
    ),
    route(
        "applications",
        "GET /v1/audit/applications",
        STAFF,
        recipe=on("submitted", lambda a: Http("GET", f"/v1/audit/applications?id={a['id']}")),
    ),
    route("applications", "GET /v1/queues", STAFF, recipe=fixed(Http("GET", "/v1/queues"))),
    route(
        "applications",
        "GET /v1/queues/history",
        STAFF,
        recipe=fixed(Http("GET", "/v1/queues/history")),
    ),
    route(
        "applications",
        "GET /v1/queues/{queue_name}",
        STAFF,
        recipe=fixed(Http("GET", "/v1/queues/first-notification")),
    ),
]
