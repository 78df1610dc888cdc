"""Sign-in through the board's identity provider in a real browser: the stand-in provider on
its own port, the whole system trusting it. A refusal is a page in words; signing in again
lands on the applicant's own page; no access token is ever in the address bar; signing out
ends it here and at the provider."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from certboard_core.testing.oidc import StandInProvider
from certboard_core.testing.plugin import DatabaseFactory
from tests.e2e.conftest import running_system

from ..conftest import console_app, signing_in_through, trusting
from ..test_oidc_flow import PROCESSES
from ..test_pages import certified
from .conftest import guarded_page, serving

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


async def test_an_applicant_signs_in_through_the_provider(
    browser: Browser,
    stand_in: StandInProvider,
    database_factory: DatabaseFactory,
    dev_data_dir: Path,
    tmp_path: Path,
) -> None:
    overrides = {name: trusting(stand_in) for name in PROCESSES}
    async with running_system(
        database_factory, dev_data_dir, tmp_path / "documents", overrides
    ) as system:
        await certified(system, stand_in.mint)
        app = console_app(system, dev_data_dir, **signing_in_through(stand_in))
        async with (
            serving(app) as url,
            guarded_page(browser, url, system, also=(stand_in.issuer,)) as live,
        ):
            stand_in.redirect_uris = {f"{url}/auth/callback"}
            page = live.page
            visited: list[str] = []
            page.on("request", lambda request: visited.append(request.url))

            stand_in.refusal = "access_denied"
            await page.goto(f"{url}/")
            await page.get_by_role("link", name="Sign in").first.click()
            await expect(page.get_by_role("alert")).to_have_text(
                "The board's identity provider did not sign you in."
            )
            assert await live.axe() == []
            await live.shot("signin-refused")

            stand_in.approve("alice", ["applicant"])
            await page.get_by_role("link", name="Sign in again").click()
            await expect(page).to_have_url(f"{url}/me")
            certification = page.locator('[data-key="date.certification_valid"]')
            await expect(certification).to_contain_text("3 May 2028")
            await expect(page.get_by_role("button", name="Sign out (alice)")).to_be_visible()
            assert await live.axe() == []

            (session,) = [c for c in await page.context.cookies() if c["name"].endswith("session")]
            assert (session["httpOnly"], session["sameSite"]) == (True, "Lax")
            assert stand_in.authorize_requests[-1]["code_challenge_method"] == "S256"
            assert any(u.startswith(f"{stand_in.issuer}/authorize?") for u in visited)
            # To the provider and back: a code and the state in an address, never a token.
            assert not [u for u in visited if "eyJ" in u]

            await page.get_by_role("button", name="Sign out (alice)").click()
            await expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
            # Signed out at the provider too and back (the policy's form-action lets the
            # sign-out form's redirect go there).
            (logout,) = stand_in.sessions.logout_requests
            assert logout["post_logout_redirect_uri"] == f"{url}/"
            await page.goto(f"{url}/me")
            # Signed out, /me sends the browser to sign in: the provider signs alice in again.
            await expect(page).to_have_url(f"{url}/me")
            assert len(stand_in.authorize_requests) == 3
    assert live.foreign == [], f"requests to another host: {live.foreign}"
    assert live.errors == [], f"errors in the page: {live.errors}"
