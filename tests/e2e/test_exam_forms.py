"""Exam forms through the gateway, and the key that leaves the exams service only on its own
read: every response body, log line, audit record and event of a run is searched for it."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import structlog
from sqlalchemy import text

from certboard_core.testing.plugin import Minter, bearer

from .conftest import System
from .helpers import data_of, error_of

DOMAINS = ("Ethics", "Recovery", "Advocacy", "Communication")
# Distinctive: no answer but the key read may hold this string, nor any form of it below.
SECRET_KEY = "".join("BDACCADBDBCA"[(n * 5 + n // 7) % 12] for n in range(120))
BAD_KEY = "ZQXKEYZQX"

FORM = "id language edition status itemCount version publishedAt"
CREATE = f"""
mutation C($language: ExamLanguage!, $edition: String!, $items: [ExamItemInput!]!) {{
  createExamForm(language: $language, edition: $edition, items: $items) {{ {FORM} }}
}}
"""
IMPORT = f"""
mutation I($language: ExamLanguage!, $edition: String!, $file: Upload!) {{
  importExamForm(language: $language, edition: $edition, file: $file) {{ {FORM} }}
}}
"""
LIST = f"""
query L($language: ExamLanguage, $status: ExamFormStatus) {{
  examForms(language: $language, status: $status, first: 10) {{ items {{ {FORM} }} nextCursor }}
}}
"""
READ = """
query R($id: ID!) {
  examForm(id: $id) { id itemCount domains { domain items } items { number domain } }
}
"""
KEY = "query K($id: ID!) { examFormKey(id: $id) { formId version items { number domain key } } }"
PUBLISH = f"""
mutation P($id: ID!, $v: Int!) {{ publishExamForm(id: $id, expectedVersion: $v) {{ {FORM} }} }}
"""
RETIRE = f"""
mutation T($id: ID!, $v: Int!) {{ retireExamForm(id: $id, expectedVersion: $v) {{ {FORM} }} }}
"""
REPLACE = f"""
mutation E($id: ID!, $v: Int!, $items: [ExamItemInput!]!) {{
  replaceExamFormItems(id: $id, expectedVersion: $v, items: $items) {{ {FORM} }}
}}
"""


def items(keys: str = SECRET_KEY) -> list[dict[str, Any]]:
    return [
        {"number": n, "domain": DOMAINS[(n - 1) % 4], "key": keys[n - 1]} for n in range(1, 121)
    ]


def csv_file(rows: list[dict[str, Any]]) -> bytes:
    lines = ["number,domain,key", *(f"{r['number']},{r['domain']},{r['key']}" for r in rows)]
    return "\n".join(lines).encode()


def forbidden_strings() -> list[str]:
    """The key in every shape a leak could take: joined, separated, as file lines."""
    rows = items()
    return [
        SECRET_KEY,
        ",".join(SECRET_KEY),
        " ".join(SECRET_KEY),
        BAD_KEY,
        *(f"{r['number']},{r['domain']},{r['key']}" for r in rows[:5]),
    ]


class Lines(logging.Handler):
    """Every log record of the run, rendered as the service's own handler renders it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        root = logging.getLogger()
        formatters = [h.formatter for h in root.handlers if h is not self and h.formatter]
        self.lines.append(record.getMessage())
        self.lines += [f.format(record) for f in formatters]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    # At the level the processes log at (INFO): see the report on aiosqlite's DEBUG lines.
    root = logging.getLogger()
    handler = Lines()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


async def test_staff_make_import_publish_and_retire_forms(system: System, mint: Minter) -> None:
    staff = mint("staff", "sam")
    created = (
        await data_of(
            system,
            CREATE,
            {"language": "ENGLISH", "edition": "2026-A", "items": items()},
            token=staff,
        )
    )["createExamForm"]
    assert created["status"] == "DRAFT"
    assert created["itemCount"] == 120
    imported = (
        await data_of(
            system,
            IMPORT,
            {"language": "SPANISH", "edition": "2026-ES", "file": None},
            token=staff,
            files={"variables.file": ("forma.csv", csv_file(items()), "text/csv")},
        )
    )["importExamForm"]
    assert (imported["language"], imported["status"]) == ("SPANISH", "DRAFT")
    bad = items()
    bad[1]["key"] = "E"
    bad_file = csv_file(bad).replace(b"\n7,", b"\nseven,")
    refused_file = await error_of(
        system,
        IMPORT,
        {"language": "SPANISH", "edition": "bad", "file": None},
        token=staff,
        files={"variables.file": ("bad.csv", bad_file, "text/csv")},
    )
    assert refused_file == {
        "code": "FORM_ITEMS_INVALID",
        "field": "line 3.key",
        "status": 422,
        "message": "3 problem(s) with the items: line 3, key: must be one letter, A to D; "
        "line 8, number: must be a whole number 1 to 120; file, number: no item numbered 7",
    }

    read = (await data_of(system, READ, {"id": created["id"]}, token=staff))["examForm"]
    assert read["items"][0] == {"number": 1, "domain": "Ethics"}
    assert {d["items"] for d in read["domains"]} == {30}

    live = (await data_of(system, PUBLISH, {"id": created["id"], "v": 1}, token=staff))[
        "publishExamForm"
    ]
    assert live["status"] == "LIVE"
    assert live["publishedAt"] is not None
    refused = await error_of(
        system, REPLACE, {"id": created["id"], "v": 2, "items": items("A" * 120)}, token=staff
    )
    assert refused["code"] == "TRANSITION_NOT_ALLOWED"
    assert refused["message"] == "cannot edit a live form"

    listed = (await data_of(system, LIST, {"language": "ENGLISH"}, token=staff))["examForms"]
    assert [f["edition"] for f in listed["items"]] == ["2026-A"]
    retired = (await data_of(system, RETIRE, {"id": created["id"], "v": 2}, token=staff))[
        "retireExamForm"
    ]
    assert retired["status"] == "RETIRED"

    key = (await data_of(system, KEY, {"id": created["id"]}, token=staff))["examFormKey"]
    assert "".join(i["key"] for i in key["items"]) == SECRET_KEY


