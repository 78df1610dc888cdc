"""The status view over HTTP: through the gateway, straight from the service, and the floor.

``python -m bench.status_bench http`` fills a fresh data folder (``--applications``
applications, one of them the measured applicant's current one; a 100,000-row table for the
floor), starts ``certboard run`` and the floor app on it (``bench/status_system.py``), and
loads four requests with ``hey`` one after the other: the applicant's whole status view
through the gateway, the same view from the applications service's REST endpoint,
``{ __typename }`` through the gateway, and the floor's read of one row by key. Each gets
(a) ``--connections`` connections for ``--seconds`` and (b) a fixed ``--rate`` for
``--rate-seconds``; CPU per request comes from ``/proc/PID/stat`` before and after each load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from applications.policy import build_policy
from bench import floor_app
from bench.common import quiet_logs
from bench.fill import fill_database
from bench.load import LoadResult, Request, cpu_seconds, hey_path, resident_mib, run_hey
from bench.status_data import APPLICANT, NUMBER, fill
from bench.status_system import Running, running, settle
from certboard_core.devissuer import ensure_dev_key, mint_token
from certboard_core.launcher import migrate_all
from certboard_core.roles import Role

STATUS_QUERY = """query Status($id: ID!) { application(id: $id) {
  id applicantId status firstName lastName dateOfBirth email livedExperience submittedAt
  submittedOn approvedAt decisionReason backgroundCheck version
  deadlines { today firstNotificationDueOn firstNotificationDaysLeft firstNotifiedOn
    firstNotificationOnTime lastDayToComplete voidFrom daysLeftToComplete validThrough
    daysLeftValid examRequestCutoff daysLeftToRequestExam }
  missing
  documents { id kind version current contentType sizeBytes sha256 originalFilename uploadedAt }
  revisionRequests { id items note requestedAt resolvedAt }
  notifications { id reason subject body createdAt }
  payments { id kind amountCents currency reference paidAt forfeitedAt }
  trainingCertificates { id status hours completedOn receivedAt }
  certification { id number status issuedOn validThrough }
  attestations { codeOfEthicsAgreed willingToShareExperience recoveryTwoYearsAttested
    diagnosisTreatmentAttested }
} }"""
TYPENAME_QUERY = "{ __typename }"
VERIFY_QUERY = """query Verify($number: String!) { verifyCertification(number: $number) {
  holderName number status issuedOn validThrough credentialUrl
  discipline { outcome decidedOn endsOn inForce } } }"""
# Whose CPU each target's requests cost.
MEASURED = ("gateway", "applications", "floor")


@dataclass
class Target:
    """One request under load, and what each load of it showed."""

    name: str
    request: Request
    loads: dict[str, LoadResult] = field(default_factory=dict)
    # Per load: CPU seconds each measured process used during it.
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)

    def cpu_ms(self, load: str, process: str) -> float:
        """CPU milliseconds ``process`` spent per answered request during ``load``."""
        answered = self.loads[load].responses
        return self.cpu[load][process] / answered * 1000 if answered else float("nan")


async def prepare(data_dir: Path, applications: int) -> tuple[str, float]:
    """Migrate and fill the data folder as of now; the measured application's id, fill time."""
    ensure_dev_key(data_dir)
    # Alembic's async env runs its own event loop: from a thread of its own.
    await asyncio.to_thread(migrate_all, data_dir)
    url = f"sqlite+aiosqlite:///{data_dir / 'applications.db'}"
    now = datetime.now(UTC) - timedelta(minutes=5)
    (_added, current), seconds = await fill_database(
        url, lambda engine: fill(engine, applications, build_policy("CA"), now)
    )
    floor_app.fill(data_dir / "floor.db")
    return str(current), seconds


