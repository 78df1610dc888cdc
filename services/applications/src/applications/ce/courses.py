"""Approved CE courses: staff approve them per provider; a provider reports only its own."""

from __future__ import annotations

import uuid

from applications.ce.hours import as_hours
from applications.ce.models import CeCourse, snapshot
from applications.ce.repository import CeRepository
from applications.ce.schemas import CourseCreate, CoursePublic, CourseUpdate
from applications.context import ActionContext
from applications.provider.service import readable_provider
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict, NotFound
from certboard_core.versioned import Change, apply_change

ENTITY = "ce_course"


def to_public(course: CeCourse) -> CoursePublic:
    """A course as the API shows it: hours as an exact decimal."""
    return CoursePublic(**{**course.model_dump(), "hours": as_hours(course.hours)})


async def create_course(ctx: ActionContext, provider_id: uuid.UUID, data: CourseCreate) -> CeCourse:
    """Approve a CE course of the provider; its name must be new for that provider."""
    provider = await readable_provider(ctx, provider_id)
    course = CeCourse(
        provider_id=provider.id,
        name=data.name.strip(),
        hours=data.hours,
        category=data.category,
        created_at=ctx.now,
    )
    if not await CeRepository(ctx.session).add(course):
        raise Conflict(f"the provider already has a CE course named {data.name!r}", field="name")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="ce_course.created",
        entity_type=ENTITY,
        entity_id=str(course.id),
        before=None,
        after=snapshot(course),
        at=ctx.now,
    )
    return course


async def courses_of(ctx: ActionContext, provider_id: uuid.UUID) -> list[CeCourse]:
    """The CE courses of a provider the caller may read (staff, or that provider), by name."""
    provider = await readable_provider(ctx, provider_id)
    return await CeRepository(ctx.session).courses_of(provider.id)


async def update_course(
    ctx: ActionContext, provider_id: uuid.UUID, course_id: uuid.UUID, data: CourseUpdate
) -> CeCourse:
    """Withdraw a course or approve it again; records already stored stay as they are."""
    provider = await readable_provider(ctx, provider_id)
    course = await CeRepository(ctx.session).course(provider.id, course_id)
    if course is None:
        raise NotFound("no such CE course of this provider", field="course_id")
    return await apply_change(
        ctx,
        course,
        expected_version=data.expected_version,
        values={"active": data.active},
        change=Change("ce_course.updated", ENTITY),
        snapshot=snapshot,
    )
