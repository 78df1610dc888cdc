"""Supervision in a real browser: the peer drafts and signs an agreement in the portal; the
supervisor signs it and signs a session off by keyboard, and reads the weeks (also without
JavaScript); a forged form changes nothing. Guarded and axe-checked like every browser test."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of

from ..test_supervisor import proposed, verified, worked_and_met
from .conftest import Live
from .test_staff_browser import checked, sign_in

AGREEMENT = "query($id: ID!) { supervisionAgreement(id: $id) { status signedBySupervisorAt } }"


async def test_a_supervisor_signs_an_agreement_and_signs_off_a_session(
    no_foreign_requests: Live, browser: Browser, mint: Minter
) -> None:
    live = no_foreign_requests
    await verified(live.system, mint, "dr-sam")
    await sign_in(live, "applicant", "alice")
    page = live.page
    await page.goto(f"{live.url}/me/supervision")
    await page.get_by_text("Draft an agreement with a supervisor").click()
    await page.get_by_label("Your supervisor's id").fill("dr-sam")
    await page.get_by_label("Employer").fill("Bozeman Recovery Center")
    await page.get_by_label("First day").fill("2026-03-01")
    await page.get_by_label("I have no prior therapeutic or personal relationship").check()
    await page.get_by_label("This supervisor is not my parent").check()
    await page.get_by_role("button", name="Draft the agreement").click()
    await expect(page.get_by_role("status")).to_contain_text("Done: the agreement is drafted.")
    await page.get_by_role("button", name="Sign this agreement").press("Enter")
    await expect(page.get_by_role("status")).to_have_text("Done: you signed the agreement.")
    row = page.locator("tr[data-agreement]")
    await expect(row).to_contain_text("you signed; your supervisor has not signed")
    await checked(live, "peer-supervision")
    agreement = await row.get_attribute("data-agreement")

    await sign_in(live, "supervisor", "dr-sam")
    await expect(page).to_have_url(f"{live.url}/supervisor")
    await expect(page.locator(f'article[data-agreement="{agreement}"]')).to_contain_text(
        "The peer signed on 10 March 2026."
    )
    await checked(live, "supervisor-to-sign")
    # Keyboard alone: focus the button and press Enter.
    await page.get_by_role("button", name="Sign the agreement with alice").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("Done: you signed the agreement.")
    await expect(page.locator(f'tr[data-agreement="{agreement}"] [data-status]')).to_have_text(
        "Active"
    )

    await worked_and_met(live.system, mint, agreement, "alice")
    await page.reload()
    session = page.locator("article.session")
    await expect(session.get_by_label("Your name, as you sign")).to_have_value("Sam")
    await expect(session.get_by_label("Your license number")).to_have_value("LSW-Sam")
    await checked(live, "supervisor-to-sign-off")
    await session.get_by_label("Your name, as you sign").fill("Dr. Sam Ortiz")
    await session.get_by_role("button", name="Sign off the session of Maria Lopez").press("Enter")
    await expect(page.get_by_role("status")).to_have_text(
        "Done: the session is signed off and locked."
    )
    weeks = page.locator('article.peer[data-peer="alice"]')
    await expect(weeks.locator("svg[role=img]")).to_have_attribute(
        "aria-label",
        "Maria Lopez: 0 weeks compliant and 1 short of 12; the table that follows gives each week.",
    )
    await expect(weeks.locator('tr[data-week="2026-03-02"] td.result')).to_have_text(
        "Short: short by 1 min"
    )
    await checked(live, "supervisor-weeks")

    # Reading needs no script: the same session in a browser with JavaScript off.
    quiet = await browser.new_context(java_script_enabled=False)
    try:
        await quiet.add_cookies(await page.context.cookies())
        plain = await quiet.new_page()
        await plain.goto(f"{live.url}/supervisor")
        await expect(plain.locator('tr[data-week="2026-03-02"] td.result')).to_have_text(
            "Short: short by 1 min"
        )
        await expect(plain.get_by_text("No session waits for your sign-off.")).to_be_visible()
    finally:
        await quiet.close()


async def test_a_forged_signature_changes_nothing(no_foreign_requests: Live, mint: Minter) -> None:
    live = no_foreign_requests
    agreement = await proposed(live.system, mint, "dr-sam", "alice")
    await sign_in(live, "supervisor", "dr-sam")
    page = live.page
    form = page.locator(f'form[action="/supervisor/agreements/{agreement}/sign"]')
    await form.locator("input[name=csrf_token]").evaluate("input => { input.value = 'forged' }")
    await form.get_by_role("button").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "This form has expired or did not come from this site. Go back, reload the page "
        "and send it again."
    )
    await checked(live, "supervisor-csrf-refused")
    read = await data_of(
        live.system, AGREEMENT, {"id": agreement}, token=mint("supervisor", "dr-sam")
    )
    assert read["supervisionAgreement"] == {
        "status": "AWAITING_SIGNATURES",
        "signedBySupervisorAt": None,
    }
    await page.goto(f"{live.url}/supervisor")
    await expect(page.get_by_role("button", name="Sign the agreement with alice")).to_be_visible()