def targets(system: Running, data_dir: Path, application_id: str) -> list[Target]:
    """The four requests, each checked once to answer what it should."""
    token = mint_token(
        ensure_dev_key(data_dir), subject=APPLICANT, roles=[Role.APPLICANT], ttl=timedelta(hours=2)
    )
    status = json.dumps({"query": STATUS_QUERY, "variables": {"id": application_id}})
    verify = json.dumps({"query": VERIFY_QUERY, "variables": {"number": NUMBER}})
    made = [
        Target("gateway: status view", Request("POST", f"{system.gateway}/graphql", token, status)),
        Target(
            "service: status view (REST)",
            Request("GET", f"{system.applications}/v1/applications/{application_id}", token),
        ),
        Target(
            "gateway: { __typename }",
            Request(
                "POST", f"{system.gateway}/graphql", token, json.dumps({"query": TYPENAME_QUERY})
            ),
        ),
        Target("floor: one row by key", Request("GET", f"{system.floor}/rows/50000", token)),
        Target(
            "gateway: verify a number",
            Request("POST", f"{system.gateway}/graphql", token, verify),
        ),
        Target(
            "service: verify a number (REST)",
            Request("GET", f"{system.applications}/v1/verification/{NUMBER}", token),
        ),
    ]
    for target in made:
        request = target.request
        response = httpx.request(
            request.method,
            request.url,
            content=request.body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise SystemExit(f"{target.name} answered {response.status_code}: {body}")
    return made


def load(target: Target, kind: str, pids: dict[str, int], args: argparse.Namespace) -> None:
    """One load of ``kind`` ("throughput" or "rate"), with each process's CPU around it."""
    before = {name: cpu_seconds(pids[name]) for name in MEASURED}
    if kind == "throughput":
        result = run_hey(target.request, seconds=args.seconds, connections=args.connections)
    else:
        result = run_hey(
            target.request,
            seconds=args.rate_seconds,
            connections=args.rate_connections,
            rate=args.rate,
        )
    target.loads[kind] = result
    target.cpu[kind] = {name: cpu_seconds(pids[name]) - before[name] for name in MEASURED}
    print(
        f"{target.name}, {kind}: {result.per_second:.0f}/s, p50 {result.ms(50):.1f} ms, "
        f"p99 {result.ms(99):.1f} ms, {result.failed} failed",
        flush=True,
    )


def measure(system: Running, made: list[Target], args: argparse.Namespace) -> dict[str, float]:
    """Warm every target up, then each load of each target in turn; resident memory after."""
    for target in made:
        run_hey(target.request, seconds=args.warmup, connections=10)
    settle(system.pids)
    for kind in ("throughput", "rate"):
        for target in made:
            load(target, kind, system.pids, args)
    return {name: resident_mib(pid) for name, pid in system.pids.items()}


async def run(args: argparse.Namespace) -> tuple[list[Target], dict[str, float], float]:
    """The whole benchmark: targets with their loads, resident MiB per process, fill time."""
    quiet_logs()
    hey_path()
    folder = Path(tempfile.mkdtemp(prefix="certboard-bench-"))
    try:
        data_dir = folder / "data"
        application_id, fill_seconds = await prepare(data_dir, args.applications)
        with running(data_dir) as system:
            settle(system.pids)
            made = targets(system, data_dir, application_id)
            memory = measure(system, made, args)
        return made, memory, fill_seconds
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15, help="the throughput load")
    parser.add_argument("--connections", type=int, default=50, help="the throughput load")
    parser.add_argument("--rate", type=float, default=100, help="requests/s of the fixed load")
    parser.add_argument("--rate-seconds", type=float, default=30)
    # hey paces each connection with a ticker of its own, and tickers started together fire
    # together: 10 connections at 10/s send bursts of 10 every 100 ms, whose queueing is all
    # their p99 shows (the floor's own p99 was 45-225 ms that way, 5 ms with 2).
    parser.add_argument(
        "--rate-connections", type=int, default=2, help="connections sharing the fixed rate"
    )
    parser.add_argument("--warmup", type=float, default=3, help="seconds per target, untimed")
