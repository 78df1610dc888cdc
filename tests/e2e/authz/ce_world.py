"""What the CE ledger's entries ask of a World: a CE course of a provider and a certified
person's self-report, made once per World through the services' real APIs."""

from __future__ import annotations

from typing import Any

from certboard_core.testing.plugin import T0

from ..helpers import PDF
from .world import Http, World


def _made(world: World) -> dict[str, dict[str, Any]]:
    made: dict[str, dict[str, Any]] = world.__dict__.setdefault("_ce_made", {})
    return made


async def ce_course(world: World, provider: str = "provider X") -> dict[str, Any]:
    """A 6-hour law and ethics CE course staff approved for ``provider``."""
    key = f"course {provider}"
    if key not in _made(world):
        path = f"/v1/providers/{world.providers[provider]['id']}/ce-courses"
        body = {"name": "Ethics and Boundaries", "hours": "6", "category": "law_and_ethics"}
        answer = await world.service_call(
            "applications", Http("POST", path, json=body), world.tokens["staff"]
        )
        assert answer.status_code == 201, answer.text
        _made(world)[key] = answer.json()
    return _made(world)[key]


def self_report_form() -> dict[str, str]:
    """A completion on the day of certification (the Worlds' clocks stand at T0)."""
    return {
        "course_title": "Trauma-informed support",
        "provider_name": "State Peer Network",
        "hours": "1.5",
        "category": "general",
        "completed_on": T0.date().isoformat(),
    }


def proof() -> dict[str, tuple[str, bytes, str]]:
    return {"document": ("certificate.pdf", PDF, "application/pdf")}


async def certification(world: World, who: str = "applicant A") -> dict[str, Any]:
    """``who``'s certification (approved, then certified by a pass): its id and number."""
    # Asked once per World: ``World.certified`` would try to approve a certified one again.
    key = f"certification {who}"
    if key not in _made(world):
        _made(world)[key] = (await world.certified(who))["certification"]
    return _made(world)[key]


async def ce_self_report(world: World, who: str = "applicant A") -> dict[str, Any]:
    """``who``'s self-reported completion, waiting for staff."""
    key = f"self-report {who}"
    if key not in _made(world):
        path = f"/v1/certifications/{(await certification(world, who))['id']}/ce-records"
        answer = await world.service_call(
            "applications",
            Http("POST", path, data=self_report_form(), files=proof()),
            world.tokens[who],
        )
        assert answer.status_code == 201, answer.text
        _made(world)[key] = answer.json()
    return _made(world)[key]
