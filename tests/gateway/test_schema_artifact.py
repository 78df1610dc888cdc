"""The schema as others see it: the committed SDL, and enums that match the services' OpenAPI."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
import strawberry
from fastapi import FastAPI

import applications.config
import applications.main
import exams.config
import exams.main
import supervision.config
import supervision.main
from gateway.config import Settings
from gateway.schema.build import build_schema
from gateway.sdl import development_sdl

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"

SERVICES: dict[str, tuple[type[Any], Callable[..., FastAPI]]] = {
    "applications": (applications.config.Settings, applications.main.create_app),
    "exams": (exams.config.Settings, exams.main.create_app),
    "supervision": (supervision.config.Settings, supervision.main.create_app),
}

# Each GraphQL enum, and the service and OpenAPI schema whose values it repeats.
SERVICE_ENUMS = {
    "ApplicationStatus": ("applications", "ApplicationStatus"),
    "LivedExperience": ("applications", "LivedExperience"),
    "BackgroundCheck": ("applications", "BackgroundCheck"),
    "RevisionItem": ("applications", "RevisionItem"),
    "DocumentKind": ("applications", "DocumentKind"),
    "NotificationReason": ("applications", "NotificationReason"),
    "FeeKind": ("applications", "FeeKind"),
    "WorkQueue": ("applications", "QueueName"),
    "ProviderStatus": ("applications", "ProviderStatus"),
    "CertificateStatus": ("applications", "CertificateStatus"),
    "UploadOutcome": ("applications", "Outcome"),
    "CertificationStatus": ("applications", "CertificationStatus"),
    "CeCategory": ("applications", "CeCategory"),
    "RenewalFee": ("applications", "RenewalFee"),
    "RenewalKind": ("applications", "RenewalKind"),
    "AuditStatus": ("applications", "AuditStatus"),
    "AuditOutcome": ("applications", "AuditOutcome"),
    "ComplaintStatus": ("applications", "ComplaintStatus"),
    "DisciplineOutcome": ("applications", "DisciplineOutcome"),
    "EmployerAlertKind": ("applications", "AlertKind"),
    "CeRecordStatus": ("applications", "CeRecordStatus"),
    "CeSource": ("applications", "CeSource"),
    "CeOutcome": ("applications", "CeOutcome"),
    "ExamLanguage": ("exams", "Language"),
    "ExamFormStatus": ("exams", "FormStatus"),
    "AuthorizationStatus": ("exams", "AuthorizationStatus"),
    "DeliveryMode": ("exams", "DeliveryMode"),
    "ExamRequestKind": ("exams", "RequestKind"),
    "AccommodationStatus": ("exams", "AccommodationStatus"),
    "SupervisorVerification": ("supervision", "Verification"),
    "VerificationDecision": ("supervision", "Decision"),
    "AgreementStatus": ("supervision", "AgreementStatus"),
    "AmendmentKind": ("supervision", "AmendmentKind"),
    "HoursPeriod": ("supervision", "HoursPeriod"),
    "SessionFormat": ("supervision", "SessionFormat"),
    "SessionTopic": ("supervision", "Topic"),
}


# Enums the service uses but its OpenAPI does not publish yet, and why.
def test_schema_graphql_is_the_code_s_schema() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    generated = development_sdl()
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            generated.splitlines(keepends=True),
            "schema.graphql (committed)",
            "the gateway's schema (code)",
            n=1,
        )
    )
    assert committed == generated, f"schema.graphql is out of date: run `make schema`\n{diff}"


def _gateway_enums() -> dict[str, list[str]]:
    schema = build_schema(Settings(environment="development", test_clock_enabled=True))
    names = [
        name
        for name, kind in graphql.build_schema(schema.as_str()).type_map.items()
        if isinstance(kind, graphql.GraphQLEnumType) and not name.startswith("__")
    ]
    enums: dict[str, list[str]] = {}
    for name in names:
        definition = schema.get_type_by_name(name)
        assert isinstance(definition, strawberry.types.enum.StrawberryEnumDefinition)
        enums[name] = [v.value for v in definition.values]
    return enums


@pytest.fixture
async def openapi(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """Each service's ``/openapi.json``, read over HTTP from its ASGI app."""
    specs: dict[str, dict[str, Any]] = {}
    for name, (settings_class, create) in SERVICES.items():
        settings = settings_class(environment="test", data_dir=tmp_path, log_json=False)
        app = create(settings, run_background=False)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=f"http://{name}"
        ) as client:
            response = await client.get("/openapi.json")
            assert response.status_code == 200
            specs[name] = response.json()
    return specs


def test_every_gateway_enum_names_its_service_enum() -> None:
    unmapped = sorted(set(_gateway_enums()) - set(SERVICE_ENUMS))
    assert not unmapped, (
        f"GraphQL enums {unmapped} repeat no service enum: add each to SERVICE_ENUMS with the "
        "service and OpenAPI schema it mirrors"
    )


async def test_gateway_enums_have_exactly_the_service_values(openapi) -> None:
    faults = []
    for name, values in _gateway_enums().items():
        service, schema_name = SERVICE_ENUMS[name]
        published = openapi[service]["components"]["schemas"].get(schema_name)
        if published is None:
            faults.append(f"{name}: {service} publishes no schema {schema_name}")
            continue
        missing = [v for v in published["enum"] if v not in values]
        extra = [v for v in values if v not in published["enum"]]
        if missing or extra:
            faults.append(
                f"{name} (gateway) vs {service} {schema_name}: "
                f"missing in the gateway {missing}, not in the service {extra}"
            )
    assert not faults, "\n".join(faults)
