"""`certboard run` (what `make run` starts): real processes, real HTTP, a clean Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.crash.system import free_base_port
from tests.processes.launcher import clean_environment, launched

pytestmark = pytest.mark.processes

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path
    log: Path


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    base = free_base_port()
    log = tmp_path / "run.log"
    arguments = ["--port", str(base), "--data-dir", str(tmp_path / "data")]
    with launched(arguments, clean_environment(), log) as process:
        yield Running(process, f"http://127.0.0.1:{base}", tmp_path / "data", log)


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
        # Each process counts what it answered, by route template and GraphQL operation.
        scraped = client.get("/metrics").text
        assert 'operation="anonymous",type="mutation"} 1.0' in scraped
        assert 'method="POST",route="/graphql",status="200"} 2.0' in scraped
    assert (running.data_dir / "applications.db").exists()
    assert (running.data_dir / "dev-issuer" / "private.pem").stat().st_mode & 0o777 == 0o600
    # The web console runs beside them, its URL printed with the others, and reads the
    # public verification through the gateway.
    web = f"http://127.0.0.1:{int(running.url.rsplit(':', 1)[1]) + 4}"
    assert f"web console         {web}/" in running.log.read_text()
    page = httpx.get(f"{web}/verify", params={"number": "AAAA-AAAA-AAAB"}, timeout=30)
    assert page.status_code == 200
    assert "No certification has this number" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert (running.data_dir / "web" / "session-secret").stat().st_mode & 0o777 == 0o600

    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=30) == 0
    # The request id the client chose went through the gateway to the applications service,
    # whose audit record of the submission carries it. (`certboard run` keeps no access log,
    # so a request that succeeds writes no log line there to look in.)
    with contextlib.closing(sqlite3.connect(running.data_dir / "applications.db")) as db:
        stamped = db.execute(
            "SELECT request_id FROM audit_record WHERE entity_id = ?",
            (application["id"],),
        ).fetchall()
    assert ("proc-test-42",) in stamped, stamped


def test_a_provider_uploads_a_csv_with_the_cli_and_can_rerun_it(
    running: Running, tmp_path: Path
) -> None:
    applications = running.url.rsplit(":", 1)[0] + ":" + str(int(running.url.rsplit(":", 1)[1]) + 1)
    staff = _token(running.data_dir, "staff", "sam")
    with httpx.Client(
        base_url=applications, timeout=30, headers={"Authorization": f"Bearer {staff}"}
    ) as client:
        provider = client.post("/v1/providers", json={"name": "Recovery Academy"}).json()
        program = client.post(
            f"/v1/providers/{provider['id']}/programs", json={"name": "Peer Support", "hours": 80}
        ).json()
    token = subprocess.run(
        [
            sys.executable,
            "-m",
            "certboard_core.cli",
            "token",
            "--role",
            "provider",
            "--sub",
            "academy-system",
            "--claim",
            f"provider_id={provider['id']}",
            "--data-dir",
            str(running.data_dir),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    csv_file = tmp_path / "certificates.csv"
    lines = ["certificate_id,legal_name,date_of_birth,email,program_id,completion_date,hours"]
    lines += [
        f"C-{n},Person {n},1990-01-01,p{n}@example.org,{program['id']},2026-01-15,80"
        for n in range(5)
    ]
    lines.append(f"C-bad,Late Person,1990-01-01,late@example.org,{program['id']},2099-01-01,80")
    csv_file.write_text("\n".join(lines) + "\n")
    command = [
        sys.executable,
        "-m",
        "certboard_upload.cli",
        str(csv_file),
        "--url",
        applications,
        "--provider-id",
        provider["id"],
        "--token",
        token,
        "--batch-size",
        "2",
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "accepted" in first.stdout
    assert "C-bad" in first.stdout
    assert "completion date is in the future" in first.stdout
    # Interrupted or not, running it again replays every batch: nothing is stored twice.
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout
    with httpx.Client(
        base_url=applications, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        stored = client.get(f"/v1/providers/{provider['id']}/certificates").json()
    assert sorted(c["provider_certificate_id"] for c in stored["items"]) == [
        f"C-{n}" for n in range(5)
    ]
