"""HTTP endpoints of employer alerts: the employer's profile, enrolments and alerts, and the
followers of a certification for its holder and staff."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from applications.certification.views import standing_of
from applications.config import Settings
from applications.deps import READERS, Context, SettingsDep
from applications.employer import service
from applications.employer.models import Employer, Enrolment
from applications.employer.repository import EmployerRepository
from applications.employer.schemas import (
    AlertPage,
    AlertPublic,
    EmployerCreate,
    EmployerCreated,
    EmployerPublic,
    EmployerUpdate,
    EnrolmentPage,
    EnrolmentPublic,
    EnrolmentRequest,
    FollowerPublic,
    SecretRotation,
)
from applications.provider.router import REFUSED_INPUT
from certboard_core.auth import CurrentPrincipal, Role, require_roles
from certboard_core.errors import AUTHENTICATED, InvalidInput, NotFound, error_responses
from certboard_core.ratelimit import LimitClass, limiter_of
from certboard_core.settings import Environment
from certboard_core.versioned import VersionConflict

router = APIRouter(prefix="/v1/employer", tags=["employer alerts"])
followers_router = APIRouter(tags=["employer alerts"])
EMPLOYER_ONLY = [Depends(require_roles(Role.EMPLOYER))]


async def per_employer(request: Request, principal: CurrentPrincipal) -> None:
    """Count an enrolment against its employer's public limit, as verification counts a
    lookup: a number and a last name are what it checks, so guessing meets 429s. Per
    account, not per address: through the gateway every caller has the gateway's address."""
    await limiter_of(request).hit(LimitClass.PUBLIC, f"employer:{principal.subject}")


PER_EMPLOYER = Depends(per_employer)
Limit = Annotated[int, Query(ge=1, le=200)]
After = Annotated[str | None, Query(description="cursor from the previous page")]


def _loopback_allowed(settings: Settings) -> bool:
    # Development and tests receive webhooks on this machine; production never calls itself.
    return settings.environment is not Environment.PRODUCTION


def _public(employer: Employer) -> EmployerPublic:
    return EmployerPublic.model_validate(employer, from_attributes=True)


@router.post(
    "/profile",
    status_code=status.HTTP_201_CREATED,
    dependencies=EMPLOYER_ONLY,
    responses=error_responses(*AUTHENTICATED, service.EmployerExists, *REFUSED_INPUT),
)
async def create_profile(
    body: EmployerCreate, ctx: Context, settings: SettingsDep
) -> EmployerCreated:
    """Employer: say who you are and where alerts go; the webhook signing secret is shown
    only here."""
    employer = await service.create_profile(ctx, body, allow_loopback=_loopback_allowed(settings))
    return EmployerCreated.model_validate(employer, from_attributes=True)


@router.get(
    "/profile", dependencies=EMPLOYER_ONLY, responses=error_responses(*AUTHENTICATED, NotFound)
)
async def read_profile(ctx: Context) -> EmployerPublic:
    """Employer: your profile."""
    return _public(await service.profile(ctx))


@router.patch(
    "/profile",
    dependencies=EMPLOYER_ONLY,
    responses=error_responses(*AUTHENTICATED, NotFound, VersionConflict, *REFUSED_INPUT),
)
async def update_profile(
    body: EmployerUpdate, ctx: Context, settings: SettingsDep
) -> EmployerPublic:
    """Employer: change your name, alert email or webhook URL."""
    employer = await service.update_profile(ctx, body, allow_loopback=_loopback_allowed(settings))
    return _public(employer)


@router.post(
    "/profile/webhook-secret",
    dependencies=EMPLOYER_ONLY,
    responses=error_responses(*AUTHENTICATED, NotFound, VersionConflict),
)
async def rotate_webhook_secret(body: SecretRotation, ctx: Context) -> EmployerCreated:
    """Employer: a new webhook signing secret, shown only here; the old one stops at once."""
    employer = await service.rotate_secret(ctx, body.expected_version)
    return EmployerCreated.model_validate(employer, from_attributes=True)


async def _enrolments(ctx: Context, rows: list[Enrolment]) -> list[EnrolmentPublic]:
    certifications = await EmployerRepository(ctx.session).certifications(
        [e.certification_id for e in rows]
    )
    return [
        EnrolmentPublic(
            id=e.id,
            certification_id=e.certification_id,
            certificate_number=c.number,
            holder_name=c.holder_name,
            status=standing_of(c.model_dump(), ctx.today, ctx.policy).status,
            valid_through=c.valid_through,
            enrolled_at=e.enrolled_at,
        )
        for e in rows
        for c in (certifications[e.certification_id],)
    ]


@router.post(
    "/enrolments",
    status_code=status.HTTP_201_CREATED,
    dependencies=[*EMPLOYER_ONLY, PER_EMPLOYER],
    responses=error_responses(
        *AUTHENTICATED,
        service.CertificationNotMatched,
        service.AlreadyEnrolled,
        service.EmployerProfileMissing,
    ),
)
async def enrol(body: EnrolmentRequest, ctx: Context) -> EnrolmentPublic:
    """Employer: follow a certification, by its number and the holder's last name; an unknown
    number and a wrong name get the same refusal."""
    [enrolment] = await _enrolments(ctx, [await service.enrol(ctx, body)])
    return enrolment


@router.get(
    "/enrolments",
    dependencies=EMPLOYER_ONLY,
    responses=error_responses(*AUTHENTICATED, InvalidInput),
)
async def list_enrolments(ctx: Context, after: After = None, limit: Limit = 50) -> EnrolmentPage:
    """Employer: the certifications you follow, oldest enrolment first."""
    employer = await service.profile_or_none(ctx)
    if employer is None:
        return EnrolmentPage(items=[], next_cursor=None)
    page = await EmployerRepository(ctx.session).enrolments(employer.id, after=after, limit=limit)
    return EnrolmentPage(items=await _enrolments(ctx, page.items), next_cursor=page.next_cursor)


@router.delete(
    "/enrolments/{enrolment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=EMPLOYER_ONLY,
    responses=error_responses(*AUTHENTICATED, NotFound),
)
async def unenrol(enrolment_id: uuid.UUID, ctx: Context) -> Response:
    """Employer: stop following a certification (its past alerts stay listed)."""
    await service.unenrol(ctx, enrolment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/alerts",
    dependencies=EMPLOYER_ONLY,
    responses=error_responses(*AUTHENTICATED, InvalidInput),
)
async def list_alerts(ctx: Context, after: After = None, limit: Limit = 50) -> AlertPage:
    """Employer: what you were told, newest first."""
    employer = await service.profile_or_none(ctx)
    if employer is None:
        return AlertPage(items=[], next_cursor=None)
    page = await EmployerRepository(ctx.session).alerts(employer.id, after=after, limit=limit)
    items = [
        AlertPublic.model_validate(a.model_dump() | {"certificate_number": a.number})
        for a in page.items
    ]
    return AlertPage(items=items, next_cursor=page.next_cursor)


@followers_router.get(
    "/v1/certifications/{certification_id}/followers",
    dependencies=READERS,
    responses=error_responses(*AUTHENTICATED, NotFound),
)
async def followers(certification_id: uuid.UUID, ctx: Context) -> list[FollowerPublic]:
    """The employers following a certification, and since when: its holder's, or staff's."""
    found = await service.followers(ctx, certification_id)
    return [FollowerPublic(organisation=f.organisation, since=f.since) for f in found]
