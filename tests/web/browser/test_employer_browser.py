"""The employer's page in a real browser: sign up, keep the secret, follow a certification by
keyboard-usable forms; guarded and axe-checked like every browser test."""

from __future__ import annotations

from playwright.async_api import expect

from certboard_core.testing.plugin import Minter

from ..test_pages import certified
from .conftest import Live
from .test_staff_browser import checked, sign_in


async def test_an_employer_signs_up_and_follows_a_certification(
    no_foreign_requests: Live, mint: Minter
) -> None:
    live = no_foreign_requests
    number = await certified(live.system, mint)
    await sign_in(live, "employer", "acme")
    page = live.page
    await expect(page).to_have_url(f"{live.url}/employer")
    await checked(live, "employer-new")
    await page.get_by_label("Organisation").fill("Bozeman Recovery Center")
    await page.get_by_label("Alert email").fill("hr@brc.example.org")
    await page.get_by_role("button", name="Create the profile").click()
    await expect(page.locator("[data-secret]")).to_contain_text("whsec_")
    await page.get_by_label("Certificate number").fill(number)
    await page.get_by_label("The holder's last name").fill("Smith")
    await page.get_by_role("button", name="Follow a certification").click()
    await expect(page.locator("#refusal")).to_contain_text(
        "No certification matches this number and last name."
    )
    await page.get_by_label("The holder's last name").fill("Lopez")
    await page.get_by_role("button", name="Follow a certification").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Done: you now follow this certification."
    )
    await expect(page.locator(f'tr[data-number="{number}"] [data-status]')).to_have_text("Active")
    await checked(live, "employer")
    await page.get_by_role("button", name=f"Stop following Maria Lopez ({number})").click()
    await expect(page.get_by_text("You follow no certification yet.")).to_be_visible()
