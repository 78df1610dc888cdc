"""Hostile uploads: judged by their bytes, served back inert, refused early when oversized."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from certboard_core.testing.plugin import bearer

from .conftest import MAX_DOCUMENT_BYTES, MAX_REQUEST_BYTES, Board, Files

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# A PDF by its first bytes and a page by its body: browsers that sniff would run the script.
POLYGLOT = b"%PDF-1.4\n" + HTML + b"\n%%EOF\n"

SUBMIT = """
mutation Submit($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    id documents { id kind contentType sizeBytes originalFilename }
  }
}
"""
MINE = "{ me { applications { id } } }"
STORED_NAME = re.compile(r"[0-9a-f]{2}/[0-9a-f]{32}")


def _input() -> dict[str, Any]:
    return {
        "firstName": "Maria",
        "lastName": "Lopez",
        "dateOfBirth": "1990-05-17",
        "email": "maria.lopez@example.org",
        "codeOfEthicsAgreed": True,
        "livedExperience": "CONSUMER",
        "willingToShareExperience": True,
        "governmentId": None,
        "diploma": None,
    }


def _files(government_id: tuple[str, bytes, str], diploma: tuple[str, bytes, str]) -> Files:
    return {"variables.input.governmentId": government_id, "variables.input.diploma": diploma}


async def _submit(board: Board, token: str, files: Files) -> dict[str, Any]:
    response = await board.gql(SUBMIT, {"input": _input()}, token=token, files=files)
    body: dict[str, Any] = response.json()
    return body


def _stored(document_dir: Path) -> list[str]:
    if not document_dir.exists():
        return []
    return sorted(str(p.relative_to(document_dir)) for p in document_dir.rglob("*") if p.is_file())


def _escaped(root: Path) -> list[Path]:
    """Files a hostile name could have written: none may exist anywhere under the test's root."""
    return [p for p in root.rglob("*") if p.name == "passwd" or p.suffix == ".ini"]


async def _has_no_application(board: Board, token: str) -> bool:
    body = (await board.gql(MINE, token=token)).json()
    return body == {"data": {"me": {"applications": []}}}


@pytest.mark.parametrize(
    ("government_id", "code", "status"),
    [
        (("id.pdf", HTML, "application/pdf"), "DOCUMENT_TYPE_NOT_ACCEPTED", 415),
        (("id.jpg", b"", "image/jpeg"), "DOCUMENT_EMPTY", 422),
        (
            ("id.jpg", JPEG + b"\x00" * MAX_DOCUMENT_BYTES, "image/jpeg"),
            "DOCUMENT_TOO_LARGE",
            413,
        ),
    ],
)
async def test_refused_documents_leave_nothing_behind(
    board: Board, mint, government_id: tuple[str, bytes, str], code: str, status: int
) -> None:
    alice = mint("applicant", "alice")
    body = await _submit(board, alice, _files(government_id, ("d.pdf", PDF, "application/pdf")))
    assert body["data"] is None
    [error] = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["status"]) == (code, status)
    assert error["extensions"]["field"] == "government_id"
    assert await _has_no_application(board, alice)
    assert _stored(board.document_dir) == []


async def test_a_document_is_judged_by_its_bytes_and_served_back_inert(board: Board, mint) -> None:
    alice = mint("applicant", "alice")
    # A PDF called .jpg and declared a JPEG is a PDF; so is a PDF with a page inside.
    body = await _submit(
        board,
        alice,
        _files(("scan.jpg", PDF, "image/jpeg"), ("diploma.pdf", POLYGLOT, "text/html")),
    )
    assert "errors" not in body, body
    application = body["data"]["submitApplication"]
    documents = {d["kind"]: d for d in application["documents"]}
    assert {kind: d["contentType"] for kind, d in documents.items()} == {
        "GOVERNMENT_ID": "application/pdf",
        "DIPLOMA": "application/pdf",
    }
    download = await board.services["applications"].get(
        f"/v1/applications/{application['id']}/documents/{documents['DIPLOMA']['id']}",
        headers=bearer(alice),
    )
    assert download.status_code == 200
    assert download.content == POLYGLOT
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert all(STORED_NAME.fullmatch(name) for name in _stored(board.document_dir))


