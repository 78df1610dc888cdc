"""The image, without a container engine: deploy/Dockerfile read for what the image must be
(slim, non-root, dependencies from uv.lock only, every workspace member, a health check, no
development tools), and deploy/entrypoint.sh run here with stand-ins for what it starts.
"""

from __future__ import annotations

import http.server
import re
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from .code import BACKEND_NAMES, PROCESSES, ROOT

DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
MEMBERS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]["members"]
# Instructions, with their continuation lines joined.
LINES = re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
STAGES = "\n".join(LINES).split("\nFROM ")
BUILDER, RUNTIME = STAGES[-2], STAGES[-1]


def test_the_runtime_stage_is_slim_and_runs_as_a_numeric_non_root_user() -> None:
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE, re.M)
    assert RUNTIME.startswith("${PYTHON_IMAGE} AS runtime")
    (user,) = re.findall(r"^USER (.+)$", RUNTIME, re.M)
    assert user == "${APP_UID}:${APP_UID}"
    assert re.search(r"^ARG APP_UID=10001$", RUNTIME, re.M)


def test_dependencies_come_from_the_lock_only_and_without_dev_tools() -> None:
    syncs = [line for line in LINES if "uv sync" in line]
    assert len(syncs) == 2
    for sync in syncs:
        assert "--locked" in sync
        assert "--no-dev" in sync
    assert not re.search(r"^RUN .*pip install", RUNTIME, re.M)


def test_the_builder_has_every_workspace_member_before_it_syncs() -> None:
    first_sync = BUILDER.index("uv sync")
    for member in MEMBERS:
        assert f"COPY {member}/pyproject.toml {member}/" in BUILDER[:first_sync], member
        top = member.split("/")[0]
        assert f"COPY {top}/ {top}/" in BUILDER, member


def test_the_runtime_stage_copies_only_the_environment_and_the_entrypoint() -> None:
    copies = re.findall(r"^COPY (.+)$", RUNTIME, re.M)
    assert copies == [
        "--from=builder /app/.venv /app/.venv",
        "--chmod=0755 deploy/entrypoint.sh /usr/local/bin/certboard-entrypoint",
    ]


def test_the_image_checks_its_server_through_the_entrypoint() -> None:
    (check,) = re.findall(r"^HEALTHCHECK .*CMD (.+)$", RUNTIME, re.M)
    assert check == '["certboard-entrypoint", "healthcheck", "/healthz"]'


def test_tests_and_deployment_files_stay_out_of_the_build_context() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {"tests/", "**/tests/", ".git/", "**/.venv/", "!deploy/entrypoint.sh"} <= set(ignored)


@pytest.fixture
def stand_ins(tmp_path: Path) -> Path:
    """A PATH where uvicorn and certboard print their arguments and python is this one."""
    for name in ("uvicorn", "certboard"):
        script = tmp_path / name
        script.write_text(f'#!/bin/sh\necho {name} "$@"\n')
        script.chmod(0o755)
    (tmp_path / "python").symlink_to(sys.executable)
    return tmp_path


def _entrypoint(path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        env={"PATH": f"{path}:/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_each_process_starts_its_app_factory_on_port_8000(stand_ins: Path) -> None:
    for process in PROCESSES:
        ran = _entrypoint(stand_ins, process.name, "--workers", "2")
        assert ran.stdout.split() == [
            *("uvicorn", "--factory", process.factory, "--host", "0.0.0.0"),
            *("--port", "8000", "--workers", "2"),
        ]
    by_env = _entrypoint(stand_ins, CERTBOARD_PROCESS="web", CERTBOARD_PORT="9000")
    assert by_env.stdout.split()[2:] == [
        "web.main:create_app",
        "--host",
        "0.0.0.0",
        "--port",
        "9000",
    ]


def test_migrate_takes_exactly_one_service(stand_ins: Path) -> None:
    for backend in (*BACKEND_NAMES, "all"):
        assert _entrypoint(stand_ins, "migrate", backend).stdout.split() == [
            "certboard",
            "migrate",
            backend,
        ]
    refused = _entrypoint(stand_ins, "migrate")
    assert refused.returncode == 64
    assert "usage: entrypoint.sh" in refused.stderr


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 503)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    thread.join()


def test_healthcheck_passes_only_on_a_2xx_answer(stand_ins: Path, server: int) -> None:
    port = {"CERTBOARD_PORT": str(server)}
    assert _entrypoint(stand_ins, "healthcheck", **port).returncode == 0
    assert _entrypoint(stand_ins, "healthcheck", "/healthz", **port).returncode == 0
    unready = _entrypoint(stand_ins, "healthcheck", "/readyz", **port)
    assert unready.returncode == 1
    assert "HTTP Error 503" in unready.stderr
    # Nothing listens on port 1: no answer fails too.
    assert _entrypoint(stand_ins, "healthcheck", CERTBOARD_PORT="1").returncode == 1