async def test_no_one_but_staff_reaches_a_form(system: System, mint: Minter) -> None:
    staff = mint("staff", "sam")
    created = (
        await data_of(
            system, CREATE, {"language": "ENGLISH", "edition": "E", "items": items()}, token=staff
        )
    )["createExamForm"]
    for role in ("applicant", "provider", "supervisor"):
        for query in (KEY, READ):
            error = await error_of(system, query, {"id": created["id"]}, token=mint(role, "x"))
            assert error["code"] == "FORBIDDEN"
    anonymous = await error_of(system, KEY, {"id": created["id"]})
    assert anonymous["code"] == "UNAUTHENTICATED"


async def test_the_key_never_leaks(system: System, mint: Minter, log_lines: Lines) -> None:
    staff = mint("staff", "sam")
    answers: list[tuple[str, str]] = []  # (what was asked, the whole body)
    key_reads: list[str] = []

    async def gql(label: str, query: str, variables: dict[str, Any], **kwargs: Any) -> Any:
        response = await system.gql(query, variables, token=kwargs.pop("token", staff), **kwargs)
        (key_reads if label.startswith("key") else answers).append((label, response.text))
        return response.json()

    exams = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=system.services["exams"]), base_url="http://exams"
    )

    async def rest(label: str, method: str, path: str, **kwargs: Any) -> Any:
        response = await exams.request(method, path, headers=bearer(staff), **kwargs)
        (key_reads if label.startswith("key") else answers).append((label, response.text))
        return response.json()

    bad_rows = items()
    bad_rows[3]["key"] = BAD_KEY
    bad_rows[8]["domain"] = ""
    async with exams:
        # Through the gateway: every operation, and refusals of each kind.
        made = await gql(
            "create", CREATE, {"language": "ENGLISH", "edition": "G", "items": items()}
        )
        form = made["data"]["createExamForm"]
        await gql("create again", CREATE, {"language": "ENGLISH", "edition": "G", "items": items()})
        await gql("create bad", CREATE, {"language": "ENGLISH", "edition": "X", "items": bad_rows})
        no_domain = [{"number": 1, "key": SECRET_KEY}, *items()[1:]]
        await gql("no domain", CREATE, {"language": "ENGLISH", "edition": "Y", "items": no_domain})
        for name, raw in (("bad.csv", csv_file(bad_rows)), ("good.csv", csv_file(items()))):
            await gql(
                f"import {name}",
                IMPORT,
                {"language": "SPANISH", "edition": name, "file": None},
                files={"variables.file": (name, raw, "text/csv")},
            )
        await gql("read", READ, {"id": form["id"]})
        await gql("list", LIST, {})
        await gql("publish", PUBLISH, {"id": form["id"], "v": 1})
        await gql("edit live", REPLACE, {"id": form["id"], "v": 2, "items": items()})
        await gql("stale", PUBLISH, {"id": form["id"], "v": 1})
        await gql("applicant", KEY, {"id": form["id"]}, token=mint("applicant", "a"))
        await gql("key read", KEY, {"id": form["id"]})
        # Straight to the service: the same, over REST.
        base = "/v1/exam-forms"
        body = {"language": "en", "edition": "R", "items": items()}
        rest_form = await rest("rest create", "POST", base, json=body)
        await rest("rest create bad", "POST", base, json={**body, "items": bad_rows})
        await rest(
            "rest import bad",
            "POST",
            f"{base}/import",
            data={"language": "es", "edition": "B"},
            files={"file": ("bad.csv", csv_file(bad_rows), "text/csv")},
        )
        await rest("rest read", "GET", f"{base}/{rest_form['id']}")
        await rest("rest list", "GET", base)
        await rest("rest edit", "PUT", f"{base}/{rest_form['id']}/items", json={**body, "v": 0})
        await rest("key rest read", "GET", f"{base}/{rest_form['id']}/key")

    assert "FORM_ITEMS_INVALID" in dict(answers)["import bad.csv"]
    assert "line 5, key: must be one letter, A to D" in dict(answers)["import bad.csv"]
    # The admin reads do answer the key, so the search below would find a leak.
    assert all(SECRET_KEY in "".join(_keys(text)) for _, text in key_reads)
    stored = await _stored_texts(system)
    everything = [*answers, *(("log", line) for line in log_lines.lines), *stored]
    structlog.get_logger("test").warning("capture check", form_id=form["id"])
    assert any("capture check" in line for line in log_lines.lines)
    for secret in forbidden_strings():
        leaks = [label for label, text in everything if secret in text]
        assert not leaks, f"{secret[:12]}... found in {leaks}"
    assert not [label for label, text in answers if '"key"' in text]


def _keys(body: str) -> list[str]:
    data = json.loads(body)
    found = data.get("data", {}).get("examFormKey") if "data" in data else data
    return [item["key"] for item in found["items"]]


async def _stored_texts(system: System) -> list[tuple[str, str]]:
    """Every audit record and outbox event the exams service wrote."""
    texts = []
    async with system.services["exams"].state.engine.connect() as connection:
        for table in ("audit_record", "outbox_event"):
            rows = (await connection.execute(text(f"SELECT * FROM {table}"))).all()
            texts += [(table, repr(tuple(row))) for row in rows]
    return texts
