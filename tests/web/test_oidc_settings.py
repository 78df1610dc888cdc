"""The console's OpenID settings: production needs the provider and refuses a weak client
secret; in development an issuer replaces the development sign-in page."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from certboard_core.testing.oidc import StandInProvider
from web.config import Settings
from web.main import create_app

from .conftest import signing_in_through

ISSUER = "https://id.board.example"
SECRET = "abcdefghijklmnopqrstuvwxyz0123456789"
PRODUCTION = {
    "environment": "production",
    "jwt_issuer": ISSUER,
    "jwt_jwks_url": f"{ISSUER}/jwks",
    "session_secret": "0123456789abcdefghijklmnopqrstuvwxyz",
}
PROVIDER = {"oidc_issuer": ISSUER, "oidc_client_id": "certboard-web", "oidc_client_secret": SECRET}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("oidc_issuer", "production needs CERTBOARD_OIDC_ISSUER"),
        ("oidc_client_id", "production needs CERTBOARD_OIDC_CLIENT_ID"),
        ("oidc_client_secret", "production needs CERTBOARD_OIDC_CLIENT_SECRET"),
    ],
)
def test_production_needs_the_provider(tmp_path: Path, missing: str, message: str) -> None:
    given = {k: v for k, v in PROVIDER.items() if k != missing}
    with pytest.raises(ValidationError, match=message):
        Settings(**PRODUCTION, **given, data_dir=tmp_path)


def test_production_refuses_a_short_client_secret_and_never_shows_it(tmp_path: Path) -> None:
    with pytest.raises(
        ValidationError, match="CERTBOARD_OIDC_CLIENT_SECRET must be at least 32 characters"
    ):
        Settings(**PRODUCTION, **{**PROVIDER, "oidc_client_secret": "short"}, data_dir=tmp_path)
    settings = Settings(**PRODUCTION, **PROVIDER, data_dir=tmp_path)
    assert (settings.dev_sign_in, settings.sign_in_enabled) == (False, True)
    assert settings.oidc_scopes == "openid profile"
    assert SECRET not in repr(settings)


def test_the_provider_must_be_the_issuer_the_gateway_trusts(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="CERTBOARD_OIDC_ISSUER must be the issuer"):
        Settings(
            **PRODUCTION,
            **{**PROVIDER, "oidc_issuer": "https://other.example"},
            data_dir=tmp_path,
        )


def client_of(settings: Settings) -> httpx.AsyncClient:
    app = create_app(settings)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://web")


async def test_development_signs_in_through_a_provider_when_given_one(tmp_path: Path) -> None:
    plain = Settings(environment="development", data_dir=tmp_path)
    assert (plain.dev_sign_in, plain.sign_in_enabled) == (True, True)
    with pytest.raises(ValidationError, match="OIDC sign-in needs CERTBOARD_OIDC_CLIENT_ID"):
        Settings(environment="development", data_dir=tmp_path, oidc_issuer=ISSUER)
    with pytest.raises(ValidationError, match="both sign in at /signin: set one"):
        Settings(
            environment="development",
            data_dir=tmp_path,
            jwt_issuer=ISSUER,
            dev_sign_in=True,
            **PROVIDER,
        )
    # Outside production a short secret is the developer's business (a local provider's).
    given = Settings(
        environment="development",
        data_dir=tmp_path,
        jwt_issuer=ISSUER,
        **{**PROVIDER, "oidc_client_secret": "dev"},
    )
    assert (given.dev_sign_in, given.sign_in_enabled) == (False, True)
    async with client_of(given) as web:
        assert (await web.post("/signin")).status_code == 405
        stray = await web.get("/auth/callback?code=x&state=y")
        assert stray.status_code == 400
        assert "already been used or has expired" in stray.text


async def test_sign_in_can_be_turned_off_in_development(tmp_path: Path) -> None:
    off = Settings(environment="development", data_dir=tmp_path, dev_sign_in=False)
    assert off.sign_in_enabled is False
    async with client_of(off) as web:
        assert (await web.get("/signin")).status_code == 404
        assert (await web.get("/auth/callback")).status_code == 404
        refused = await web.get("/me")
        assert refused.status_code == 401
        assert "Sign-in is turned off on this site." in refused.text


async def test_a_configured_callback_address_is_the_one_sent(
    stand_in: StandInProvider, tmp_path: Path
) -> None:
    # Behind a proxy the console cannot tell its public address from the request.
    public = "https://board.example/auth/callback"
    settings = Settings(
        environment="test",
        data_dir=tmp_path,
        log_json=False,
        oidc_redirect_url=public,
        **signing_in_through(stand_in),
    )
    async with client_of(settings) as web:
        outward = await web.get("/signin")
    assert httpx.URL(outward.headers["location"]).params["redirect_uri"] == public
