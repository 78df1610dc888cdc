"""Sign-in through an OpenID stand_in, refused: a callback that is not this session's, spent or
forged; a code another flow's PKCE verifier cannot redeem; the stand_in's own refusal; ID
tokens and access tokens that must not be taken. Each gets a page in words, no session."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from certboard_core.testing.oidc import StandInProvider
from web.config import Settings
from web.main import SESSION_COOKIE, create_app

from .test_oidc_flow import authorize, come_back, session_of, sign_in, to_provider
from .test_pages import text_of

pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


def refused_with(answer: httpx.Response, status: int, words: str) -> None:
    assert answer.status_code == status, answer.text
    text = text_of(answer.text)
    assert "Sign-in did not complete" in text
    assert words in text
    assert 'href="/signin"' in answer.text


async def test_a_callback_with_another_state_is_refused(oidc_console: httpx.AsyncClient) -> None:
    back = await authorize(await to_provider(oidc_console))
    forged = back.copy_set_param("state", "not-the-one-we-sent")
    refused_with(await come_back(oidc_console, forged), 400, "already been used or has expired")
    assert "token" not in session_of(oidc_console)
    # The flow under way is untouched by the forgery, and still completes once.
    assert (await come_back(oidc_console, back)).status_code == 303


async def test_a_callback_is_good_once(oidc_console: httpx.AsyncClient) -> None:
    back = await authorize(await to_provider(oidc_console))
    before = oidc_console.cookies[SESSION_COOKIE]
    assert (await come_back(oidc_console, back)).headers["location"] == "/me"
    # The same browser: the state went with the first use.
    again = await come_back(oidc_console, back)
    refused_with(again, 400, "already been used or has expired")
    # The cookie from before the callback, replayed: it still holds the state, but the
    # provider has spent the code.
    replayed = await oidc_console.get(
        back.raw_path.decode(), headers={"Cookie": f"{SESSION_COOKIE}={before}"}
    )
    refused_with(replayed, 400, "cannot accept")
    assert "token" not in session_of(oidc_console)


async def test_a_code_from_another_flow_fails_its_pkce_check(
    oidc_app: FastAPI, oidc_console: httpx.AsyncClient, stand_in: StandInProvider
) -> None:
    # An attacker's own code, slipped into the victim's callback with the victim's state:
    # the victim's code_verifier does not match the challenge the attacker's code was made for.
    victims = await authorize(await to_provider(oidc_console))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=oidc_app), base_url="http://web"
    ) as attacker:
        stand_in.approve("mallory", ["staff"])
        attackers = await authorize(await to_provider(attacker))
    injected = victims.copy_set_param("code", attackers.params["code"])
    refused_with(await come_back(oidc_console, injected), 400, "cannot accept")
    assert "token" not in session_of(oidc_console)


async def test_the_provider_checks_the_verifier_and_the_client_secret(
    stand_in: StandInProvider,
) -> None:
    good = "a-verifier-of-forty-three-or-more-characters-0123"
    # RFC 7636 4.2: BASE64URL(SHA256(verifier)), unpadded.
    digest = hashlib.sha256(good.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    async def redeem(verifier: str, secret: str) -> httpx.Response:
        query = {
            "response_type": "code",
            "client_id": stand_in.client_id,
            "redirect_uri": "http://web/auth/callback",
            "scope": "openid",
            "state": "s",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        back = await authorize(httpx.URL(f"{stand_in.issuer}/authorize", params=query))
        async with httpx.AsyncClient() as client:
            return await client.post(
                f"{stand_in.issuer}/token",
                data={
                    "grant_type": "authorization_code",
                    "code": back.params["code"],
                    "redirect_uri": "http://web/auth/callback",
                    "code_verifier": verifier,
                },
                auth=(stand_in.client_id, secret),
            )

    wrong = await redeem(good[:-1] + "x", stand_in.client_secret)
    assert (wrong.status_code, wrong.json()) == (400, {"error": "invalid_grant"})
    stranger = await redeem(good, "not-the-secret")
    assert (stranger.status_code, stranger.json()) == (401, {"error": "invalid_client"})
    right = await redeem(good, stand_in.client_secret)
    assert right.status_code == 200, right.text
    assert set(right.json()) >= {"access_token", "id_token", "expires_in"}


async def test_the_providers_refusal_is_a_page_and_ends_the_flow(
    oidc_console: httpx.AsyncClient, stand_in: StandInProvider
) -> None:
    stand_in.refusal = "access_denied"
    back = await authorize(await to_provider(oidc_console))
    assert back.params["error"] == "access_denied"
    refused_with(await come_back(oidc_console, back), 403, "did not sign you in")
    assert not [key for key in session_of(oidc_console) if key.startswith("_state_")]


@pytest.mark.parametrize(
    ("overrides", "other_key"),
    [
        ({"nonce": "not-the-one-we-sent"}, False),
        # Named for another client, even with this one as the authorized party.
        ({"aud": "another-client", "azp": "certboard-web"}, False),
        ({"iss": "https://elsewhere.example"}, False),
        ({}, True),
    ],
    ids=["nonce", "audience", "issuer", "signature"],
)
async def test_an_id_token_that_is_not_for_this_sign_in_is_refused(
    oidc_console: httpx.AsyncClient,
    stand_in: StandInProvider,
    overrides: dict[str, str],
    other_key: bool,
) -> None:
    stand_in.id_token_overrides = overrides
    stand_in.id_token_key = Ed25519PrivateKey.generate() if other_key else None
    refused_with(await sign_in(oidc_console), 400, "cannot accept")
    assert "token" not in session_of(oidc_console)


async def test_an_access_token_the_gateway_would_refuse_is_refused_at_sign_in(
    oidc_console: httpx.AsyncClient, stand_in: StandInProvider
) -> None:
    stand_in.approve("nobody", [])
    refused_with(await sign_in(oidc_console), 400, "cannot accept")
    stand_in.approve("robot", ["service"])
    refused_with(await sign_in(oidc_console), 403, "no role on this site")
    stand_in.approve("alice", ["applicant"])
    stand_in.audiences = ("certboard-applications",)
    refused_with(await sign_in(oidc_console), 400, "cannot accept")
    assert "token" not in session_of(oidc_console)


async def test_a_provider_that_cannot_be_reached_is_a_page(tmp_path: Path) -> None:
    with StandInProvider() as gone:
        issuer = gone.issuer
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        log_json=False,
        jwt_issuer=issuer,
        jwt_jwks_url=f"{issuer}/jwks",
        oidc_issuer=issuer,
        oidc_client_id="certboard-web",
        oidc_client_secret="x" * 40,
    )
    app = create_app(settings)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://web"
    ) as client:
        refused_with(await client.get("/signin"), 503, "cannot be reached")
