"""A session that ends while a page is open, in a real browser: the form sent after its token
expired changes nothing and the user is asked, in words, to sign in again; signed in again,
the same form works. No sleeping: the session cookie is given a token whose expiry has passed
(the token lives as long as the session, CERTBOARD_SESSION_MAX_AGE_SECONDS)."""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from datetime import UTC, datetime, timedelta
from pathlib import Path

from itsdangerous import TimestampSigner
from playwright.async_api import expect

from certboard_core.testing.plugin import Minter
from tests.e2e.helpers import data_of
from web.config import ensure_session_secret
from web.main import SESSION_COOKIE

from ..test_supervisor import proposed
from .conftest import Live
from .test_staff_browser import checked, sign_in

SIGNED = "query($id: ID!) { supervisionAgreement(id: $id) { signedBySupervisorAt } }"


async def expire_session(live: Live, data_dir: Path, mint: Minter) -> None:
    """Swap the session's token for the same person's, issued a session's length ago plus a
    minute, so the gateway finds it expired; the cookie (and its CSRF token) stay as they are."""
    context = live.page.context
    (cookie,) = [c for c in await context.cookies() if c["name"] == SESSION_COOKIE]
    # Starlette's session cookie: base64 JSON signed by itsdangerous with the console's secret.
    signer = TimestampSigner(ensure_session_secret(data_dir))
    session = json.loads(b64decode(signer.unsign(cookie["value"])))
    lifetime = timedelta(hours=8)
    session["token"] = mint(
        session["role"],
        session["sub"],
        ttl=lifetime,
        now=datetime.now(UTC) - lifetime - timedelta(minutes=1),
    )
    value = signer.sign(b64encode(json.dumps(session).encode())).decode()
    await context.add_cookies([{**cookie, "value": value}])


async def test_an_expired_session_sends_the_user_to_sign_in_again(
    no_foreign_requests: Live, dev_data_dir: Path, mint: Minter
) -> None:
    live = no_foreign_requests
    agreement = await proposed(live.system, mint, "dr-sam", "alice")
    await sign_in(live, "supervisor", "dr-sam")
    page = live.page
    await expect(page).to_have_url(f"{live.url}/supervisor")
    await expire_session(live, dev_data_dir, mint)
    # The page was read while the session was alive; its form is sent after the end.
    await page.get_by_role("button", name="Sign the agreement with alice").click()
    await expect(page).to_have_url(f"{live.url}/signin?expired=true")
    await expect(page.get_by_role("alert")).to_have_text(
        "Your session has ended. Please sign in again."
    )
    await checked(live, "session-ended")
    unsigned = await data_of(
        live.system, SIGNED, {"id": agreement}, token=mint("supervisor", "dr-sam")
    )
    assert unsigned["supervisionAgreement"]["signedBySupervisorAt"] is None
    # Nothing of the old session is left: the console's pages ask for a sign-in.
    await page.goto(f"{live.url}/supervisor")
    await expect(page).to_have_url(f"{live.url}/signin")
    await sign_in(live, "supervisor", "dr-sam")
    await page.get_by_role("button", name="Sign the agreement with alice").click()
    await expect(page.get_by_role("status")).to_have_text("Done: you signed the agreement.")
