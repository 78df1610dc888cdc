"""Every operation is in the authorization matrix, and every caller gets what it says.

An operation the schema or an OpenAPI serves without an entry fails here, and so does an
entry for an operation that is gone. Each entry is then called by every caller of ``CALLERS``
(anonymous, staff, two applicants, two providers, two supervisors, a service): allowed ones
succeed on the owner's objects, another owner gets NOT_FOUND (or a list without them), other
roles FORBIDDEN, anonymous UNAUTHENTICATED, and a refused call changes no row of any table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Route

import applications.config
import applications.main
import exams.config
import exams.main
import gateway.config
import gateway.main
import supervision.config
import supervision.main
from certboard_core.testing.plugin import Minter
from gateway.schema.build import build_schema

from ..conftest import System
from . import (
    table_applications,
    table_ce,
    table_certification,
    table_credential,
    table_discipline,
    table_employer,
    table_exam_attempts,
    table_exam_authorizations,
    table_exam_forms,
    table_me,
    table_operations,
    table_providers,
    table_renewal,
    table_supervision_sessions,
)
from . import table_supervision_agreements as table_supervision
from .matrix import FORBIDDEN, HIDDEN, OK, UNAUTHENTICATED, Entry
from .world import CALLERS, Answer, Call, Graphql, Shared, World

# Every refused call is followed by a fingerprint that reads every row of every table, so the
# tables whose recipes store the most rows (exams: a 120-item form, an approved applicant) come
# last, where few entries read them again.
MATRIX: list[Entry] = [
    *table_applications.GRAPHQL,
    *table_providers.GRAPHQL,
    *table_operations.GRAPHQL,
    *table_applications.SERVICE,
    *table_providers.SERVICE,
    *table_operations.SERVICE_ROUTES,
    *table_certification.GRAPHQL,
    *table_certification.SERVICE_ROUTES,
    *table_ce.GRAPHQL,
    *table_credential.SERVICE,
    *table_credential.GRAPHQL,
    *table_ce.SERVICE,
    *table_supervision.GRAPHQL,
    *table_supervision.SERVICE,
    *table_supervision_sessions.GRAPHQL,
    *table_supervision_sessions.SERVICE_ROUTES,
    *table_exam_authorizations.GRAPHQL,
    *table_exam_authorizations.SERVICE_ROUTES,
    *table_exam_attempts.GRAPHQL,
    *table_exam_attempts.SERVICE_ROUTES,
    *table_exam_forms.GRAPHQL,
    *table_exam_forms.SERVICE,
    *table_me.GRAPHQL,
    *table_me.SERVICE_ROUTES,
    *table_renewal.SERVICE,
    *table_renewal.GRAPHQL,
    *table_discipline.SERVICE_ROUTES,
    *table_discipline.GRAPHQL,
    *table_employer.SERVICE_ROUTES,
    *table_employer.GRAPHQL,
]
SERVICES: dict[str, tuple[type[Any], Callable[..., FastAPI]]] = {
    "applications": (applications.config.Settings, applications.main.create_app),
    "exams": (exams.config.Settings, exams.main.create_app),
    "supervision": (supervision.config.Settings, supervision.main.create_app),
}
STATUS = {UNAUTHENTICATED: 401, FORBIDDEN: 403, "NOT_FOUND": 404}


def graphql_operations() -> set[str]:
    """Every Query and Mutation field of the development schema (test clock and sweep too), and
    every field of ``Me``."""
    schema = build_schema(
        gateway.config.Settings(environment="development", test_clock_enabled=True)
    )
    parsed = graphql.build_schema(schema.as_str())
    # ``me``'s parts each ask their own role, so each has its own row too.
    roots = [parsed.query_type, parsed.mutation_type, parsed.get_type("Me")]
    return {f"{root.name}.{name}" for root in roots if root for name in root.fields}


async def served_routes(app: FastAPI) -> tuple[set[str], set[str]]:
    """``METHOD /path`` of every route in the app's ``/openapi.json`` (read over HTTP), and of
    the framework's routes that OpenAPI leaves out."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://app"
    ) as client:
        response = await client.get("/openapi.json")
    assert response.status_code == 200
    documented = {
        f"{method.upper()} {path}"
        for path, operations in response.json()["paths"].items()
        for method in operations
    }
    hidden = {
        f"GET {route.path}"
        for route in app.routes
        if isinstance(route, Route) and not route.include_in_schema
    }
    return documented, hidden


