"""Item analysis of a form, and a key correction that rescores every attempt it touches.

The key is staff-only: the audit of a correction names the item and the reason, never a letter,
and no answer or event here carries one.
"""

from __future__ import annotations

import uuid
from typing import Any

from certboard_core.errors import NotFound
from certboard_core.versioned import Change, apply_change, check_version
from exams.attempt.analysis import analyse, fixed
from exams.attempt.models import ExamAttempt, ResultChange
from exams.attempt.repository import AttemptRepository
from exams.attempt.schemas import (
    ItemAnalysisPublic,
    ItemStatisticsPublic,
    KeyCorrected,
    KeyCorrection,
)
from exams.attempt.scoring import AnswerKey, KeyedItem, Result, marks, passes, score_responses
from exams.attempt.views import passed_payload, snapshot
from exams.context import ActionContext
from exams.errors import KeyUnchanged, TransitionNotAllowed
from exams.form.models import ExamForm, ExamItem, FormStatus


async def _form(repository: AttemptRepository, form_id: uuid.UUID) -> ExamForm:
    form = await repository.form(form_id)
    if form is None:
        raise NotFound("no such form")
    return form


async def item_analysis(ctx: ActionContext, form_id: uuid.UUID) -> ItemAnalysisPublic:
    """p, corrected point-biserial and flags per item, and KR-20, over the form's attempts
    scored from responses (a vendor's score has no items to analyse)."""
    repository = AttemptRepository(ctx.session)
    await _form(repository, form_id)
    items = await repository.items(form_id)
    key = AnswerKey.of(KeyedItem(i.number, i.domain, i.key) for i in items) if items else None
    rows = []
    if key is not None:
        for stored in await repository.responses_of(form_id):
            rows.append(marks({int(n): letter for n, letter in stored.items()}, key))
    stats = analyse(rows, len(items))
    return ItemAnalysisPublic(
        form_id=form_id,
        attempts=stats.attempts,
        items=[
            ItemStatisticsPublic(
                number=item.number,
                domain=item.domain,
                correct=s.correct,
                p=None if s.p is None else fixed(s.p),
                point_biserial=None if s.point_biserial is None else s.point_biserial.text(),
                flags=[f.value for f in s.flags],
            )
            for item, s in zip(items, stats.items, strict=True)
        ],
        kr20=None if stats.kr20 is None else fixed(stats.kr20),
        flags=[f.value for f in stats.flags],
    )


def _changed_payload(
    attempt: ExamAttempt, *, correct: int, passed: bool, reason: str
) -> dict[str, Any]:
    """The "exam.result_changed" event: applications records and mails a notice."""
    return {
        "attempt_id": str(attempt.id),
        "application_id": str(attempt.application_id),
        "applicant_id": attempt.applicant_id,
        "previous_passed": attempt.passed,
        "passed": passed,
        "previous_correct": attempt.correct,
        "correct": correct,
        "total": attempt.total,
        "reason": reason,
    }


async def _rescore(
    ctx: ActionContext, attempt: ExamAttempt, result: Result, reason: str
) -> tuple[bool, bool]:
    """Write one attempt's new result; whether its score, and its outcome, changed."""
    if result.score.correct == attempt.correct:
        return False, False
    passed = passes(result.correct, result.total, ctx.policy.pass_mark_percent)
    was_passed = attempt.passed
    payload = _changed_payload(attempt, correct=result.score.correct, passed=passed, reason=reason)
    await AttemptRepository(ctx.session).add_change(
        ResultChange(
            attempt_id=attempt.id,
            reason=reason,
            previous_correct=attempt.correct,
            correct=result.score.correct,
            previous_passed=attempt.passed,
            passed=passed,
            changed_by=ctx.actor,
            changed_at=ctx.now,
        )
    )
    values = {
        "correct": result.score.correct,
        "domain_results": result.domain_rows(),
        "passed": passed,
    }
    await apply_change(
        ctx,
        attempt,
        expected_version=attempt.version,
        values=values,
        change=Change(
            action="attempt.rescored",
            entity_type="exam_attempt",
            event_type="exam.result_changed" if passed != was_passed else None,
            event_payload=payload,
        ),
        snapshot=snapshot,
    )
    if passed and not was_passed:
        await ctx.outbox.publish(
            ctx.session,
            type="exam.passed",
            aggregate_type="exam_attempt",
            aggregate_id=str(attempt.id),
            payload=passed_payload(attempt),
            at=ctx.now,
        )
    return True, passed != was_passed


def _corrected(items: list[ExamItem], number: int, key: str) -> AnswerKey:
    return AnswerKey.of(
        KeyedItem(i.number, i.domain, key if i.number == number else i.key) for i in items
    )


async def correct_key(
    ctx: ActionContext, form_id: uuid.UUID, number: int, data: KeyCorrection
) -> KeyCorrected:
    """Change one item's key on a form in use and rescore every attempt scored on it."""
    repository = AttemptRepository(ctx.session)
    form = await _form(repository, form_id)
    if form.status is FormStatus.DRAFT:
        raise TransitionNotAllowed(
            "a draft form is edited, not corrected (only when: live, retired)", field="status"
        )
    check_version(form, data.expected_version, what="exam form")
    items = list(await repository.items(form_id))
    item = next((i for i in items if i.number == number), None)
    if item is None:
        raise NotFound(f"the form has no item {number}", field="item_number")
    if item.key.upper() == data.key:
        raise KeyUnchanged("the item already has that key", field="key")
    note = {"item_number": number, "domain": item.domain, "reason": data.reason}
    await apply_change(
        ctx,
        form,
        expected_version=data.expected_version,
        values={},
        change=Change(action="form.key_corrected", entity_type="exam_form"),
        # After the change the record names what was corrected and why; never the letters.
        snapshot=lambda f: {
            **f.model_dump(mode="json"),
            **({"key_correction": note} if f.version > data.expected_version else {}),
        },
    )
    key = _corrected(items, number, data.key)
    await repository.set_key(form_id, number, data.key)
    rescored = changed = outcome_changed = 0
    for attempt in await repository.scored_from_responses(form_id):
        responses = {int(n): letter for n, letter in (attempt.responses or {}).items()}
        did_change, did_flip = await _rescore(
            ctx, attempt, score_responses(responses, key), data.reason
        )
        rescored += 1
        changed += did_change
        outcome_changed += did_flip
    return KeyCorrected(
        form_id=form_id,
        item_number=number,
        form_version=form.version,
        rescored=rescored,
        changed=changed,
        outcome_changed=outcome_changed,
    )
