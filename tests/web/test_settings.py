"""The console's settings: production refuses unsafe ones; development makes its own secret."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from certboard_core.cli import process_env
from web import i18n, messages
from web.config import Settings

PRODUCTION = {
    "environment": "production",
    "jwt_issuer": "https://id.board.example",
    "jwt_jwks_url": "https://id.board.example/jwks",
    "oidc_issuer": "https://id.board.example",
    "oidc_client_id": "certboard-web",
    "oidc_client_secret": "abcdefghijklmnopqrstuvwxyz0123456789",
}


def test_production_refuses_a_missing_or_weak_session_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="production needs CERTBOARD_SESSION_SECRET"):
        Settings(**PRODUCTION, data_dir=tmp_path)
    for weak in ("short", "a" * 64):
        with pytest.raises(ValidationError, match="at least 32 random characters"):
            Settings(**PRODUCTION, data_dir=tmp_path, session_secret=weak)
    with pytest.raises(ValidationError, match="CERTBOARD_DEV_SIGN_IN cannot be set in production"):
        Settings(
            **PRODUCTION,
            session_secret="x" * 8 + "0123456789abcdefghijklmnopqrstuv",
            dev_sign_in=True,
        )
    good = Settings(**PRODUCTION, session_secret="0123456789abcdefghijklmnopqrstuvwxyz")
    assert good.dev_sign_in is False
    assert good.session_key() == "0123456789abcdefghijklmnopqrstuvwxyz"
    assert "0123456789" not in repr(good)


def test_development_makes_its_session_secret_once_owner_only(tmp_path: Path) -> None:
    settings = Settings(environment="development", data_dir=tmp_path)
    assert settings.dev_sign_in is True
    first = settings.session_key()
    assert len(first) >= 48
    path = tmp_path / "web" / "session-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(environment="development", data_dir=tmp_path).session_key() == first
    assert list(path.parent.iterdir()) == [path]


def test_the_launcher_points_the_console_at_the_gateway(tmp_path: Path) -> None:
    env = process_env(tmp_path, "127.0.0.1", 18200)
    assert env["web"]["CERTBOARD_GATEWAY_URL"] == "http://127.0.0.1:18200"
    assert "CERTBOARD_OUTBOX_SUBSCRIBERS" not in env["web"]


def test_both_languages_have_every_message_and_every_enum_word() -> None:
    assert set(messages.EN) == set(messages.ES)
    assert set(messages.ENUMS["en"]) == set(messages.ENUMS["es"])
    assert all(
        messages.ES[k] and messages.ES[k] != messages.EN[k] for k in messages.EN if k != "site"
    )


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("es", "es"),
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", "es"),
        ("en;q=0.4,es;q=0.6", "es"),
        ("de, *;q=0.5", "en"),
        ("es;q=0", "en"),
        ("es;q=nonsense", "en"),
    ],
)
def test_the_language_follows_the_browser(header: str | None, language: str) -> None:
    assert i18n.negotiate(header) == language
