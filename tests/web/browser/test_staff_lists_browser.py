"""Staff's other lists and read pages in a real browser: every one passes axe-core's WCAG 2.1
AA rules, empty or full; a decision is opened, filled and sent by keyboard alone, and a stale
one shows the item as it is now."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect

from certboard_core.testing.plugin import T0, Minter
from tests.e2e.helpers import data_of, set_clock
from tests.e2e.test_exam_attempts import RECORD, exam_rows, responses

from ..test_staff_lists import LINK, certificates
from .conftest import Live
from .test_staff_browser import checked, sign_in

EMPTY_LISTS = (
    "ce/verification",
    "renewals",
    "ce/audits",
    "complaints",
    "complaints/decided",
    "exams/forms",
    "exams/scheduling",
    "exams/accommodations",
    "supervision/shortfalls",
    "providers",
)


async def test_certificates_decided_by_keyboard_and_a_stale_form(
    no_foreign_requests: Live, mint: Minter
) -> None:
    live = no_foreign_requests
    application = await certificates(live.system, mint)
    await sign_in(live, "staff", "sam")
    page = live.page
    await page.get_by_role("link", name="Training certificates to review").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Training certificates to review"
    )
    await expect(page.locator(".clock .breach")).to_have_text(
        ["Breach: the due day passed 6 days ago"] * 2
    )
    await checked(live, "staff-certificates")

    maria = page.locator("li.card", has=page.get_by_role("heading", name="Maria Lopez"))
    await maria.get_by_text("Accept the certificate").first.focus()
    await page.keyboard.press("Enter")  # opens the <details>
    await page.keyboard.press("Tab")
    await page.keyboard.type("Matches her application.")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("Done: the certificate is accepted.")
    await expect(page.locator("li.card h2")).to_have_text(["Jo Nobody"])

    # Someone links Jo's certificate while this page is open: the stale form changes nothing.
    jo = await page.locator("li.card").first.get_attribute("data-id")
    link = {"id": jo, "v": 1, "applicationId": application["id"]}
    await data_of(live.system, LINK, link, token=mint("staff", "sue"))
    await page.get_by_text("Reject the certificate").first.click()
    await page.get_by_label("Reason", exact=True).fill("Nobody we know.")
    await page.get_by_role("button", name="Reject the certificate").click()
    await expect(page.locator("#refusal")).to_contain_text(
        "Not done: someone changed this after you opened it (you read version 1; it is now "
        "version 2). Nothing was changed."
    )
    await expect(page.locator("#now")).to_contain_text("open the application")
    await expect(page.get_by_label("Reason", exact=True)).to_have_value("Nobody we know.")
    await checked(live, "staff-certificate-conflict")

    await page.goto(f"{live.url}/staff/certificates/unmatched")
    await expect(page.get_by_text("Nothing waits in this queue.")).to_be_visible()
    await checked(live, "staff-unmatched")
    for path in EMPTY_LISTS:
        await page.goto(f"{live.url}/staff/{path}")
        await checked(live, "staff-" + path.replace("/", "-"))
    await page.get_by_role("link", name="Peer Academy").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Peer Academy")
    await checked(live, "staff-provider")
    await page.goto(f"{live.url}/staff")
    await expect(page.locator(".chart-words").first).to_contain_text("30 days:")
    await checked(live, "staff-dashboard-charts")


async def test_exam_pages_pass_axe(no_foreign_requests: Live, mint: Minter) -> None:
    live = no_foreign_requests
    staff = mint("staff", "sam")
    await set_clock(live.system, staff, (T0 + timedelta(hours=2)).isoformat())
    _, authorizations = await exam_rows(live.system, ["alice", "bob"])
    for authorization, right in zip(authorizations, (96, 60), strict=True):
        attempt = {"authorizationId": authorization, "takenAt": T0.isoformat()}
        variables = {"a": attempt | {"responses": responses(right)}}
        await data_of(live.system, RECORD, variables, token=staff)
    await sign_in(live, "staff", "sam")
    page = live.page
    await page.get_by_role("link", name="Exam result notices to send").click()
    await expect(page.locator("li.card")).to_have_count(2)
    await checked(live, "staff-result-notices")
    await page.goto(f"{live.url}/staff")
    await page.get_by_role("link", name="Exam forms").click()
    await page.get_by_role("link", name="2026-E2E").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Exam form 2026-E2E")
    await checked(live, "staff-exam-form")
