"""Production refuses to start, naming the setting, when anything it needs is missing or unsafe.

One test per refusal, each from a configuration that production accepts with that one thing
changed; the message is the one a process started with it prints before it exits.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import ValidationError
from pydantic_settings import BaseSettings

import applications.config
import exams.config
import gateway.config
import supervision.config
import web.config
from applications.credential.keys import add_key
from certboard_core.settings import load_settings
from tests.processes.launcher import clean_environment

SESSION_SECRET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _accepted(kind: str, folder: Path) -> dict[str, Any]:
    """What production accepts for a process of ``kind`` (a service, the gateway, the web)."""
    values: dict[str, Any] = {
        "environment": "production",
        "data_dir": folder,
        "jwt_issuer": "https://idp.board.example",
        "jwt_jwks_url": "https://idp.board.example/jwks",
    }
    if kind in ("applications", "exams", "supervision"):
        (folder / "token").write_text("a token the platform keeps fresh")
        values |= {
            "database_url": f"postgresql+asyncpg://db.board.example/{kind}",
            "service_token_file": folder / "token",
        }
    if kind in ("applications", "exams"):
        (folder / f"{kind}-documents").mkdir(exist_ok=True)
        values["document_dir"] = folder / f"{kind}-documents"
    if kind == "applications":
        add_key(folder / "credential-keys")
        values["credential_key_dir"] = folder / "credential-keys"
    if kind == "web":
        # The OpenID Connect client production signs in with (ignored where web has none).
        values |= {
            "session_secret": SESSION_SECRET,
            "oidc_issuer": "https://idp.board.example",
            "oidc_client_id": "certboard-web",
            "oidc_client_secret": "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
        }
    return values


SETTINGS: dict[str, type[BaseSettings]] = {
    "applications": applications.config.Settings,
    "exams": exams.config.Settings,
    "supervision": supervision.config.Settings,
    "gateway": gateway.config.Settings,
    "web": web.config.Settings,
}


def _refused(kind: str, folder: Path, setting: str, **change: Any) -> str:
    values = _accepted(kind, folder) | change
    with pytest.raises(ValidationError) as refused:
        SETTINGS[kind](**values)
    message = str(refused.value)
    assert re.search(rf"production refuses to start: {setting}\b", message), message
    return message


@pytest.mark.parametrize("kind", sorted(SETTINGS))
def test_production_starts_with_everything_it_needs_and_no_test_switches(
    kind: str, tmp_path: Path
) -> None:
    settings: Any = SETTINGS[kind](**_accepted(kind, tmp_path))
    assert settings.clock_controllable is False
    assert settings.rate_limits_enabled is True
    if kind == "gateway":
        assert (settings.graphiql_enabled, settings.introspection_enabled) == (False, False)


def test_refuses_the_test_clock(tmp_path: Path) -> None:
    _refused("exams", tmp_path, "CERTBOARD_TEST_CLOCK_ENABLED", test_clock_enabled=True)


def test_refuses_the_development_issuer(tmp_path: Path) -> None:
    _refused("gateway", tmp_path, "CERTBOARD_JWT_ISSUER", jwt_issuer="certboard-dev-issuer")


def test_refuses_a_local_public_key(tmp_path: Path) -> None:
    key = tmp_path / "public.pem"
    _refused("supervision", tmp_path, "CERTBOARD_JWT_PUBLIC_KEY_FILE", jwt_public_key_file=key)


def test_refuses_a_missing_jwks_url(tmp_path: Path) -> None:
    _refused("web", tmp_path, "CERTBOARD_JWT_JWKS_URL", jwt_jwks_url=None)


def test_refuses_a_sqlite_database(tmp_path: Path) -> None:
    sqlite = f"sqlite+aiosqlite:///{tmp_path}/exams.db"
    message = _refused("exams", tmp_path, "CERTBOARD_DATABASE_URL", database_url=sqlite)
    assert "must name a PostgreSQL database" in message


def test_refuses_a_missing_database_url(tmp_path: Path) -> None:
    _refused("supervision", tmp_path, "CERTBOARD_DATABASE_URL", database_url="")


def test_refuses_a_missing_service_token(tmp_path: Path) -> None:
    _refused("applications", tmp_path, "CERTBOARD_SERVICE_TOKEN_FILE", service_token_file=None)


def test_refuses_graphiql(tmp_path: Path) -> None:
    _refused("gateway", tmp_path, "CERTBOARD_GRAPHIQL_ENABLED", graphiql_enabled=True)


def test_refuses_introspection(tmp_path: Path) -> None:
    _refused("gateway", tmp_path, "CERTBOARD_INTROSPECTION_ENABLED", introspection_enabled=True)


@pytest.mark.parametrize("kind", ["applications", "exams"])
def test_refuses_a_missing_document_store(kind: str, tmp_path: Path) -> None:
    _refused(kind, tmp_path, "CERTBOARD_DOCUMENT_DIR", document_dir=None)


def test_refuses_a_document_store_that_is_not_mounted(tmp_path: Path) -> None:
    message = _refused(
        "applications", tmp_path, "CERTBOARD_DOCUMENT_DIR", document_dir=tmp_path / "absent"
    )
    assert "which is not a folder" in message


def test_refuses_a_missing_credential_key_folder(tmp_path: Path) -> None:
    _refused("applications", tmp_path, "CERTBOARD_CREDENTIAL_KEY_DIR", credential_key_dir=None)


def test_refuses_a_credential_folder_without_a_signing_key(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    message = _refused(
        "applications",
        tmp_path,
        "CERTBOARD_CREDENTIAL_KEY_DIR",
        credential_key_dir=tmp_path / "empty",
    )
    assert "holds no Ed25519 key to sign with" in message


def test_refuses_a_credential_key_that_is_not_ed25519(tmp_path: Path) -> None:
    folder = tmp_path / "p256"
    folder.mkdir()
    weak = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "key-0001.pem").write_bytes(weak)
    message = _refused(
        "applications", tmp_path, "CERTBOARD_CREDENTIAL_KEY_DIR", credential_key_dir=folder
    )
    assert "credential keys are Ed25519" in message


def test_a_refusal_never_echoes_the_secrets_it_was_given(tmp_path: Path) -> None:
    message = _refused("web", tmp_path, "CERTBOARD_JWT_ISSUER", jwt_issuer="certboard-dev-issuer")
    assert SESSION_SECRET not in message


def test_secrets_come_from_files_in_the_secrets_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "CERTBOARD_SESSION_SECRET").write_text(SESSION_SECRET + "\n")
    (secrets / "CERTBOARD_JWT_ISSUER").write_text("https://from-a-file.example")
    monkeypatch.setenv("CERTBOARD_SECRETS_DIR", str(secrets))
    monkeypatch.setenv("CERTBOARD_JWT_ISSUER", "https://idp.board.example")
    values = _accepted("web", tmp_path)
    del values["session_secret"], values["jwt_issuer"]
    settings = web.config.Settings(**values)
    assert settings.session_key() == SESSION_SECRET
    # A variable that is set wins over a file.
    assert settings.jwt_issuer == "https://idp.board.example"


def test_refuses_a_secrets_folder_that_is_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTBOARD_SECRETS_DIR", str(tmp_path / "unmounted"))
    with pytest.raises(ValidationError, match=r"CERTBOARD_SECRETS_DIR names .*, not a folder"):
        gateway.config.Settings(**_accepted("gateway", tmp_path))


def test_a_refusal_is_one_line_naming_each_setting(tmp_path: Path) -> None:
    values = _accepted("gateway", tmp_path) | {"graphiql_enabled": True}
    with pytest.raises(SystemExit) as refused:
        load_settings(gateway.config.Settings, **values)
    assert refused.value.code == (
        "gateway.config: production refuses to start: CERTBOARD_GRAPHIQL_ENABLED cannot be set: "
        "it is for development"
    )
    with pytest.raises(SystemExit) as malformed:
        load_settings(gateway.config.Settings, **values, max_aliases=0)
    assert malformed.value.code == (
        "gateway.config: CERTBOARD_MAX_ALIASES: Input should be greater than or equal to 1"
    )


def test_a_process_given_an_unsafe_setting_exits_with_that_line(tmp_path: Path) -> None:
    env = clean_environment() | {
        "CERTBOARD_ENVIRONMENT": "production",
        "CERTBOARD_DATA_DIR": str(tmp_path),
        "CERTBOARD_JWT_ISSUER": "https://idp.board.example",
        "CERTBOARD_JWT_JWKS_URL": "https://idp.board.example/jwks",
        "CERTBOARD_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/exams.db",
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "exams.main:create_app", "--port", "0"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "exams.config: production refuses to start: CERTBOARD_DATABASE_URL must name a "
        "PostgreSQL database: SQLite is for development only"
    )
    assert not (tmp_path / "exams.db").exists()
