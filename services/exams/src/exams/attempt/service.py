"""Recording an attempt against its authorization, and reading results; services only flush."""

from __future__ import annotations

import uuid
from datetime import timedelta

from certboard_core.audit import record_audit
from certboard_core.errors import InvalidInput, NotFound
from certboard_core.pagination import Page
from certboard_core.versioned import Change, apply_change
from exams.attempt.models import ExamAttempt, ScoreSource
from exams.attempt.repository import AttemptRepository
from exams.attempt.schemas import AttemptCreate
from exams.attempt.scoring import (
    AnswerKey,
    KeyedItem,
    Result,
    check_items,
    passes,
    score_responses,
    vendor_result,
)
from exams.attempt.views import passed_payload, snapshot
from exams.authorization.models import AuthorizationStatus, ExamAuthorization
from exams.context import ActionContext
from exams.errors import AttemptOutsideWindow, FormNotUsable, TransitionNotAllowed
from exams.form.models import FormStatus

# An attempt is recorded only on an authorization still open for one.
OPEN = (AuthorizationStatus.GRANTED, AuthorizationStatus.SCHEDULED)


async def form_key(repository: AttemptRepository, form_id: uuid.UUID) -> AnswerKey | None:
    """The form's answer key, or None if the form has no items."""
    items = await repository.items(form_id)
    if not items:
        return None
    return AnswerKey.of(KeyedItem(i.number, i.domain, i.key) for i in items)


def _open_authorization(authorization: ExamAuthorization | None) -> ExamAuthorization:
    if authorization is None:
        raise NotFound("no such authorization", field="authorization_id")
    if authorization.status is AuthorizationStatus.ATTEMPTED:
        raise TransitionNotAllowed(
            "an attempt is already recorded on this authorization (it is good for one)",
            field="authorization_id",
        )
    if authorization.status not in OPEN:
        raise TransitionNotAllowed(
            f"cannot record an attempt on an authorization that is "
            f"{authorization.status.value.replace('_', ' ')} (only when: granted, scheduled)",
            field="authorization_id",
        )
    return authorization


async def _key_for(
    repository: AttemptRepository, authorization: ExamAuthorization, data: AttemptCreate
) -> tuple[uuid.UUID | None, AnswerKey | None]:
    """The form sat (the body's, else the authorization's) and its key; None if neither names
    one, which only a vendor's score may leave open."""
    if data.form_id and authorization.form_id and data.form_id != authorization.form_id:
        raise FormNotUsable("the authorization names another form", field="form_id")
    form_id = data.form_id or authorization.form_id
    if form_id is None:
        return None, None
    form = await repository.form(form_id)
    if form is None:
        raise FormNotUsable("no such form", field="form_id")
    if form.status is FormStatus.DRAFT:
        raise FormNotUsable("the form is a draft: no one has sat it", field="form_id")
    if form.language != authorization.language:
        raise FormNotUsable(
            f"the form is in {form.language.value}, the authorization in "
            f"{authorization.language.value}",
            field="form_id",
        )
    key = await form_key(repository, form_id)
    if key is None:
        raise FormNotUsable("the form has no items", field="form_id")
    return form_id, key


def _score(data: AttemptCreate, key: AnswerKey | None) -> Result:
    if data.responses is not None:
        if key is None:
            raise FormNotUsable(
                "responses are scored against a form: name form_id", field="form_id"
            )
        check_items(data.responses, key)
        return score_responses(data.responses, key)
    assert data.vendor_score is not None  # the schema requires one of the two
    vendor = data.vendor_score
    return vendor_result(
        vendor.correct,
        vendor.total,
        [d.model_dump() for d in vendor.domains],
        form_domains=key.domain_totals if key else None,
    )


async def record_attempt(ctx: ActionContext, data: AttemptCreate) -> ExamAttempt:
    """Score and store the one attempt of an open authorization, end the authorization, and
    publish a pass; all in the request's transaction."""
    repository = AttemptRepository(ctx.session)
    authorization = _open_authorization(await repository.authorization(data.authorization_id))
    if data.taken_at > ctx.now:
        raise InvalidInput("the attempt cannot be in the future", field="taken_at")
    taken_on = ctx.policy.local_date(data.taken_at)
    if not authorization.granted_on <= taken_on <= authorization.valid_through:
        raise AttemptOutsideWindow(
            f"the attempt's day {taken_on} is outside the authorization's window "
            f"({authorization.granted_on} through {authorization.valid_through})",
            field="taken_at",
        )
    form_id, key = await _key_for(repository, authorization, data)
    result = _score(data, key)
    attempt = ExamAttempt(
        authorization_id=authorization.id,
        application_id=authorization.application_id,
        applicant_id=authorization.applicant_id,
        form_id=form_id,
        source=ScoreSource.RESPONSES if data.responses is not None else ScoreSource.VENDOR,
        taken_at=data.taken_at,
        taken_on=taken_on,
        responses=None
        if data.responses is None
        else {str(n): letter for n, letter in sorted(data.responses.items())},
        correct=result.score.correct,
        total=result.score.total,
        domain_results=result.domain_rows(),
        passed=passes(result.correct, result.total, ctx.policy.pass_mark_percent),
        vendor_reference=data.vendor_score.reference if data.vendor_score else None,
        recorded_by=ctx.actor,
        recorded_at=ctx.now,
        result_notice_due_on=taken_on + timedelta(days=ctx.policy.result_notice_max_days),
    )
    if not await repository.add(attempt):
        raise TransitionNotAllowed(
            "an attempt is already recorded on this authorization (it is good for one)",
            field="authorization_id",
        )
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="attempt.recorded",
        entity_type="exam_attempt",
        entity_id=str(attempt.id),
        before=None,
        after=snapshot(attempt),
        at=ctx.now,
    )
    await apply_change(
        ctx,
        authorization,
        expected_version=authorization.version,
        values={
            "status": AuthorizationStatus.ATTEMPTED,
            "ended_at": data.taken_at,
            "ended_on": taken_on,
            "ended_by": ctx.actor,
        },
        change=Change(action="authorization.attempted", entity_type="exam_authorization"),
        snapshot=lambda a: a.model_dump(mode="json"),
    )
    if attempt.passed:
        await ctx.outbox.publish(
            ctx.session,
            type="exam.passed",
            aggregate_type="exam_attempt",
            aggregate_id=str(attempt.id),
            payload=passed_payload(attempt),
            at=ctx.now,
        )
    return attempt


async def read_attempt(ctx: ActionContext, attempt_id: uuid.UUID) -> ExamAttempt:
    """The attempt, if the caller may read it (another candidate's is NOT_FOUND)."""
    attempt = await AttemptRepository(ctx.session).get_readable(ctx.principal, attempt_id)
    if attempt is None:
        raise NotFound("no such attempt")
    return attempt


async def list_attempts(
    ctx: ActionContext, *, application_id: uuid.UUID | None, after: str | None, limit: int
) -> Page[ExamAttempt]:
    """The attempts the caller may read, oldest first."""
    return await AttemptRepository(ctx.session).page(
        ctx.principal, application_id=application_id, after=after, limit=limit
    )
