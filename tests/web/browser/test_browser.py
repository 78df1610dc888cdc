"""The console in a real browser: the public verifies, an applicant signs in and reads the
timeline, a forged form is refused, nothing is fetched from another host, and every page
passes axe-core's WCAG 2.1 AA rules."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, expect
from playwright.async_api import Error as PlaywrightError

from certboard_core.testing.plugin import Minter

from ..test_pages import certified
from .conftest import Live


async def test_the_public_verifies_a_number(no_foreign_requests: Live, mint: Minter) -> None:
    live = no_foreign_requests
    number = await certified(live.system, mint)
    page = live.page
    await page.goto(f"{live.url}/verify")
    assert await live.axe() == []
    await page.get_by_label("Certificate number").fill(number.lower())
    await page.get_by_role("button", name="Check").first.click()
    result = page.locator("#results article")
    await expect(result.locator("[data-status]")).to_have_text("Active")
    await expect(result.locator("h3")).to_have_text("Maria Lopez")
    # htmx swapped the results in and put the search in the address bar.
    await expect(page).to_have_url(re.compile(r"/verify\?number="))
    assert await live.axe() == []
    await live.shot("verify")
    await page.get_by_label("Certificate number").fill("AAAA-AAAA-AAAB")
    await page.get_by_role("button", name="Check").first.click()
    await expect(page.locator("#results .error")).to_have_text(
        "No certification has this number. Check it as printed."
    )


async def test_an_applicant_signs_in_and_reads_the_timeline(
    no_foreign_requests: Live, mint: Minter
) -> None:
    live = no_foreign_requests
    await certified(live.system, mint)
    page = live.page
    await page.goto(f"{live.url}/")
    assert await live.axe() == []
    await live.shot("home")
    await page.get_by_role("link", name="Sign in").first.click()
    assert await live.axe() == []
    await live.shot("signin")
    await page.get_by_label("Role").select_option("applicant")
    await page.get_by_label("Subject").fill("alice")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page).to_have_url(f"{live.url}/me")
    certification = page.locator('[data-key="date.certification_valid"]')
    await expect(certification).to_contain_text("3 May 2028")
    await expect(certification).to_contain_text("785 days left")
    await expect(page.locator("ol.timeline li")).to_have_count(11)
    assert await live.axe() == []
    await live.shot("status")
    await page.get_by_role("button", name="Español").click()
    await expect(page.get_by_role("heading", name="Mis solicitudes")).to_be_visible()
    await expect(certification).to_contain_text("quedan 785 días")
    assert await live.axe() == []
    await live.shot("status-es")


async def test_a_forged_form_is_refused(no_foreign_requests: Live) -> None:
    live = no_foreign_requests
    page = live.page
    await page.goto(f"{live.url}/signin")
    await page.locator("form.card input[name=csrf_token]").evaluate(
        "input => { input.value = 'forged' }"
    )
    await page.get_by_label("Subject").fill("mallory")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "This form has expired or did not come from this site. Go back, reload the page "
        "and send it again."
    )
    assert await live.axe() == []
    await live.shot("csrf-refused")
    await page.goto(f"{live.url}/me")
    await expect(page).to_have_url(f"{live.url}/signin")


async def test_a_request_to_another_host_is_caught(live: Live) -> None:
    """The guard the other tests rely on: a request elsewhere is refused and recorded."""
    await live.page.goto(f"{live.url}/verify")
    with pytest.raises(PlaywrightError, match="ERR_BLOCKED_BY_CLIENT"):
        await live.page.goto("http://cdn.example.invalid/htmx.min.js")
    assert live.foreign == ["http://cdn.example.invalid/htmx.min.js"]


async def test_reading_works_without_javascript(live: Live, browser: Browser, mint: Minter) -> None:
    number = await certified(live.system, mint)
    context = await browser.new_context(java_script_enabled=False)
    try:
        page = await context.new_page()
        page.set_default_timeout(5000)
        await page.goto(f"{live.url}/verify")
        await page.get_by_label("Certificate number").fill(number)
        await page.get_by_role("button", name="Check").first.click()
        # A plain form GET: the whole page comes back with the result in it.
        await expect(page).to_have_url(re.compile(r"/verify\?number="))
        await expect(page.locator("#results [data-status]")).to_have_text("Active")
        await page.goto(f"{live.url}/signin")
        await page.get_by_label("Subject").fill("alice")
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.locator('[data-key="date.certification_valid"]')).to_contain_text(
            "785 days left"
        )
    finally:
        await context.close()
