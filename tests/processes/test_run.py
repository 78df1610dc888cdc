"""`certboard run` (what `make run` starts): real processes, real HTTP, a clean Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.processes

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _free_base_port() -> int:
    """A port whose next three neighbours are free too (the launcher uses four)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base > 65000:
            continue
        try:
            for port in range(base, base + 4):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no four free ports in a row")


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path
    log: Path


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    base = _free_base_port()
    log = tmp_path / "run.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CERTBOARD_")}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "certboard_core.cli",
                "run",
                "--port",
                str(base),
                "--data-dir",
                str(tmp_path / "data"),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = f"http://127.0.0.1:{base}"
    deadline = time.monotonic() + 90
    while b"certboard is running" not in log.read_bytes():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"certboard run did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    try:
        yield Running(process, url, tmp_path / "data", log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _token(data_dir: Path, role: str, sub: str) -> str:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "certboard_core.cli",
            "token",
            "--role",
            role,
            "--sub",
            sub,
            "--data-dir",
            str(data_dir),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def test_the_whole_system_runs_serves_the_slice_and_stops_cleanly(running: Running) -> None:
    alice = _token(running.data_dir, "applicant", "alice")
    staff = _token(running.data_dir, "staff", "sam")
    operations = {
        "query": "mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) "
        "{ id status firstNotificationDueOn } }",
        "variables": {
            "input": {
                "firstName": "Maria",
                "lastName": "Lopez",
                "dateOfBirth": "1990-05-17",
                "email": "maria@example.org",
                "codeOfEthicsAgreed": True,
                "livedExperience": "FAMILY_MEMBER",
                "willingToShareExperience": True,
                "governmentId": None,
                "diploma": None,
            }
        },
    }
    with httpx.Client(base_url=running.url, timeout=30) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        submitted = client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps(
                    {"0": ["variables.input.governmentId"], "1": ["variables.input.diploma"]}
                ),
            },
            files={"0": ("id.jpg", JPEG, "image/jpeg"), "1": ("d.pdf", PDF, "application/pdf")},
            headers={"Authorization": f"Bearer {alice}", "X-Request-ID": "proc-test-42"},
        ).json()
        assert "errors" not in submitted, submitted
        application = submitted["data"]["submitApplication"]
        assert application["status"] == "SUBMITTED"
        listed = client.post(
            "/graphql",
            json={"query": "{ applications { items { id applicantId } } }"},
            headers={"Authorization": f"Bearer {staff}"},
        ).json()
        assert listed["data"]["applications"]["items"] == [
            {"id": application["id"], "applicantId": "alice"}
        ]
    assert (running.data_dir / "applications.db").exists()
    assert (running.data_dir / "dev-issuer" / "private.pem").stat().st_mode & 0o777 == 0o600

    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=30) == 0
    # The request id the client chose is in the applications service's JSON log line.
    lines = [
        json.loads(line) for line in running.log.read_text().splitlines() if line.startswith("{")
    ]
    assert any(
        line.get("service") == "applications" and line.get("request_id") == "proc-test-42"
        for line in lines
    ), running.log.read_text()[-3000:]
