"""The staff console in a real browser: staff open the dashboard, a queue and an application,
start the review and request a revision by keyboard; a stale form shows the conflict; the
applicant then reads the revision request. Guarded and axe-checked like every browser test."""

from __future__ import annotations

from playwright.async_api import Page, expect

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of, set_clock

from ..test_staff import submitted
from .conftest import Live

BACKGROUND = """
mutation B($id: ID!, $v: Int!) {
  recordBackgroundCheck(id: $id, expectedVersion: $v, result: PASSED) { version }
}
"""


async def sign_in(live: Live, role: str, subject: str) -> None:
    page = live.page
    await page.goto(f"{live.url}/signin")
    await page.get_by_label("Role").select_option(role)
    await page.get_by_label("Subject").fill(subject)
    await page.get_by_role("button", name="Sign in").click()


async def checked(live: Live, name: str) -> Page:
    """The page passes axe-core's WCAG 2.1 AA rules; its screenshot is kept."""
    assert await live.axe() == []
    await live.shot(name)
    return live.page


async def test_staff_request_a_revision_and_the_applicant_reads_it(
    no_foreign_requests: Live, mint: Minter
) -> None:
    live = no_foreign_requests
    # Bob's application waits past its first notice's due day (a breach); Alice's is new.
    await set_clock(live.system, mint("staff", "sam"), "2026-01-30T17:00:00+00:00")
    await submitted(live.system, mint, "bob")
    await set_clock(live.system, mint("staff", "sam"), "2026-03-10T17:00:00+00:00")
    application = await submitted(live.system, mint, "alice")
    await sign_in(live, "staff", "sam")
    page = live.page
    await expect(page).to_have_url(f"{live.url}/staff")
    first = page.locator('tr[data-queue="queue.first_notification"]')
    await expect(first.locator("td.count")).to_have_text("2")
    late = page.locator('tr[data-queue="queue.breaches"]')
    await expect(late.locator(".breach")).to_have_text("Breach: 1 past their due day")
    await checked(live, "staff-dashboard")
    await first.get_by_role("link").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("First notice to send")
    await expect(page.locator("td.clock")).to_have_text(
        ["Breach: the due day passed 9 days ago", "30 days left"]
    )
    await checked(live, "staff-queue")
    await page.get_by_role("link", name="Alice, Maria").click()
    await expect(page).to_have_url(f"{live.url}/staff/applications/{application['id']}")
    await checked(live, "staff-application")
    await page.get_by_role("button", name="Start the review").click()
    await expect(page.get_by_role("status")).to_have_text("Done: the review has started.")
    await expect(page.locator("[data-status]").first).to_have_text("Under review")

    # The revision by keyboard alone: Space ticks a box, Tab moves on, Enter sends.
    await page.get_by_label("A government-issued photo ID").focus()
    await page.keyboard.press("Space")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Space")  # the diploma too
    await page.get_by_label("Note to the applicant").first.focus()
    await page.keyboard.type("The photo is too dark to read.")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text(
        "Done: the revision was requested and the applicant told."
    )
    await expect(page.locator("ul.missing li")).to_have_text(
        ["A government-issued photo ID", "A diploma or equivalent"]
    )

    # Someone else records the background check while this page is open: its form is stale.
    await data_of(
        live.system, BACKGROUND, {"id": application["id"], "v": 3}, token=mint("staff", "sue")
    )
    await page.get_by_label("Reason, sent to the applicant").fill("Not eligible.")
    await page.get_by_role("button", name="Deny").click()
    await expect(page.locator("#refusal")).to_contain_text(
        "Not done: someone changed this application after you opened it (you read version 3; "
        "it is now version 4). Nothing was changed."
    )
    await expect(page.locator("[data-background]")).to_contain_text("Passed")
    await expect(page.locator("[data-status]").first).to_have_text(
        "Incomplete: something is missing"
    )
    await expect(page.get_by_label("Reason, sent to the applicant")).to_have_value("Not eligible.")
    await checked(live, "staff-conflict")

    await page.get_by_role("button", name="Sign out (sam)").click()
    await sign_in(live, "applicant", "alice")
    await expect(page).to_have_url(f"{live.url}/me")
    await expect(page.locator("ul.missing li")).to_have_text(
        ["A government-issued photo ID", "A diploma or equivalent"]
    )
    await expect(page.locator("ul.notices")).to_contain_text("The photo is too dark to read.")
    await checked(live, "status-revision")


async def test_another_role_gets_the_403_page(no_foreign_requests: Live) -> None:
    live = no_foreign_requests
    await sign_in(live, "applicant", "alice")
    response = await live.page.goto(f"{live.url}/staff")
    assert response is not None
    assert response.status == 403
    await expect(live.page.get_by_role("alert")).to_have_text(
        "This page is for board staff. You are signed in as applicant."
    )
    await checked(live, "staff-forbidden")
