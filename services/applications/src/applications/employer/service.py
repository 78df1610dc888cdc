"""Employers' profiles and enrolments: an employer enrols a certification by its number and
the holder's last name, and may leave it; each step audited."""

from __future__ import annotations

import uuid

from applications.certification import numbers
from applications.certification.repository import CertificationRepository
from applications.context import ActionContext
from applications.employer import rules
from applications.employer.models import Employer, Enrolment, snapshot
from applications.employer.repository import EmployerRepository, Follower
from applications.employer.schemas import EmployerCreate, EmployerUpdate, EnrolmentRequest
from applications.provider.webhooks import new_secret, optional_webhook_url, webhook_changes
from certboard_core.audit import record_audit
from certboard_core.errors import Conflict, NotFound
from certboard_core.versioned import Change, apply_change, check_version


class EmployerExists(Conflict):
    code = "EMPLOYER_EXISTS"


class EmployerProfileMissing(Conflict):
    """An employer must say who it is and where alerts go before it enrols anyone."""

    code = "EMPLOYER_PROFILE_MISSING"


class CertificationNotMatched(NotFound):
    """No certification has this number with this last name. One answer whether the number
    is unknown or the name wrong, so enrolment cannot be used to find valid numbers."""

    code = "CERTIFICATION_NOT_MATCHED"


class AlreadyEnrolled(Conflict):
    code = "ALREADY_ENROLLED"


async def profile_or_none(ctx: ActionContext) -> Employer | None:
    """The caller's own profile, if it made one (an employer without one lists nothing)."""
    return await EmployerRepository(ctx.session).by_subject(ctx.principal.subject)


async def profile(ctx: ActionContext) -> Employer:
    """The caller's own profile."""
    found = await profile_or_none(ctx)
    if found is None:
        raise NotFound("no employer profile yet: create one first", field="employer")
    return found


async def _enrolling(ctx: ActionContext) -> Employer:
    found = await profile_or_none(ctx)
    if found is None:
        raise EmployerProfileMissing(
            "create the employer profile (name and alert email) before enrolling",
            field="employer",
        )
    return found


async def create_profile(
    ctx: ActionContext, data: EmployerCreate, *, allow_loopback: bool
) -> Employer:
    """The caller's profile, with a new webhook signing secret (shown once)."""
    url = await optional_webhook_url(data.webhook_url, allow_loopback=allow_loopback)
    employer = Employer(
        subject=ctx.principal.subject,
        organisation=data.organisation.strip(),
        alert_email=str(data.alert_email),
        webhook_url=url,
        webhook_secret=new_secret(),
        created_at=ctx.now,
    )
    if not await EmployerRepository(ctx.session).add(employer):
        raise EmployerExists("this account has an employer profile already", field="employer")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="employer.created",
        entity_type="employer",
        entity_id=str(employer.id),
        before=None,
        after=snapshot(employer),
        at=ctx.now,
    )
    return employer


async def update_profile(
    ctx: ActionContext, data: EmployerUpdate, *, allow_loopback: bool
) -> Employer:
    """Change the caller's name, alert email or webhook URL."""
    # The URL check may look its host up: before the first read, which opens the write
    # transaction that no network wait may hold open.
    webhook = await webhook_changes(
        data.webhook_url, data.clear_webhook, allow_loopback=allow_loopback
    )
    employer = await profile(ctx)
    check_version(employer, data.expected_version, what="employer profile")
    values: dict[str, object] = {}
    if data.organisation is not None:
        values["organisation"] = data.organisation.strip()
    if data.alert_email is not None:
        values["alert_email"] = str(data.alert_email)
    values.update(webhook)
    return await apply_change(
        ctx,
        employer,
        expected_version=data.expected_version,
        values=values,
        change=Change("employer.updated", "employer"),
        snapshot=snapshot,
    )


async def rotate_secret(ctx: ActionContext, expected_version: int) -> Employer:
    """A new webhook signing secret for the caller, shown once; the old one stops at once."""
    employer = await profile(ctx)
    return await apply_change(
        ctx,
        employer,
        expected_version=expected_version,
        values={"webhook_secret": new_secret()},
        change=Change("employer.webhook_secret_rotated", "employer"),
        snapshot=snapshot,
    )


async def enrol(ctx: ActionContext, data: EnrolmentRequest) -> Enrolment:
    """Follow the certification under the number, if the last name is its holder's."""
    employer = await _enrolling(ctx)
    repository = EmployerRepository(ctx.session)
    number = numbers.normalise(data.certificate_number)
    holder = await repository.holder(number) if number is not None else None
    if holder is None or not rules.same_last_name(data.last_name, holder.last_name_key):
        raise CertificationNotMatched(
            "no certification has this number and last name", field="certificate_number"
        )
    enrolment = Enrolment(
        employer_id=employer.id,
        certification_id=holder.certification_id,
        enrolled_at=ctx.now,
        enrolled_by=ctx.actor,
    )
    if not await repository.add(enrolment):
        raise AlreadyEnrolled("this certification is enrolled already", field="certificate_number")
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="employer.enrolled",
        entity_type="employer_enrolment",
        entity_id=str(enrolment.id),
        before=None,
        after=snapshot(enrolment),
        at=ctx.now,
    )
    return enrolment


async def own_enrolment(ctx: ActionContext, enrolment_id: uuid.UUID) -> Enrolment:
    """One of the caller's enrolments; another employer's is as unknown as none."""
    employer = await profile(ctx)
    found = await EmployerRepository(ctx.session).enrolment(employer.id, enrolment_id)
    if found is None:
        raise NotFound("no such enrolment", field="enrolment_id")
    return found


async def unenrol(ctx: ActionContext, enrolment_id: uuid.UUID) -> None:
    """Stop following a certification; the alerts already sent stay listed."""
    enrolment = await own_enrolment(ctx, enrolment_id)
    await EmployerRepository(ctx.session).remove(enrolment)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="employer.unenrolled",
        entity_type="employer_enrolment",
        entity_id=str(enrolment.id),
        before=snapshot(enrolment),
        after=None,
        at=ctx.now,
    )


async def followers(ctx: ActionContext, certification_id: uuid.UUID) -> list[Follower]:
    """The employers following a certification, for its holder or staff."""
    certification = await CertificationRepository(ctx.session).readable(
        ctx.principal, certification_id
    )
    if certification is None:
        raise NotFound("no such certification", field="certification_id")
    return await EmployerRepository(ctx.session).followers(certification.id)