@pytest.fixture
async def served(tmp_path: Path) -> dict[str, tuple[set[str], set[str]]]:
    """Each process's routes: those OpenAPI documents and the framework's own."""
    apps = {
        name: create(
            settings(environment="test", data_dir=tmp_path, log_json=False), run_background=False
        )
        for name, (settings, create) in SERVICES.items()
    }
    apps["gateway"] = gateway.main.create_app(
        gateway.config.Settings(environment="test", data_dir=tmp_path, log_json=False)
    )
    return {name: await served_routes(app) for name, app in apps.items()}


def test_each_operation_is_in_the_matrix_once() -> None:
    names = [entry.name for entry in MATRIX]
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"entries listed twice: {repeated}"


async def test_every_operation_has_an_entry_and_every_entry_an_operation(served) -> None:
    operations = {f"graphql {name}" for name in graphql_operations()}
    for process, (documented, hidden) in served.items():
        operations |= {f"{process} {op}" for op in documented}
        framework = {f"{process} {op}" for op in hidden}
        listed = {e.name for e in MATRIX if e.process == process and not e.documented}
        # The framework's routes count only where an entry lists them as such.
        assert listed <= framework, f"not served by {process}: {sorted(listed - framework)}"
        operations |= framework
    entries = {entry.name for entry in MATRIX}
    missing = sorted(operations - entries)
    stale = sorted(entries - operations)
    assert not missing, (
        "operations without an entry in the authorization matrix (add each to a "
        f"tests/e2e/authz/table_*.py with its roles and a recipe): {missing}"
    )
    assert not stale, f"entries for operations that no longer exist: {stale}"


def holds_values(data: Any) -> bool:
    """Whether a GraphQL answer shows anything: a refused nullable field leaves only nulls
    (``{"supervision": null}`` under ``me``), which show nothing."""
    if isinstance(data, dict):
        return any(holds_values(value) for value in data.values())
    if isinstance(data, list):
        return any(holds_values(value) for value in data) or data == []
    return data is not None


def judge(entry: Entry, caller: str, call: Call, answer: Answer) -> str | None:
    """What is wrong with ``answer`` for ``caller``, or None."""
    expected = entry.expected(caller)
    listing = entry.own is not None and entry.own.listing
    got = f"{answer.code} ({answer.status}) {answer.text[:300]}"
    if expected == OK or (expected == HIDDEN and listing):
        if answer.code is not None and answer.code not in entry.accepts:
            return f"{caller}: expected success, got {got}"
        if expected == HIDDEN and call.owned and call.owned in answer.text:
            return f"{caller}: the list shows another owner's {call.owned}"
        return None
    code = "NOT_FOUND" if expected == HIDDEN else expected
    graphql_call = isinstance(call, Graphql)
    if answer.code != code or (not graphql_call and answer.status != STATUS[code]):
        return f"{caller}: expected {code}, got {got}"
    if graphql_call and holds_values(answer.data):
        return f"{caller}: refused with data {answer.data}"
    if call.owned and call.owned in answer.text:
        return f"{caller}: the refusal names the owner's {call.owned}"
    return None


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


class FreshWorld(World):
    """A World whose callers are new people (subjects end in ``tag``), so entries sharing one
    system never meet each other's objects (an applicant's one open application, say)."""

    def __init__(self, system: System, mint: Minter, tag: str, shared: Shared) -> None:
        def fresh(role: Any, sub: str, **kwargs: Any) -> str:
            return mint(role, f"{sub}-{tag}", **kwargs)

        super().__init__(system, fresh, shared)
        self.tag = tag

    def subject(self, caller: str) -> str:
        return f"{super().subject(caller)}-{self.tag}"


@pytest.mark.asyncio(loop_scope="module")  # the module's system lives in the module's loop
@pytest.mark.parametrize("entry", MATRIX, ids=lambda entry: entry.name)
async def test_each_caller_gets_what_the_matrix_says(
    entry: Entry, system: System, shared: Shared, mint
) -> None:
    world = FreshWorld(system, mint, uuid.uuid4().hex[:8], shared)
    try:
        await world.start()
        call = await entry.recipe(world)
        # Refusals first, on the object as the recipe made it; each must change nothing.
        refused = [c for c in CALLERS if entry.expected(c) != OK]
        allowed = [c for c in CALLERS if entry.expected(c) == OK]
        faults = []
        state = await world.fingerprint() if refused else {}
        for caller in refused:
            faults.append(
                judge(entry, caller, call, await world.perform(entry.process, call, caller))
            )
            now = await world.fingerprint()
            faults += [f"{caller} changed {change}" for change in changes(state, now)]
            state = now
        for caller in allowed:
            faults.append(
                judge(entry, caller, call, await world.perform(entry.process, call, caller))
            )
    finally:
        await world.close()
    found = [fault for fault in faults if fault]
    assert not found, f"{entry.name}:\n" + "\n".join(found)
