"""Staff read the other documents they judge in the browser, linked from each list item: a
self-reported CE completion's certificate, an accommodation request's letter, a complaint's
attachment and a provider's certificate scan, relayed by the gateway inline and sandboxed; a
CE audit with no proof is a 404; nobody else gets them through the console."""

from __future__ import annotations

import base64
import re

import httpx

from certboard_core.testing.plugin import Minter, bearer
from tests.e2e.helpers import PDF, approved_application, data_of, set_clock
from tests.e2e.journeys import certificate_row, provider_with_program, upload
from tests.e2e.test_ce_ledger import SELF_REPORT
from tests.e2e.test_certification import pass_from_exams
from tests.e2e.test_exam_authorizations import ACCOMMODATE, exam_input, ready

from .conftest import Console
from .test_staff_lists import REQUEST

UPLOAD = {"variables.document": ("letter.pdf", PDF, "application/pdf")}
COMPLAIN = """
mutation F($number: String!, $files: [Upload!]) {
  fileComplaint(certificateNumber: $number, description: "Shared a client's story in public.",
                attachments: $files) { reference }
}
"""


def linked(page: str, prefix: str) -> str:
    """The one document link under ``prefix`` on a list page."""
    (href,) = re.findall(rf'<a href="({prefix}/[^"]+)" data-document=', page)
    return href


def assert_shown_inline(answer: httpx.Response, name: str) -> None:
    assert (answer.status_code, answer.content) == (200, PDF)
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'inline; filename="{name}.pdf"'
    assert answer.headers["content-security-policy"].startswith("sandbox; default-src 'none'")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "private, no-store"


async def test_every_document_staff_judge_opens_inline_for_staff_only(
    console: Console, mint: Minter
) -> None:
    system, staff, ann = console.system, mint("staff", "sam"), mint("applicant", "ann")
    await set_clock(system, staff, "2026-06-15T17:00:00+00:00")
    application = await ready(system, mint)
    granted = (await data_of(system, REQUEST, exam_input(application), token=ann))["requestExam"]
    accommodation = {"id": granted["id"], "document": None}
    await data_of(system, ACCOMMODATE, accommodation, token=ann, files=UPLOAD)
    certified = await approved_application(system, mint, "alice", "maria.lopez@example.org")
    await pass_from_exams(system, certified, "2026-05-04")
    read = "query C($id: ID!) { application(id: $id) { certification { id number } } }"
    alice = mint("applicant", "alice")
    held = (await data_of(system, read, {"id": certified["id"]}, token=alice))["application"]
    report = {"c": held["certification"]["id"], "document": None}
    record = (await data_of(system, SELF_REPORT, report, token=alice, files=UPLOAD))["selfReportCe"]
    number = held["certification"]["number"]
    files = {"variables.files.0": ("minutes.pdf", PDF, "application/pdf")}
    await data_of(system, COMPLAIN, {"number": number, "files": [None]}, files=files)
    provider, program = await provider_with_program(system, staff, "Peer Academy")
    scan = {"fileBase64": base64.b64encode(PDF).decode()}
    row = certificate_row("C-9", program, "2026-06-01", legalName="Jo Nobody", **scan)
    await upload(system, mint("provider", "acme", provider_id=provider), provider, [row])

    await console.sign_in("staff", "sam")
    ce_page = await console.client.get("/staff/ce/verification")
    ce_link = linked(ce_page.text, "/staff/ce-records")
    assert ce_link == f"/staff/ce-records/{record['id']}/document"
    assert_shown_inline(await console.client.get(ce_link), f"ce-{record['id']}")
    asked = await console.client.get("/staff/exams/accommodations")
    letter = linked(asked.text, "/staff/accommodations")
    assert ">letter.pdf</a> (application/pdf)" in asked.text
    assert_shown_inline(await console.client.get(letter), f"accommodation-{letter.split('/')[3]}")

    complaints = await console.client.get("/staff/complaints")
    attached = linked(complaints.text, "/staff/complaints")
    assert ">minutes.pdf</a> (application/pdf," in complaints.text
    assert_shown_inline(await console.client.get(attached), f"complaint-{attached.split('/')[5]}")
    certificates = await console.client.get("/staff/certificates")
    scanned = linked(certificates.text, "/staff/certificates")
    assert_shown_inline(await console.client.get(scanned), f"certificate-{scanned.split('/')[3]}")

    nothing = "/staff/ce-audits/00000000-0000-0000-0000-000000000001/proof"
    missing = await console.client.get(nothing)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")

    # The holder reads her own through the gateway; the console's pages stay staff's.
    own = await system.client.get(f"/documents/ce-records/{record['id']}", headers=bearer(alice))
    assert_shown_inline(own, f"ce-{record['id']}")
    await console.sign_in("applicant", "alice")
    for path in (ce_link, letter, attached, scanned):
        refused = await console.client.get(path)
        assert refused.status_code == 403
        assert refused.content != PDF
