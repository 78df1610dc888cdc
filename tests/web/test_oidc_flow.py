"""Sign-in through an OpenID provider (the stand-in, served over real HTTP): an applicant lands
on their own page, and no token is ever in a URL, a page or a log line. Refusals are in
``test_oidc_refusals.py``; renewing and ending the session in ``test_oidc_session.py``."""

from __future__ import annotations

import base64
import json
import logging
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from asgi_lifespan import LifespanManager

from certboard_core.testing.oidc import StandInProvider
from certboard_core.testing.plugin import DatabaseFactory
from tests.e2e.conftest import running_system
from web.main import SESSION_COOKIE

from .conftest import console_app, signing_in_through, trusting
from .test_pages import certified, text_of

PROCESSES = ("applications", "exams", "supervision", "gateway")
# The stand-in signs with the development key (EdDSA), which joserfc calls deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


async def to_provider(web: httpx.AsyncClient) -> httpx.URL:
    answer = await web.get("/signin")
    assert answer.status_code == 302, answer.text
    return httpx.URL(answer.headers["location"])


async def authorize(url: httpx.URL) -> httpx.URL:
    """The person's browser at the provider (which approves at once): the way back."""
    async with httpx.AsyncClient() as browser:
        answer = await browser.get(url)
    assert answer.status_code == 302, answer.text
    return httpx.URL(answer.headers["location"])


async def come_back(web: httpx.AsyncClient, url: httpx.URL) -> httpx.Response:
    assert url.host == "web"
    return await web.get(url.raw_path.decode())


async def sign_in(web: httpx.AsyncClient) -> httpx.Response:
    return await come_back(web, await authorize(await to_provider(web)))


def session_of(web: httpx.AsyncClient) -> dict[str, Any]:
    """The session cookie's contents (signed, not encrypted: the browser can read it too)."""
    cookie = web.cookies.get(SESSION_COOKIE)
    if not cookie:
        return {}
    payload = cookie.split(".")[0]
    decoded: dict[str, Any] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


async def test_an_applicant_signs_in_through_the_provider_and_reads_their_page(
    stand_in: StandInProvider,
    database_factory: DatabaseFactory,
    dev_data_dir: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    overrides = {name: trusting(stand_in) for name in PROCESSES}
    async with running_system(
        database_factory, dev_data_dir, tmp_path / "documents", overrides
    ) as system:
        number = await certified(system, stand_in.mint)
        app = console_app(system, dev_data_dir, **signing_in_through(stand_in))
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web") as web,
        ):
            # Started inside the test, the processes' logging set-up took caplog's handler away.
            logging.getLogger().addHandler(caplog.handler)
            caplog.set_level(logging.DEBUG)
            stand_in.approve("alice", ["applicant"])
            outward = await to_provider(web)
            assert str(outward).startswith(f"{stand_in.issuer}/authorize?")
            asked = dict(outward.params)
            assert {k: asked[k] for k in ("response_type", "client_id", "scope")} == {
                "response_type": "code",
                "client_id": stand_in.client_id,
                "scope": "openid profile",
            }
            assert asked["redirect_uri"] == "http://web/auth/callback"
            assert asked["code_challenge_method"] == "S256"
            assert len(asked["code_challenge"]) == 43
            assert len(asked["state"]) >= 20
            assert len(asked["nonce"]) >= 20
            back = await authorize(outward)
            signed = await come_back(web, back)
            assert (signed.status_code, signed.headers["location"]) == (303, "/me")
            cookie = signed.headers["set-cookie"].lower()
            assert "httponly" in cookie
            assert "samesite=lax" in cookie
            page = await web.get("/me")
            words = text_of(page.text)
            assert "Application submitted on 10 March 2026: Certified" in words
            assert f"Number {number} Status Active" in words
            assert "Sign out (alice)" in words

    session = session_of(web)
    token = session["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iss"], claims["sub"], claims["roles"]) == (
        stand_in.issuer,
        "alice",
        ["applicant"],
    )
    assert (session["sub"], session["role"], session["exp"]) == (
        "alice",
        "applicant",
        claims["exp"],
    )
    # Nothing of the flow's is left to be used again.
    assert not [key for key in session if key.startswith("_state_")]
    for url in (outward, back, signed.headers["location"]):
        assert token not in str(url)
    assert token not in page.text
    assert "eyJ" not in page.text
    assert token not in caplog.text
    assert "eyJ" not in caplog.text
    assert "signed in" in caplog.text


async def test_the_sign_in_link_goes_to_the_provider_and_the_dev_form_is_gone(
    oidc_console: httpx.AsyncClient, stand_in: StandInProvider
) -> None:
    home = await oidc_console.get("/")
    assert 'href="/signin"' in home.text
    # The development form's POST does not exist beside the provider's flow.
    dev_form = await oidc_console.post("/signin", data={"role": "staff", "subject": "x"})
    assert dev_form.status_code == 405
    outward = await to_provider(oidc_console)
    assert outward.host == "127.0.0.1"
    assert stand_in.authorize_requests == []
