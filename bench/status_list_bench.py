"""Building and signing a Bitstring Status List of 131,072 entries (target: under 0.5 s).

Two figures, each the median of ``--rounds`` (default 5):

- **pure**: the bitstring with ``--share`` (1%) of its bits on, GZIP and base64url, the
  credential's claims and the EdDSA signature (no database);
- **served**: what ``GET /v1/status-lists/{purpose}`` does, ``credential.service.status_list``
  on a session: the set indexes read from a database where every index of the list is
  allocated (``--holders``, default the whole list), then the same work.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from applications.application.lifecycle import ApplicationStatus
from applications.certification.rules import CertificationStatus
from applications.credential import bitstring, service, vc
from applications.credential.keys import KeyFolder, ensure_key
from applications.credential.models import StatusPurpose
from applications.credential.signing import CredentialIssuer
from applications.policy import build_policy
from certboard_core.db import create_engine, session_factory

from .common import BACKENDS, Backend, Databases, machine, quiet_logs, report
from .fill import bulk_insert, fill_database
from .rows import Row, application
from .timing import median

NOW = datetime(2026, 3, 10, 17, 0, tzinfo=UTC)
_random = random.Random(20260310)  # noqa: S311 - test data, not secrets


def issuer(folder: Path) -> CredentialIssuer:
    ensure_key(folder)
    board = vc.Board("https://board.example.org", "Bench Board", ZoneInfo("America/Los_Angeles"))
    return CredentialIssuer(KeyFolder(folder), board)


def pure_once(signer: CredentialIssuer, on: list[int]) -> tuple[float, int]:
    """Seconds to build, encode and sign one list; the signed JWT's length."""
    started = time.perf_counter()
    encoded = bitstring.encode(bitstring.bitstring(bitstring.LIST_SIZE, on))
    token = signer.sign(vc.status_list(StatusPurpose.REVOCATION, encoded, signer.board, now=NOW))
    return time.perf_counter() - started, len(token)


def holders(count: int, share: float) -> Iterator[tuple[Row, Row, Row, Row]]:
    """Per holder: an application, its certification and its two status entries; ``share``
    of them flagged for revocation, as many suspended by their stored status."""
    policy = build_policy("CA", {})
    revocation = _random.sample(range(bitstring.LIST_SIZE), count)
    suspension = _random.sample(range(bitstring.LIST_SIZE), count)
    every = round(1 / share) if share else count + 1
    for i in range(count):
        # Approved is enough for the row: the list reads certifications, not applications.
        app = application(i, status=ApplicationStatus.APPROVED, submitted_at=NOW, policy=policy)
        cert_id = uuid.UUID(int=_random.getrandbits(128))
        suspended = i % every == every // 2
        certification: Row = {
            "id": cert_id,
            "number": f"B{i:011d}",
            "application_id": app["id"],
            "applicant_id": app["applicant_id"],
            "holder_name": "Bench Holder",
            "last_name_key": "holder",
            "first_name_key": "bench",
            "issued_on": date(2026, 3, 1),
            "valid_through": date(2028, 2, 29),
            "status": CertificationStatus.SUSPENDED if suspended else CertificationStatus.ACTIVE,
            "attempt_id": f"attempt-{i}",
            "issued_at": NOW,
            "version": 1,
        }
        yield (
            app,
            certification,
            _entry(cert_id, StatusPurpose.REVOCATION, revocation[i], flagged=i % every == 0),
            _entry(cert_id, StatusPurpose.SUSPENSION, suspension[i], flagged=False),
        )


def _entry(cert_id: uuid.UUID, purpose: StatusPurpose, index: int, *, flagged: bool) -> Row:
    return {
        "id": uuid.UUID(int=_random.getrandbits(128)),
        "certification_id": cert_id,
        "purpose": purpose,
        "list_index": index,
        "flagged": flagged,
        "updated_at": NOW,
        "version": 1,
    }


async def served(backend: Backend, args: argparse.Namespace, signer: CredentialIssuer) -> str:
    """Fill one database, then time the service's read-and-sign."""
    databases = Databases(backend)
    try:
        url = await databases.fresh()
        rows = list(holders(args.holders, args.share))

        async def fill(engine: AsyncEngine) -> None:
            await bulk_insert(engine, "application", (r[0] for r in rows))
            await bulk_insert(engine, "certification", (r[1] for r in rows))
            await bulk_insert(engine, "credential_status", (r[i] for r in rows for i in (2, 3)))

        _, fill_seconds = await fill_database(url, fill)
        engine = create_engine(url)
        sessions = session_factory(engine)
        times: dict[StatusPurpose, list[float]] = {p: [] for p in StatusPurpose}
        try:
            for _ in range(args.rounds):
                for purpose in StatusPurpose:
                    async with sessions() as session:
                        started = time.perf_counter()
                        await service.status_list(session, purpose, signer, now=NOW)
                        times[purpose].append(time.perf_counter() - started)
        finally:
            await engine.dispose()
        figures = ", ".join(f"{p.value} {median(t) * 1000:.1f} ms" for p, t in times.items())
        return f"| served, {backend} | {figures} (fill {fill_seconds:.1f} s) |"
    finally:
        await databases.close()


async def main_async(args: argparse.Namespace) -> None:
    quiet_logs()
    with tempfile.TemporaryDirectory() as folder:
        signer = issuer(Path(folder))
        on = _random.sample(range(bitstring.LIST_SIZE), round(bitstring.LIST_SIZE * args.share))
        pure = [pure_once(signer, on) for _ in range(args.rounds)]
        lines = [
            f"{bitstring.LIST_SIZE:,} entries, {len(on):,} set ({args.share:.1%}); "
            f"median of {args.rounds}; {args.holders:,} holders allocated in the database.",
            "",
            "| what | median |",
            "| --- | --- |",
            f"| pure: build, gzip, base64url, sign | {median([t for t, _ in pure]) * 1000:.1f} ms"
            f" (JWT {pure[0][1]:,} bytes) |",
        ]
        for backend in args.backend:
            lines.append(await served(backend, args, signer))
        lines += ["", await machine(args.backend[-1])]
    report("status list build and sign", lines, keep=not args.no_record)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=BACKENDS, action="append", default=None)
    parser.add_argument("--holders", type=int, default=bitstring.LIST_SIZE)
    parser.add_argument("--share", type=float, default=0.01, help="share of bits set")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    args = parser.parse_args(argv)
    args.backend = args.backend or ["sqlite"]
    return args


if __name__ == "__main__":
    asyncio.run(main_async(parse()))
