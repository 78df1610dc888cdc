"""The applicant's portal in a real browser: the application submitted by keyboard alone (a
refused field said and marked, what was typed kept), the timeline read; a revision staff asked
for answered with the upload and sent back; the certified applicant's exams, results and
renewal, in English, in Spanish and without JavaScript. Every page passes axe-core's WCAG 2.1
AA rules, and its screenshot is kept."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import JPEG, PDF, data_of, set_clock
from tests.e2e.journeys import live_form, sit

from ..test_applicant_exams import ready_for_the_exam
from ..test_staff import submitted
from .conftest import Live
from .test_staff_browser import checked, sign_in

REVISE = """
mutation R($id: ID!, $v: Int!) {
  requestRevision(id: $id, expectedVersion: $v, items: [GOVERNMENT_ID],
                  note: "The photo is too dark to read.") { version }
}
"""
EXAM = """
mutation R($id: ID!) {
  requestExam(input: {applicationId: $id, language: ENGLISH, deliveryMode: TEST_CENTRE}) { id }
}
"""


def documents(tmp: Path) -> tuple[Path, Path]:
    """A JPEG ID and a PDF diploma on disk, as a browser's file chooser picks them."""
    (tmp / "id.jpg").write_bytes(JPEG)
    (tmp / "diploma.pdf").write_bytes(PDF)
    return tmp / "id.jpg", tmp / "diploma.pdf"


async def type_into(page: Page, label: str, text: str) -> None:
    """Tab has brought the focus to ``label``'s field: type there, then move on."""
    await expect(page.get_by_label(label, exact=True)).to_be_focused()
    await page.keyboard.type(text)
    await page.keyboard.press("Tab")


async def tab_out_of(page: Page, field: str) -> None:
    """Tab past a date field: Chromium stops on its month, day and year in turn."""
    for _ in range(4):
        if await page.evaluate("document.activeElement.id") != field:
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"the focus stayed in {field}")


async def tab_to(page: Page, field: str) -> None:
    """Press Tab until the focus is on ``field`` (an id), as a keyboard user moves on."""
    for _ in range(20):
        if await page.evaluate("document.activeElement.id") == field:
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {field}")


async def choose_by_keyboard(page: Page, document: Path) -> None:
    """Space on the focused file field opens the file chooser; the document is picked in it.

    Headless Chromium now and then lets the key pass without a chooser (about one run in
    three on a loaded machine, always on a page just loaded); Enter, the field's other key,
    is the keyboard user's second try."""
    assert await page.evaluate("document.activeElement.type") == "file"
    for key in ("Space", "Enter"):
        try:
            async with page.expect_file_chooser(timeout=10_000) as chooser:
                await page.keyboard.press(key)
        except PlaywrightTimeoutError:
            continue
        await (await chooser.value).set_files(document)
        return
    raise AssertionError("neither Space nor Enter opened the file chooser")


async def test_an_applicant_applies_by_keyboard_and_reads_the_timeline(
    no_foreign_requests: Live, mint: Minter, tmp_path: Path
) -> None:
    live, page = no_foreign_requests, no_foreign_requests.page
    await set_clock(live.system, mint("staff", "sam"), "2026-03-10T17:00:00+00:00")
    identity, diploma = documents(tmp_path)
    await sign_in(live, "applicant", "alice")
    await expect(page.get_by_text("You have no application yet.")).to_be_visible()
    await page.get_by_role("link", name="Apply for certification").click()
    await checked(live, "apply")

    # Keyboard only: Tab from field to field, type, Space ticks and picks, Enter sends.
    await page.get_by_label("First name").focus()
    await type_into(page, "First name", "María")
    await type_into(page, "Last name", "Lopez")
    await page.keyboard.type("01012015")  # too young: refused below
    await tab_out_of(page, "dateOfBirth")
    await type_into(page, "Email", "maria.lopez@example.org")
    await page.keyboard.press("Space")  # the first lived experience, focused by Tab
    await page.keyboard.press("Tab")
    await page.keyboard.press("Space")  # Code of Ethics
    await page.keyboard.press("Tab")
    await page.keyboard.press("Space")  # willing to share
    await page.keyboard.press("Tab")
    await choose_by_keyboard(page, identity)
    await page.keyboard.press("Tab")
    await choose_by_keyboard(page, diploma)
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Submit the application")).to_be_focused()
    await page.keyboard.press("Enter")

    date = page.get_by_label("Date of birth")
    await expect(page.locator("#dateOfBirth-error")).to_have_text(
        "Applicants must be 18 or older on the day they apply."
    )
    await expect(date).to_have_attribute("aria-invalid", "true")
    await expect(date).to_have_value("2015-01-01")
    await expect(page.get_by_label("First name")).to_have_value("María")
    await expect(page.get_by_label("Email")).to_have_value("maria.lopez@example.org")
    await expect(page.get_by_label("I agree to the board's Code of Ethics.")).to_be_checked()
    await checked(live, "apply-refused")

    await tab_to(page, "dateOfBirth")
    await page.keyboard.type("05171990")
    await tab_to(page, "governmentId")
    await choose_by_keyboard(page, identity)
    await page.keyboard.press("Tab")
    await choose_by_keyboard(page, diploma)
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{live.url}/me?done=submitted")
    await expect(page.get_by_role("status")).to_have_text(
        "Done: your application was sent to the board."
    )
    await expect(page.locator('[data-key="date.first_notice_due"]')).to_contain_text("9 April 2026")
    await expect(page.locator('[data-key="date.void_from"] .days')).to_have_text(
        "does not apply now"
    )
    await checked(live, "status-submitted")