async def test_a_request_over_the_cap_is_refused_before_it_is_read(board: Board, mint) -> None:
    alice = mint("applicant", "alice")
    big = ("id.jpg", JPEG + b"\x00" * MAX_REQUEST_BYTES, "image/jpeg")
    response = await board.gql(
        SUBMIT,
        {"input": _input()},
        token=alice,
        files=_files(big, ("d.pdf", PDF, "application/pdf")),
    )
    assert response.status_code == 413
    [error] = response.json()["errors"]
    assert (error["extensions"]["code"], error["extensions"]["status"]) == (
        "PAYLOAD_TOO_LARGE",
        413,
    )
    assert await _has_no_application(board, alice)
    assert _stored(board.document_dir) == []


def _operations() -> dict[str, str]:
    return {
        "operations": json.dumps({"query": SUBMIT, "variables": {"input": _input()}}),
        "map": json.dumps(
            {"0": ["variables.input.governmentId"], "1": ["variables.input.diploma"]}
        ),
    }


async def test_thousands_of_form_parts_are_refused(board: Board, mint) -> None:
    alice = mint("applicant", "alice")
    documents = {"0": ("id.jpg", JPEG, "image/jpeg"), "1": ("d.pdf", PDF, "application/pdf")}
    fields = {f"junk{i}": "x" for i in range(5000)}
    extra_files = {f"f{i}": ("x.pdf", PDF, "application/pdf") for i in range(50)}
    attempts = [
        await board.gateway.post(
            "/graphql", data={**_operations(), **fields}, files=documents, headers=bearer(alice)
        ),
        await board.gateway.post(
            "/graphql",
            data=_operations(),
            files={**documents, **extra_files},
            headers=bearer(alice),
        ),
    ]
    for response in attempts:
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "MALFORMED_BODY"
        assert "Too many" in error["message"]
    # The service's own form, sent directly.
    direct = await board.services["applications"].post(
        "/v1/applications",
        data={"first_name": "M", **fields},
        files={"government_id": documents["0"], "diploma": documents["1"]},
        headers=bearer(alice),
    )
    assert direct.status_code == 400
    assert direct.json()["error"]["code"] == "MALFORMED_BODY"
    assert await _has_no_application(board, alice)
    assert _stored(board.document_dir) == []


@pytest.mark.parametrize(
    "target",
    [
        # A text part of the form where a file belongs.
        "operations",
        "map",
    ],
)
async def test_an_upload_that_is_not_a_file_is_a_coded_error(
    board: Board, mint, target: str
) -> None:
    alice = mint("applicant", "alice")
    data = _operations()
    data["map"] = json.dumps(
        {target: ["variables.input.governmentId"], "1": ["variables.input.diploma"]}
    )
    response = await board.gateway.post(
        "/graphql",
        data=data,
        files={"1": ("d.pdf", PDF, "application/pdf")},
        headers=bearer(alice),
    )
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] != "INTERNAL", error
    assert await _has_no_application(board, alice)


async def test_an_upload_sent_as_json_is_a_coded_error(board: Board, mint) -> None:
    alice = mint("applicant", "alice")
    variables = {"input": {**_input(), "governmentId": "/etc/passwd", "diploma": {"a": 1}}}
    body = (await board.gql(SUBMIT, variables, token=alice)).json()
    [error, *_] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["extensions"]["field"] in ("governmentId", "diploma")
    assert await _has_no_application(board, alice)


HOSTILE_NAMES = [
    "../../../../etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "/etc/passwd",
    "%2e%2e%2f%2e%2e%2fpasswd.pdf",
    "a\r\nContent-Type: text/html\r\n\r\n.pdf",
    "\"; filename*=UTF-8''evil.html",
    "x" * 5000 + ".pdf",
    "\u202egpj.exe",
    ".",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_hostile_file_names_are_no_server_error_and_no_path(
    board: Board, mint, tmp_path: Path, name: str
) -> None:
    alice = mint("applicant", "alice")
    response = await board.gql(
        SUBMIT,
        {"input": _input()},
        token=alice,
        files=_files((name, JPEG, "image/jpeg"), ("d.pdf", PDF, "application/pdf")),
    )
    assert response.status_code < 500, response.text
    for error in response.json().get("errors", []):
        assert error["extensions"]["code"] != "INTERNAL", error
    # Files are stored under opaque keys only, inside the document folder.
    assert all(STORED_NAME.fullmatch(n) for n in _stored(board.document_dir))
    assert not _escaped(tmp_path)
