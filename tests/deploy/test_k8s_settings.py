"""Each long-running pod of the rendered manifests would start: its process's settings load, in
production, from exactly the environment the pod gets (its ConfigMaps, its literal values,
stand-ins for its Secrets), with every file and folder that environment names there the way the
pod's volumes would make them.

This is what production refuses at start (a missing identity provider, session secret, shared
folder, key...), checked before a cluster ever sees the manifests. Migration Jobs read only
their database URL and the shared ConfigMap; the setting-name check covers them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from .code import command_settings
from .manifests import kind, workloads

# What a Secret's folder holds when the pod starts, for Secrets whose content is not a value
# of one setting: the board's credential keys (a PKCS#8 PEM per key, as `openssl genpkey`
# writes them).
KEY_PEM = Ed25519PrivateKey.generate().private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
SECRET_FILES = {"credential-signing-keys": {"key-0001.pem": KEY_PEM}}


def _stand_in(secret: str, key: str) -> str:
    """A well-formed value for one key of a Secret the manifests reference."""
    if key == "url":
        return f"postgresql+asyncpg://certboard:stand-in@db.internal:5432/{secret}"
    return secrets.token_urlsafe(48)


def _environment(
    container: dict[str, Any], configmaps: dict[str, dict[str, Any]]
) -> dict[str, str]:
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]]["data"])
    for item in container.get("env", []):
        source = item.get("valueFrom", {})
        if "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            env[item["name"]] = _stand_in(ref["name"], ref["key"])
        elif "configMapKeyRef" in source:
            ref = source["configMapKeyRef"]
            env[item["name"]] = configmaps[ref["name"]]["data"][ref["key"]]
        else:
            env[item["name"]] = item["value"]
    return env


def _mount(pod: dict[str, Any], container: dict[str, Any], root: Path) -> dict[str, Path]:
    """Make each mounted volume under ``root``; answer mount path -> folder."""
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounted = {}
    for mount in container.get("volumeMounts", []):
        folder = root / mount["mountPath"].lstrip("/")
        folder.mkdir(parents=True)
        secret = volumes[mount["name"]].get("secret", {}).get("secretName")
        for name, content in SECRET_FILES.get(secret, {}).items():
            (folder / name).write_bytes(content)
        mounted[mount["mountPath"]] = folder
    return mounted


def _relocated(env: dict[str, str], mounted: dict[str, Path]) -> dict[str, str]:
    """The environment with every path under a mount moved to where the mount was made; a
    file named there (a Secret's key) is made too."""
    moved = dict(env)
    for name, value in env.items():
        for path, folder in mounted.items():
            if value == path or value.startswith(f"{path}/"):
                target = folder / value.removeprefix(path).lstrip("/")
                if not target.exists():
                    target.write_text("stand-in")
                moved[name] = str(target)
    return moved


def test_every_server_and_sweep_loads_its_production_settings(
    rendered, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configmaps = kind(rendered, "ConfigMap")
    checked = []
    for workload, pod in workloads(rendered):
        if workload.startswith("Job/"):
            continue
        (container,) = pod["containers"]
        env = _environment(container, configmaps)
        assert env["CERTBOARD_ENVIRONMENT"] == "production", workload
        root = tmp_path / workload.replace("/", "-")
        root.mkdir()
        env = _relocated(env, _mount(pod, container, root))
        with monkeypatch.context() as patch:
            # Nothing of the test run's own environment: only the pod's settings count.
            for name in [n for n in os.environ if n.startswith("CERTBOARD_")]:
                patch.delenv(name)
            for name, value in env.items():
                patch.setenv(name, value)
            patch.chdir(root)
            try:
                settings = command_settings(container["args"])()
            except ValidationError as exc:
                pytest.fail(f"{workload} would not start: {exc}")
        assert settings.environment == "production", workload
        checked.append(workload)
    assert len(checked) == len(kind(rendered, "Deployment")) + len(kind(rendered, "CronJob"))
