"""The matrix for exam forms: staff alone make, read, publish and retire them and read keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .matrix import STAFF, Entry, Recipe, fixed, mutation, query, route, versioned
from .world import Call, Graphql, Http, World

F = "/v1/exam-forms/{form_id}"
FORM = "{ id }"


def exam_items(keys: str = "DCBA") -> list[dict[str, Any]]:
    """The 120 items of a form (the CA policy's count)."""
    return [
        {"number": n, "domain": ("Ethics", "Advocacy")[n % 2], "key": keys[n % len(keys)]}
        for n in range(1, 121)
    ]


def csv_items() -> bytes:
    lines = [
        "number,domain,key",
        *(f"{i['number']},{i['domain']},{i['key']}" for i in exam_items()),
    ]
    return "\n".join(lines).encode()


def on_form(build: Callable[[dict[str, Any]], Call], status: str = "draft") -> Recipe:
    """A call on staff's form in ``status`` (``draft`` or ``live``)."""

    async def recipe(world: World) -> Call:
        return build(await world.exam_form(status))

    return recipe


def graphql_on_form(text: str, status: str = "draft", **extra: Any) -> Recipe:
    """``text`` with ``$id`` (and ``$v``, the form's version, if it declares it)."""

    def build(form: dict[str, Any]) -> Call:
        variables = {"id": form["id"], **extra}
        if "$v:" in text:
            variables["v"] = form["version"]
        return Graphql(text, variables)

    return on_form(build, status)


ITEMS_ARG = "[ExamItemInput!]!"
GRAPHQL: list[Entry] = [
    query("examForms", STAFF, recipe=fixed(Graphql(f"{{ examForms {{ items {FORM} }} }}"))),
    query(
        "examForm",
        STAFF,
        recipe=graphql_on_form(f"query($id: ID!) {{ examForm(id: $id) {FORM} }}"),
    ),
    query(
        "examFormKey",
        STAFF,
        recipe=graphql_on_form("query($id: ID!) { examFormKey(id: $id) { formId } }"),
    ),
    mutation(
        "createExamForm",
        STAFF,
        recipe=fixed(
            Graphql(
                f"mutation($items: {ITEMS_ARG}) "
                f'{{ createExamForm(language: ENGLISH, edition: "G", items: $items) {FORM} }}',
                {"items": exam_items()},
            )
        ),
    ),
    mutation(
        "importExamForm",
        STAFF,
        recipe=fixed(
            Graphql(
                "mutation($file: Upload!) "
                f'{{ importExamForm(language: SPANISH, edition: "I", file: $file) {FORM} }}',
                {"file": None},
                files={"variables.file": ("form.csv", csv_items(), "text/csv")},
            )
        ),
    ),
    mutation(
        "replaceExamFormItems",
        STAFF,
        recipe=graphql_on_form(
            f"mutation($id: ID!, $v: Int!, $items: {ITEMS_ARG}) "
            f"{{ replaceExamFormItems(id: $id, expectedVersion: $v, items: $items) {FORM} }}",
            items=exam_items("AB"),
        ),
    ),
    mutation(
        "publishExamForm",
        STAFF,
        recipe=graphql_on_form(versioned("publishExamForm")[0]),
    ),
    mutation(
        "retireExamForm",
        STAFF,
        recipe=graphql_on_form(
            versioned("retireExamForm")[0],
            "live",
        ),
    ),
]

SERVICE: list[Entry] = [
    route("exams", "GET /v1/exam-forms", STAFF, recipe=fixed(Http("GET", "/v1/exam-forms"))),
    route(
        "exams",
        "POST /v1/exam-forms",
        STAFF,
        recipe=fixed(
            Http(
                "POST",
                "/v1/exam-forms",
                json={"language": "en", "edition": "R", "items": exam_items()},
            )
        ),
    ),
    route(
        "exams",
        "POST /v1/exam-forms/import",
        STAFF,
        recipe=fixed(
            Http(
                "POST",
                "/v1/exam-forms/import",
                data={"language": "es", "edition": "RI"},
                files={"file": ("form.csv", csv_items(), "text/csv")},
            )
        ),
    ),
    route(
        "exams",
        f"GET {F}",
        STAFF,
        recipe=on_form(lambda f: Http("GET", f"/v1/exam-forms/{f['id']}")),
    ),
    route(
        "exams",
        f"GET {F}/key",
        STAFF,
        recipe=on_form(lambda f: Http("GET", f"/v1/exam-forms/{f['id']}/key")),
    ),
    route(
        "exams",
        f"PUT {F}/items",
        STAFF,
        recipe=on_form(
            lambda f: Http(
                "PUT",
                f"/v1/exam-forms/{f['id']}/items",
                json={"expected_version": f["version"], "items": exam_items("AB")},
            )
        ),
    ),
    route(
        "exams",
        f"POST {F}/publish",
        STAFF,
        recipe=on_form(
            lambda f: Http(
                "POST",
                f"/v1/exam-forms/{f['id']}/publish",
                json={"expected_version": f["version"]},
            )
        ),
    ),
    route(
        "exams",
        f"POST {F}/retire",
        STAFF,
        recipe=on_form(
            lambda f: Http(
                "POST",
                f"/v1/exam-forms/{f['id']}/retire",
                json={"expected_version": f["version"]},
            ),
            "live",
        ),
    ),
]
