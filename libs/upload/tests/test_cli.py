"""certboard-upload: batches with stable idempotency keys, retries, and what it reports."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from certboard_upload.cli import main
from certboard_upload.csvfile import batch_key

PROVIDER = uuid.UUID("0b5c7e0e-5a56-4d1e-9a57-3c3c1f0d0a11")
PROGRAM = "5f3a3c1e-2d5e-4f65-8d3f-9a0c3e2b1d44"
HEADER = "certificate_id,legal_name,date_of_birth,email,program_id,completion_date,hours"


def row(n: int, **overrides: str) -> str:
    values = {
        "certificate_id": f"C-{n}",
        "legal_name": f"Person {n}",
        "date_of_birth": "1990-01-02",
        "email": f"p{n}@example.org",
        "program_id": PROGRAM,
        "completion_date": "2026-03-01",
        "hours": "40",
    } | overrides
    return ",".join(values.values())


def write_csv(folder: Path, rows: int, *, header: str = HEADER) -> Path:
    path = folder / "certificates.csv"
    path.write_text("\n".join([header, *(row(n) for n in range(1, rows + 1))]) + "\n")
    return path


def answer(request: httpx.Request) -> httpx.Response:
    """What the service says when it accepts every row."""
    rows = json.loads(request.content)["certificates"]
    results = [
        {
            "index": i,
            "certificate_id": r["certificate_id"],
            "outcome": "accepted",
            "id": str(uuid.uuid4()),
            "field": None,
            "reason": None,
        }
        for i, r in enumerate(rows)
    ]
    counts = {"accepted": len(rows), "duplicate": 0, "rejected": 0}
    return httpx.Response(200, json={"batch": counts, "results": results})


def error(status: int, code: str, message: str = "no", field: str | None = None) -> httpx.Response:
    body = {"error": {"code": code, "message": message, "field": field, "request_id": "r-1"}}
    return httpx.Response(status, json=body)


Reply = Callable[[httpx.Request], httpx.Response]


class FakeService:
    """Records each request; answers with the queued replies first, then accepts everything."""

    def __init__(self, *replies: httpx.Response | Exception | Reply) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.replies:
            return answer(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply(request) if callable(reply) else reply

    @property
    def keys(self) -> list[str]:
        return [r.headers["Idempotency-Key"] for r in self.requests]

    def bodies(self) -> list[list[dict[str, Any]]]:
        return [json.loads(r.content)["certificates"] for r in self.requests]


class Run:
    def __init__(self, service: FakeService) -> None:
        self.service = service
        self.sleeps: list[float] = []
        self.out = io.StringIO()
        self.err = io.StringIO()

    def __call__(self, csv_path: Path, *extra: str) -> int:
        argv = [str(csv_path), "--url", "https://applications", "--provider-id", str(PROVIDER),
                "--token", "tok", *extra]  # fmt: skip
        return main(
            argv,
            transport=httpx.MockTransport(self.service),
            sleep=self.sleeps.append,
            stdout=self.out,
            stderr=self.err,
        )


@pytest.fixture
def service() -> FakeService:
    return FakeService()


@pytest.fixture
def run(service: FakeService) -> Run:
    return Run(service)


class TestBatches:
    def test_2500_rows_go_in_three_batches_with_distinct_keys(self, tmp_path, run, service):
        assert run(write_csv(tmp_path, 2500)) == 0
        assert [len(b) for b in service.bodies()] == [1000, 1000, 500]
        assert len(set(service.keys)) == 3
        request = service.requests[0]
        assert request.url.path == f"/v1/providers/{PROVIDER}/certificates"
        assert request.headers["Authorization"] == "Bearer tok"
        assert service.bodies()[2][-1]["certificate_id"] == "C-2500"
        assert run.out.getvalue().startswith("accepted: 2500\nduplicate: 0\nrejected: 0\n")

    def test_a_rerun_sends_the_same_keys(self, tmp_path):
        path = write_csv(tmp_path, 2500)
        first, second = FakeService(), FakeService()
        assert Run(first)(path) == 0
        assert Run(second)(path) == 0
        assert first.keys == second.keys
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert first.keys == [batch_key(PROVIDER, digest, 1000, i) for i in range(3)]

    def test_keys_change_with_the_file_and_the_provider(self, tmp_path):
        assert batch_key(PROVIDER, "a" * 64, 1000, 0) != batch_key(PROVIDER, "b" * 64, 1000, 0)
        assert batch_key(PROVIDER, "a" * 64, 1000, 0) != batch_key(uuid.uuid4(), "a" * 64, 1000, 0)
        assert batch_key(PROVIDER, "a" * 64, 1000, 0) != batch_key(PROVIDER, "a" * 64, 500, 0)

    def test_an_interrupted_upload_resumes_with_the_same_keys(self, tmp_path):
        path = write_csv(tmp_path, 30)
        interrupted = FakeService(answer, error(401, "UNAUTHENTICATED", "token expired"))
        assert Run(interrupted)(path, "--batch-size", "10") == 1
        resumed = FakeService()
        assert Run(resumed)(path, "--batch-size", "10") == 0
        assert resumed.keys[:2] == interrupted.keys
        assert resumed.bodies()[:2] == interrupted.bodies()

    def test_rows_are_sent_as_the_api_reads_them(self, tmp_path, run, service):
        path = tmp_path / "c.csv"
        path.write_text(f"{HEADER},applicant_id\n{row(1)},\n{row(2, hours=' 12 ')},A-2\n")
        assert run(path) == 0
        first, second = service.bodies()[0]
        assert first == {
            "certificate_id": "C-1", "legal_name": "Person 1", "date_of_birth": "1990-01-02",
            "email": "p1@example.org", "program_id": PROGRAM, "completion_date": "2026-03-01",
            "hours": 40, "applicant_id": None, "file_base64": None,
        }  # fmt: skip
        assert (second["hours"], second["applicant_id"]) == (12, "A-2")

    def test_the_file_column_is_sent_base64_encoded(self, tmp_path, run, service):
        (tmp_path / "docs").mkdir()
        pdf = b"%PDF-1.7\n\x00\xff binary"
        (tmp_path / "docs" / "c1.pdf").write_bytes(pdf)
        path = tmp_path / "c.csv"
        path.write_text(f"{HEADER},file\n{row(1)},docs/c1.pdf\n{row(2)},\n")
        assert run(path) == 0
        first, second = service.bodies()[0]
        assert base64.b64decode(first["file_base64"]) == pdf
        assert second["file_base64"] is None


class TestRetries:
    def test_a_503_is_retried(self, tmp_path, run, service):
        service.replies = [error(503, "UPSTREAM_UNAVAILABLE")]
        assert run(write_csv(tmp_path, 3)) == 0
        assert len(service.requests) == 2
        assert service.keys[0] == service.keys[1]
        assert service.requests[0].content == service.requests[1].content
        assert run.sleeps == [1.0]
        assert "accepted: 3" in run.out.getvalue()

    def test_a_retry_while_the_first_is_in_progress_waits(self, tmp_path, run, service):
        service.replies = [error(409, "IDEMPOTENCY_IN_PROGRESS", "still working")]
        assert run(write_csv(tmp_path, 3)) == 0
        assert len(service.requests) == 2
        assert run.sleeps == [1.0]

    def test_connection_errors_and_timeouts_are_retried(self, tmp_path, run, service):
        service.replies = [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")]
        assert run(write_csv(tmp_path, 3)) == 0
        assert len(service.requests) == 3
        assert run.sleeps == [1.0, 2.0]

    def test_retries_are_bounded(self, tmp_path, run, service):
        service.replies = [error(502, "BAD_GATEWAY")] * 10
        assert run(write_csv(tmp_path, 3)) == 1
        assert len(service.requests) == 5
        assert run.sleeps == [1.0, 2.0, 4.0, 8.0]
        assert "no answer after 5 tries" in run.err.getvalue()

    def test_retry_after_is_honoured_within_the_cap(self, tmp_path, run, service):
        service.replies = [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(503, headers={"Retry-After": "3600"}),
        ]
        assert run(write_csv(tmp_path, 3)) == 0
        assert run.sleeps == [7.0, 30.0]

    def test_another_conflict_is_not_retried(self, tmp_path, run, service):
        service.replies = [error(409, "CONFLICT")]
        assert run(write_csv(tmp_path, 3)) == 1
        assert run.sleeps == []


class TestFatal:
    def test_a_422_stops_the_upload(self, tmp_path, run, service):
        service.replies = [answer, error(422, "VALIDATION_ERROR", "too many rows", "certificates")]
        assert run(write_csv(tmp_path, 25), "--batch-size", "10") == 1
        assert len(service.requests) == 2
        assert run.sleeps == []
        err = run.err.getvalue()
        assert "batch 2 of 3 failed: HTTP 422 VALIDATION_ERROR: too many rows" in err
        assert "field certificates" in err
        assert "accepted: 10" in run.out.getvalue()

    @pytest.mark.parametrize(
        ("status", "code", "hint"),
        [
            (401, "UNAUTHENTICATED", "CERTBOARD_TOKEN"),
            (403, "FORBIDDEN", "may not upload"),
            (404, "NOT_FOUND", "--provider-id"),
            (422, "IDEMPOTENCY_KEY_REUSED", "sent before with other content"),
        ],
    )
    def test_refusals_explain_themselves(self, tmp_path, run, service, status, code, hint):
        service.replies = [error(status, code)]
        assert run(write_csv(tmp_path, 3)) == 1
        assert hint in run.err.getvalue()
        assert len(service.requests) == 1


class TestSummary:
    def test_rejected_rows_are_listed_with_their_csv_lines(self, tmp_path, run, service):
        def mixed(request: httpx.Request) -> httpx.Response:
            results = [
                {"index": 0, "certificate_id": "C-1", "outcome": "accepted", "id": None},
                {"index": 1, "certificate_id": "C-2", "outcome": "rejected",
                 "field": "email", "reason": "not a valid email address"},
                {"index": 2, "certificate_id": "C-3", "outcome": "duplicate"},
            ]  # fmt: skip
            counts = {"accepted": 1, "duplicate": 1, "rejected": 1}
            return httpx.Response(200, json={"batch": counts, "results": results})

        service.replies = [mixed]
        path = tmp_path / "c.csv"
        # The first name spans two lines, so the second record starts on line 4.
        first = row(1, legal_name='"Person\nOne"')
        path.write_text("\n".join([HEADER, first, row(2, email="nope"), row(3)]) + "\n")
        assert run(path) == 0
        out = run.out.getvalue()
        assert out.startswith("accepted: 1\nduplicate: 1\nrejected: 1\n")
        assert "  line 4: C-2: email: not a valid email address\n" in out
        assert "duplicates (received before):\n  C-3\n" in out

    def test_a_malformed_row_is_reported_and_not_sent(self, tmp_path, run, service):
        path = tmp_path / "c.csv"
        path.write_text("\n".join([HEADER, row(1), row(2) + ",extra", "", row(3)]) + "\n")
        assert run(path) == 0
        assert [r["certificate_id"] for r in service.bodies()[0]] == ["C-1", "C-3"]
        assert "line 3: 8 columns where the header has 7" in run.out.getvalue()
        assert "line 3" in run.err.getvalue()

    def test_progress_is_one_line_per_batch_off_a_terminal(self, tmp_path, run):
        assert run(write_csv(tmp_path, 25), "--batch-size", "10") == 0
        lines = run.err.getvalue().splitlines()
        assert lines[0].startswith("batch 1/3: 10 rows (accepted 10")
        assert lines[2].startswith("batch 3/3: 5 rows")

    def test_progress_is_a_bar_on_a_terminal(self, tmp_path, service):
        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        run = Run(service)
        run.err = Terminal()
        assert run(write_csv(tmp_path, 25), "--batch-size", "10") == 0
        shown = run.err.getvalue()
        assert "\r[##########                    ] 1/3 batches, 10 rows" in shown
        assert shown.endswith(f"\r[{'#' * 30}] 3/3 batches, 25 rows\n")


class TestUsage:
    def test_unknown_columns_are_pointed_out(self, tmp_path, run, service):
        path = tmp_path / "c.csv"
        path.write_text(f"{HEADER},attachment\n{row(1)},c1.pdf\n")
        assert run(path) == 0
        assert "ignoring unknown column(s): attachment" in run.err.getvalue()
        assert "attachment" not in service.bodies()[0][0]

    def test_a_missing_column_exits_2_and_sends_nothing(self, tmp_path, run, service):
        path = write_csv(tmp_path, 3, header=HEADER.replace(",email", ""))
        assert run(path) == 2
        assert "missing column(s): email" in run.err.getvalue()
        assert service.requests == []

    def test_an_unreadable_file_exits_2(self, tmp_path, run, service):
        assert run(tmp_path / "absent.csv") == 2
        assert "cannot read" in run.err.getvalue()

    def test_a_missing_attachment_exits_2_before_sending(self, tmp_path, run, service):
        path = tmp_path / "c.csv"
        path.write_text(f"{HEADER},file\n{row(1)},missing.pdf\n")
        assert run(path) == 2
        assert "line 2" in run.err.getvalue()
        assert service.requests == []

    @pytest.mark.parametrize("extra", [["--batch-size", "1001"], ["--batch-size", "0"]])
    def test_a_bad_batch_size_exits_2(self, tmp_path, run, extra):
        assert run(write_csv(tmp_path, 3), *extra) == 2

    def test_the_token_comes_from_the_environment(self, tmp_path, service, monkeypatch):
        monkeypatch.setenv("CERTBOARD_TOKEN", "from-env")
        argv = [str(write_csv(tmp_path, 1)), "--url", "https://a", "--provider-id", str(PROVIDER)]
        assert main(argv, transport=httpx.MockTransport(service), stdout=io.StringIO()) == 0
        assert service.requests[0].headers["Authorization"] == "Bearer from-env"
        monkeypatch.delenv("CERTBOARD_TOKEN")
        assert main(argv, transport=httpx.MockTransport(service), stderr=io.StringIO()) == 2

    def test_plain_http_to_a_remote_host_is_warned_about(self, tmp_path, service):
        err = io.StringIO()
        argv = [str(write_csv(tmp_path, 1)), "--url", "http://applications.example.org",
                "--provider-id", str(PROVIDER), "--token", "t"]  # fmt: skip
        assert main(argv, transport=httpx.MockTransport(service), stderr=err) == 0
        assert "unencrypted" in err.getvalue()

    def test_it_runs_as_a_module(self):
        done = subprocess.run(
            [sys.executable, "-m", "certboard_upload.cli", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0
        assert "certboard-upload" in done.stdout


class TestPackage:
    """A provider installs only this package, so it must stand on its own."""

    def test_it_depends_on_httpx_alone(self):
        requirements = importlib.metadata.requires("certboard-upload") or []
        assert [r.split(">")[0].split("=")[0].strip() for r in requirements] == ["httpx"]

    def test_the_command_loads_no_part_of_the_services(self):
        script = "import json, sys, certboard_upload.cli; print(json.dumps(sorted(sys.modules)))"
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        loaded = {name.partition(".")[0] for name in json.loads(done.stdout)}
        assert "certboard_upload" in loaded
        assert not loaded & {"certboard_core", "fastapi", "sqlmodel", "sqlalchemy", "pydantic"}
