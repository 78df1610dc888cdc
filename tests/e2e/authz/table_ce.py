"""The matrix for the CE ledger: courses, providers' reports, self-reports and verification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ce_world import ce_course, ce_self_report, certification, proof, self_report_form
from .matrix import APPLICANT, PROVIDER, STAFF, Entry, Own, Recipe, fixed, route
from .world import Call, Http, World

OWN_PROVIDER = Own(PROVIDER, "the provider's own CE courses and reports")
OWN_LEDGER = Own(APPLICANT, "the certified person's own certification and CE records")
OWN_LEDGERS = Own(APPLICANT, "the certified person's own CE records", listing=True)
P = "/v1/providers/{provider_id}"
CERTIFICATION = "/v1/certifications/{certification_id}/ce-records"
R = "/v1/ce-records/{record_id}"


def on_course(build: Callable[[dict[str, Any], dict[str, Any]], Call]) -> Recipe:
    """A call on provider X's CE course; ``build`` gets the provider and the course."""

    async def recipe(world: World) -> Call:
        provider = world.providers["provider X"]
        call = build(provider, await ce_course(world))
        call.owned = provider["id"]
        return call

    return recipe


async def report_completion(world: World) -> Call:
    """Provider X reports A's completion of its course, under an Idempotency-Key."""
    provider = world.providers["provider X"]
    row = {
        "completion_id": "MATRIX-CE-1",
        "course_id": (await ce_course(world))["id"],
        "certificate_number": (await certification(world))["number"],
        "completed_on": "2026-03-10",
    }
    return Http(
        "POST",
        f"/v1/providers/{provider['id']}/ce-completions",
        json={"completions": [row]},
        headers={"Idempotency-Key": "matrix-ce-1"},
        owned=provider["id"],
    )


def on_certification(build: Callable[[str], Http]) -> Recipe:
    """A call on A's certification (with a self-report in its ledger, to be seen or not)."""

    async def recipe(world: World) -> Call:
        ident = (await certification(world))["id"]
        await ce_self_report(world)
        call = build(ident)
        call.owned = ident
        return call

    return recipe


def on_record(build: Callable[[dict[str, Any]], Http]) -> Recipe:
    """A call on A's self-report, waiting for staff."""

    async def recipe(world: World) -> Call:
        record = await ce_self_report(world)
        call = build(record)
        call.owned = record["id"]
        return call

    return recipe


def decide(action: str, **body: Any) -> Recipe:
    return on_record(
        lambda r: Http(
            "POST",
            f"/v1/ce-records/{r['id']}/{action}",
            json={"expected_version": r["version"], **body},
        )
    )


async def _listed(world: World) -> Call:
    record = await ce_self_report(world)
    return Http(
        "GET",
        "/v1/ce-records",
        params={"certification_id": record["certification_id"]},
        owned=record["id"],
    )


SERVICE: list[Entry] = [
    route(
        "applications",
        f"POST {P}/ce-courses",
        STAFF,
        recipe=on_course(
            lambda p, _: Http(
                "POST",
                f"/v1/providers/{p['id']}/ce-courses",
                json={
                    "name": "Suicide Prevention 2",
                    "hours": "2",
                    "category": "suicide_prevention",
                },
            )
        ),
    ),
    route(
        "applications",
        f"GET {P}/ce-courses",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_course(lambda p, _: Http("GET", f"/v1/providers/{p['id']}/ce-courses")),
    ),
    route(
        "applications",
        f"PATCH {P}/ce-courses/{{course_id}}",
        STAFF,
        recipe=on_course(
            lambda p, c: Http(
                "PATCH",
                f"/v1/providers/{p['id']}/ce-courses/{c['id']}",
                json={"expected_version": c["version"], "active": False},
            )
        ),
    ),
    route(
        "applications",
        f"POST {P}/ce-completions",
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=report_completion,
    ),
    route(
        "applications",
        f"GET {P}/ce-completions",
        STAFF,
        PROVIDER,
        own=OWN_PROVIDER,
        recipe=on_course(lambda p, _: Http("GET", f"/v1/providers/{p['id']}/ce-completions")),
    ),
    route(
        "applications",
        f"POST {CERTIFICATION}",
        APPLICANT,
        own=OWN_LEDGER,
        recipe=on_certification(
            lambda ident: Http(
                "POST",
                f"/v1/certifications/{ident}/ce-records",
                data=self_report_form(),
                files=proof(),
            )
        ),
    ),
    route(
        "applications",
        f"GET {CERTIFICATION}",
        STAFF,
        APPLICANT,
        own=OWN_LEDGER,
        recipe=on_certification(
            lambda ident: Http("GET", f"/v1/certifications/{ident}/ce-records")
        ),
    ),
    route("applications", "GET /v1/ce-records", STAFF, APPLICANT, own=OWN_LEDGERS, recipe=_listed),
    route(
        "applications",
        "GET /v1/ce-records/summary",
        STAFF,
        recipe=fixed(Http("GET", "/v1/ce-records/summary")),
    ),
    route(
        "applications",
        "GET /v1/ce-records/verification-queue",
        STAFF,
        recipe=fixed(Http("GET", "/v1/ce-records/verification-queue")),
    ),
    route("applications", f"POST {R}/accept", STAFF, recipe=decide("accept")),
    route("applications", f"POST {R}/reject", STAFF, recipe=decide("reject", reason="Unsigned.")),
    route(
        "applications",
        f"GET {R}/document",
        STAFF,
        APPLICANT,
        own=OWN_LEDGER,
        recipe=on_record(lambda r: Http("GET", f"/v1/ce-records/{r['id']}/document")),
    ),
]
