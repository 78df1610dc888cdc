"""Twenty clients writing at once: every acknowledged write is stored once, audited, no 5xx.

Each client, until the time is up, submits an application (as a new applicant), asks for a
revision and records a fee on it (as staff), and uploads a batch of certificates (as its own
provider), against the real applications process. Then the databases are counted: every
write answered 2xx is there exactly once with its audit record, nothing answered was refused,
no answer was a server error and no log says "database is locked". ``make test`` runs it for a
few seconds per backend; ``make load`` for 30 s (``CERTBOARD_LOAD_SECONDS``).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from certboard_core.roles import Role

from .conftest import MakeSystem
from .system import System
from .traffic import as_uuid, create_provider, record_payment, request_revision, submit, upload

SECONDS = float(os.environ.get("CERTBOARD_LOAD_SECONDS", "3"))
CLIENTS = int(os.environ.get("CERTBOARD_LOAD_CLIENTS", "20"))
# A bound in count as well as in time, whatever the machine's speed.
MAX_ROUNDS = 1000
BATCH = 3

pytestmark = pytest.mark.load


@dataclass
class Ledger:
    """What the clients were told: every answer, and each write acknowledged."""

    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    applications: dict[str, str] = field(default_factory=dict)  # id -> applicant
    revised: set[str] = field(default_factory=set)
    payments: dict[str, str] = field(default_factory=dict)  # reference -> application id
    certificates: dict[str, str] = field(default_factory=dict)  # certificate id -> provider

    def note(self, answer: httpx.Response) -> bool:
        self.statuses[answer.status_code] += 1
        if not answer.is_success:
            self.failures.append(
                f"{answer.request.method} {answer.request.url.path}: "
                f"{answer.status_code} {answer.text[:300]}"
            )
        return answer.is_success


@dataclass(frozen=True)
class Provider:
    id: str
    program_id: str
    token: str


async def _round(
    client: httpx.AsyncClient,
    system: System,
    name: str,
    staff: str,
    provider: Provider,
    ledger: Ledger,
) -> None:
    token = system.token(Role.APPLICANT, name)
    submitted = await submit(client, token, f"{name}@example.org")
    if ledger.note(submitted):
        application = submitted.json()
        ledger.applications[application["id"]] = name
        if ledger.note(await request_revision(client, staff, application)):
            ledger.revised.add(application["id"])
        reference = f"{name}-fee"
        if ledger.note(await record_payment(client, staff, application["id"], reference)):
            ledger.payments[reference] = application["id"]
    batch = [f"C-{name}-{k}" for k in range(BATCH)]
    uploaded = await upload(client, provider.token, provider.id, provider.program_id, batch)
    if ledger.note(uploaded):
        for result in uploaded.json()["results"]:
            assert result["outcome"] == "accepted", result
            ledger.certificates[result["certificate_id"]] = provider.id


async def _client(
    system: System, index: int, staff: str, provider: Provider, deadline: float, ledger: Ledger
) -> None:
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=60) as client:
        for n in range(MAX_ROUNDS):
            if time.monotonic() > deadline:
                return
            try:
                await _round(client, system, f"load-{index}-{n}", staff, provider, ledger)
            except httpx.TransportError as dropped:
                # The server dropped the connection instead of answering: a failure to count.
                ledger.failures.append(f"no answer: {dropped!r}")


async def _providers(system: System, staff: str) -> list[Provider]:
    async with httpx.AsyncClient(base_url=system.url("applications"), timeout=60) as client:
        made = await asyncio.gather(
            *(create_provider(client, staff, f"Load Academy {i}") for i in range(CLIENTS))
        )
    return [
        Provider(p, program, system.token(Role.PROVIDER, f"academy-{i}", provider_id=p))
        for i, (p, program) in enumerate(made)
    ]


async def _count_per_key(system: System, sql: str) -> Counter[tuple[str, ...]]:
    """How often each row occurs, its first column an id (read alike from either backend)."""
    rows = await system.rows("applications", sql)
    return Counter((str(as_uuid(row[0])), *(str(v) for v in row[1:])) for row in rows)


async def test_twenty_clients_writing_at_once_lose_and_double_nothing(
    make_system: MakeSystem,
) -> None:
    system = make_system()
    await system.start("applications", "exams", "supervision")
    staff = system.token(Role.STAFF, "load-staff")
    providers = await _providers(system, staff)
    ledger = Ledger()
    deadline = time.monotonic() + SECONDS
    await asyncio.gather(
        *(_client(system, i, staff, providers[i], deadline, ledger) for i in range(CLIENTS))
    )

    # Shown by `make load` (pytest -s): what the clients got done.
    print(
        f"\n{len(ledger.applications)} applications, {len(ledger.revised)} revision requests, "
        f"{len(ledger.payments)} fees, {len(ledger.certificates)} certificates in {SECONDS:g} s "
        f"by {CLIENTS} clients; answers {dict(ledger.statuses)}"
    )
    locked = system.logs().count("database is locked")
    assert ledger.failures == [], (locked, len(ledger.failures), ledger.failures[:5])
    assert set(ledger.statuses) <= {200, 201}, ledger.statuses
    assert len(ledger.applications) >= CLIENTS, "every client acknowledged at least one round"
    assert locked == 0
    await _assert_stored_once_and_audited(system, ledger)


async def _assert_stored_once_and_audited(system: System, ledger: Ledger) -> None:
    applications = await _count_per_key(
        system, "SELECT id, applicant_id FROM application WHERE applicant_id LIKE 'load-%'"
    )
    assert applications == Counter(
        {(str(as_uuid(i)), applicant): 1 for i, applicant in ledger.applications.items()}
    )
    revisions = await _count_per_key(system, "SELECT application_id FROM revision_request")
    assert revisions == Counter({(str(as_uuid(i)),): 1 for i in ledger.revised})
    payments = await _count_per_key(system, "SELECT application_id, reference FROM payment")
    assert payments == Counter(
        {(str(as_uuid(i)), reference): 1 for reference, i in ledger.payments.items()}
    )
    certificates = await _count_per_key(
        system, "SELECT provider_id, provider_certificate_id FROM training_certificate"
    )
    assert certificates == Counter(
        {(str(as_uuid(p)), c): 1 for c, p in ledger.certificates.items()}
    )
    # Audit records name their entity by its id as the API shows it.
    audited = Counter(
        (str(entity), str(action))
        for entity, action in await system.rows(
            "applications", "SELECT entity_id, action FROM audit_record"
        )
    )
    expected: Counter[tuple[str, str]] = Counter()
    expected.update((str(as_uuid(i)), "application.submitted") for i in ledger.applications)
    expected.update((str(as_uuid(i)), "application.incomplete") for i in ledger.revised)
    expected.update((str(as_uuid(i)), "payment.recorded") for i in ledger.payments.values())
    stored = await system.rows("applications", "SELECT id FROM training_certificate")
    expected.update((str(as_uuid(row[0])), "certificate.received") for row in stored)
    relevant = {key: audited[key] for key in expected}
    assert relevant == dict(expected)
