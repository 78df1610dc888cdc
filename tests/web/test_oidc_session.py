"""A session signed in through the OpenID stand-in, after sign-in: renewed with the refresh
token before the gateway is asked, ended with words when the provider will not renew it, and
ended at the provider too on sign-out (RP-Initiated Logout), a CSRF-checked POST."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.testing.oidc import StandInProvider
from web.config import Settings
from web.main import create_app

from .conftest import signing_in_through
from .test_oidc_flow import session_of, sign_in
from .test_pages import text_of

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


class RecordingGateway:
    """A gateway that answers every operation with no applications, keeping each token."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.tokens.append(request.headers["authorization"].removeprefix("Bearer "))
        assert b"MyStatus" in request.content
        return httpx.Response(200, json={"data": {"me": {"applications": []}}})


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
async def web(
    stand_in: StandInProvider, gateway: RecordingGateway, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser's session with a console signing in through the stand-in."""
    settings = Settings(
        environment="test", data_dir=tmp_path, log_json=False, **signing_in_through(stand_in)
    )
    app = create_app(settings, gateway_transport=httpx.MockTransport(gateway))
    async with (
        LifespanManager(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as client,
    ):
        yield client


async def test_a_token_about_to_end_is_renewed_before_the_gateway_is_asked(
    web: httpx.AsyncClient, stand_in: StandInProvider, gateway: RecordingGateway
) -> None:
    # Issued with less time left than the console's margin: the next request renews it.
    stand_in.token_ttl = timedelta(seconds=30)
    stand_in.approve("alice", ["applicant"])
    assert (await sign_in(web)).headers["location"] == "/me"
    first = session_of(web)
    stand_in.token_ttl = timedelta(minutes=15)
    page = await web.get("/me")
    assert page.status_code == 200, page.text
    assert "Sign out (alice)" in text_of(page.text)
    renewed = session_of(web)
    assert gateway.tokens == [renewed["token"]]
    assert renewed["token"] != first["token"]
    assert renewed["exp"] >= first["exp"] + 15 * 60 - 30
    # The refresh token was spent and another given; the ID token stays for signing out.
    assert renewed["refresh"] != first["refresh"]
    assert stand_in.sessions.redeem(first["refresh"]) is None
    assert renewed["id_token"] == first["id_token"]
    # Renewed once: well inside its time now, the next page asks the provider nothing.
    await web.get("/me")
    assert session_of(web)["refresh"] == renewed["refresh"]
    assert gateway.tokens == [renewed["token"]] * 2


async def test_a_session_the_provider_will_not_renew_is_sent_to_sign_in_with_words(
    web: httpx.AsyncClient,
    stand_in: StandInProvider,
    gateway: RecordingGateway,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Issued already past its end, but within the verifiers' leeway: accepted at sign-in, and
    # over by the next request, when the provider (signed out elsewhere) refuses to renew it.
    stand_in.token_ttl = timedelta(seconds=-5)
    stand_in.approve("sam", ["staff"])
    assert (await sign_in(web)).headers["location"] == "/staff"
    refresh = session_of(web)["refresh"]
    stand_in.sessions.end()
    caplog.set_level(logging.WARNING)
    gone = await web.get("/me")
    assert (gone.status_code, gone.headers["location"]) == (303, "/signin?expired=true")
    assert "token" not in session_of(web)
    assert gateway.tokens == []
    assert "session not renewed" in caplog.text
    assert "invalid_grant" in caplog.text
    assert refresh not in caplog.text
    words = await web.get("/signin?expired=true")
    assert "Your session has ended. Please sign in again." in text_of(words.text)
    assert '<a href="/signin">Sign in again</a>' in words.text
    # Signed out, a signed-in page goes to sign in plainly.
    again = await web.get("/staff")
    assert (again.status_code, again.headers["location"]) == (303, "/signin")


async def test_signing_out_ends_the_providers_session_too(
    web: httpx.AsyncClient, stand_in: StandInProvider
) -> None:
    stand_in.approve("erin", ["employer"])
    assert (await sign_in(web)).headers["location"] == "/employer"
    home = await web.get("/")
    before = session_of(web)
    assert "Sign out (erin)" in text_of(home.text)
    # The sign-out form's redirect goes on to the provider: the policy lets it.
    assert f"form-action 'self' {stand_in.issuer};" in home.headers["content-security-policy"]
    await web.post("/language", data={"lang": "es", "csrf_token": before["csrf"]})

    forged = await web.post("/signout", data={"csrf_token": "not-this-sessions"})
    assert forged.status_code == 403
    assert "Este formulario caducó o no vino de este sitio." in text_of(forged.text)
    assert session_of(web)["token"] == before["token"]
    assert stand_in.sessions.logout_requests == []

    out = await web.post("/signout", data={"csrf_token": before["csrf"]})
    assert out.status_code == 303
    there = httpx.URL(out.headers["location"])
    assert f"{there.scheme}://{there.host}:{there.port}{there.path}" == f"{stand_in.issuer}/logout"
    assert dict(there.params) == {
        "id_token_hint": before["id_token"],
        "post_logout_redirect_uri": "http://web/",
        "client_id": stand_in.client_id,
    }
    # Forgotten here before the browser is even at the provider.
    assert session_of(web) == {"lang": "es"}
    async with httpx.AsyncClient() as browser:
        back = await browser.get(there)
    assert (back.status_code, back.headers["location"]) == (302, "http://web/")
    assert stand_in.sessions.redeem(before["refresh"]) is None
    after = await web.get("/me")
    assert (after.status_code, after.headers["location"]) == (303, "/signin")
    assert json.dumps(stand_in.sessions.logout_requests).count(before["id_token"]) == 1