async def test_staff_ask_for_a_revision_and_the_applicant_uploads_the_missing_document(
    no_foreign_requests: Live, mint: Minter, tmp_path: Path
) -> None:
    live, page = no_foreign_requests, no_foreign_requests.page
    staff = mint("staff", "sam")
    await set_clock(live.system, staff, "2026-03-10T17:00:00+00:00")
    application = await submitted(live.system, mint, "alice")
    await data_of(
        live.system, REVISE, {"id": application["id"], "v": application["version"]}, token=staff
    )
    identity, _ = documents(tmp_path)

    await sign_in(live, "applicant", "alice")
    await expect(page.locator("ul.missing li")).to_have_text(["A government-issued photo ID"])
    await expect(page.locator(".note")).to_contain_text("The photo is too dark to read.")
    await expect(page.locator('[data-key="date.last_day_to_complete"]')).to_contain_text(
        "90 days left"
    )
    await checked(live, "status-revision-asked")
    upload = page.get_by_label("A new government-issued photo ID (JPEG or PDF)")
    await tab_to(page, await upload.get_attribute("id") or "")
    await choose_by_keyboard(page, identity)
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text(
        "Done: the document was added to your application."
    )
    new_id = page.locator('table.documents tr[data-kind="GOVERNMENT_ID"] td')
    await expect(new_id).to_have_text(["2", "id.jpg", "10 March 2026"])
    await tab_to(page, "resubmit-1")
    await expect(page.get_by_role("button", name="Send the application back")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text(
        "Done: your application was sent back to the board."
    )
    await expect(page.locator("[data-status]").first).to_have_text("Resubmitted")
    await expect(page.get_by_text("Nothing is missing.")).to_be_visible()
    await checked(live, "status-resubmitted")


async def test_the_certified_applicant_reads_results_and_renewal_in_both_languages(
    no_foreign_requests: Live, mint: Minter, browser: Browser
) -> None:
    live, page = no_foreign_requests, no_foreign_requests.page
    application = await ready_for_the_exam(live.system, mint)
    granted = await data_of(
        live.system, EXAM, {"id": application}, token=mint("applicant", "alice")
    )
    form = await live_form(live.system, mint("staff", "sam"))
    await set_clock(live.system, mint("staff", "sam"), "2026-04-10T18:00:00+00:00")
    await sit(
        live.system,
        mint("service", "pv"),
        granted["requestExam"]["id"],
        form,
        96,
        "2026-04-10T15:00:00Z",
    )

    await sign_in(live, "applicant", "alice")
    await expect(page.locator("table.result caption")).to_contain_text(
        "Result of 10 April 2026: passed, 80.00 %"
    )
    await expect(page.locator('tr[data-domain="ethics"]')).to_have_text("ethics48/6080.00 %")
    await expect(page.locator("p.attempts")).to_have_text("Attempts used: 1 of 3; 2 left.")
    await expect(page.locator('tr[data-category="TOTAL"] td').first).to_have_text("20")
    await expect(page.get_by_role("link", name="Download the credential")).to_be_visible()
    await checked(live, "status-certified")
    await page.get_by_role("button", name="Español").click()
    await expect(page.locator("table.result caption")).to_contain_text(
        "Resultado del 10 de abril de 2026: aprobado"
    )
    await checked(live, "status-certified-es")
    await page.goto(f"{live.url}/apply")
    await checked(live, "apply-es")

    # Reading needs no JavaScript: the whole page comes from the server.
    context = await browser.new_context(java_script_enabled=False)
    try:
        plain = await context.new_page()
        plain.set_default_timeout(5000)
        await plain.goto(f"{live.url}/signin")
        await plain.get_by_label("Subject").fill("alice")
        await plain.get_by_role("button", name="Sign in").click()
        await expect(plain.locator('tr[data-domain="recovery"]')).to_contain_text("80.00 %")
        await expect(plain.locator('[data-key="date.renewal_opens"]')).to_contain_text(
            "10 January 2028"
        )
    finally:
        await context.close()
