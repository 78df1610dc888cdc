"""Decisions about exam forms; the request's session commits what these flush.

The key leaves this module only in ``read_key``. Audit records name how many items a change
touched, their domains and how many keys changed, never a key (nor a digest of keys: a short
form's key could be recovered from one by trying every combination).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from certboard_core.audit import record_audit
from certboard_core.errors import NotFound
from certboard_core.pagination import Page
from certboard_core.versioned import Change, apply_change, check_version
from exams.context import ActionContext
from exams.errors import FormEditionExists, FormItemsInvalid
from exams.form.importer import Item, RawRow, check_items, rows_from_file
from exams.form.lifecycle import Move, next_status
from exams.form.models import ExamForm, ExamItem, FormStatus, Language
from exams.form.repository import FormRepository
from exams.form.schemas import DomainCount, FormDetail, FormKey, ItemPublic, KeyedItem

ENTITY = "exam_form"


def _snapshot(form: ExamForm) -> dict[str, Any]:
    return form.model_dump(mode="json")


def domain_counts(items: Sequence[Item | ExamItem]) -> list[DomainCount]:
    """How many items each content domain has, by domain."""
    counts = Counter(item.domain for item in items)
    return [DomainCount(domain=d, items=n) for d, n in sorted(counts.items())]


def _items_summary(
    items: Sequence[Item | ExamItem], *, before: Sequence[ExamItem] = ()
) -> dict[str, Any]:
    """What the audit trail says of a set of items: counts only."""
    summary: dict[str, Any] = {
        "count": len(items),
        "domains": {c.domain: c.items for c in domain_counts(items)},
    }
    if before:
        old = {item.number: item.key for item in before}
        summary["keys_changed"] = sum(1 for item in items if old.get(item.number) != item.key)
    return summary


def checked(ctx: ActionContext, rows: Sequence[RawRow]) -> list[Item]:
    """The rows as items, under the policy's item count and options (every problem at once)."""
    return check_items(
        rows, item_count=ctx.policy.items_per_exam, options=ctx.policy.options_per_item
    )


async def create_form(
    ctx: ActionContext, *, language: Language, edition: str, rows: Sequence[RawRow]
) -> ExamForm:
    """A new draft form of ``rows``; the language's editions are unique."""
    items = checked(ctx, rows)
    form = ExamForm(
        language=language,
        edition=edition.strip(),
        item_count=len(items),
        created_by=ctx.actor,
        created_at=ctx.now,
    )
    if not await FormRepository(ctx.session).add(form, items):
        raise FormEditionExists(
            f"the {language.value} form {form.edition!r} exists already", field="edition"
        )
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="exam_form.created",
        entity_type=ENTITY,
        entity_id=str(form.id),
        before=None,
        after={**_snapshot(form), "items": _items_summary(items)},
        at=ctx.now,
    )
    return form


async def existing_form(ctx: ActionContext, form_id: uuid.UUID) -> ExamForm:
    """The form, or NOT_FOUND."""
    form = await FormRepository(ctx.session).get(form_id)
    if form is None:
        raise NotFound("no such exam form", field="form_id")
    return form


async def list_forms(
    ctx: ActionContext,
    *,
    language: Language | None,
    status: FormStatus | None,
    after: str | None,
    limit: int,
) -> Page[ExamForm]:
    """A page of forms, oldest first."""
    return await FormRepository(ctx.session).page(
        language=language, status=status, after=after, limit=limit
    )


async def read_form(ctx: ActionContext, form_id: uuid.UUID) -> FormDetail:
    """The form with its items' numbers and domains, without keys."""
    form = await existing_form(ctx, form_id)
    items = await FormRepository(ctx.session).items_of(form.id)
    return FormDetail(
        **form.model_dump(),
        domains=domain_counts(items),
        items=[ItemPublic(number=i.number, domain=i.domain) for i in items],
    )


async def read_key(ctx: ActionContext, form_id: uuid.UUID) -> FormKey:
    """The form's key; each read is audited (who read it, when), never what it said."""
    form = await existing_form(ctx, form_id)
    items = await FormRepository(ctx.session).items_of(form.id)
    await record_audit(
        ctx.session,
        actor=ctx.actor,
        action="exam_form.key_read",
        entity_type=ENTITY,
        entity_id=str(form.id),
        before=None,
        after={"version": form.version, "status": form.status.value},
        at=ctx.now,
    )
    return FormKey(
        form_id=form.id,
        language=form.language,
        edition=form.edition,
        status=form.status,
        version=form.version,
        items=[KeyedItem(number=i.number, domain=i.domain, key=i.key) for i in items],
    )


async def replace_items(
    ctx: ActionContext, form_id: uuid.UUID, *, expected_version: int, rows: Sequence[RawRow]
) -> ExamForm:
    """Put new items in place of a draft's; a live or retired form is refused."""
    form = await existing_form(ctx, form_id)
    check_version(form, expected_version, what="exam form")
    next_status(form.status, Move.EDIT)
    items = checked(ctx, rows)
    repository = FormRepository(ctx.session)
    before = await repository.items_of(form.id)
    # The audit snapshots differ only in the items: each version's summary, by version.
    summaries = {
        expected_version: _items_summary(before),
        expected_version + 1: _items_summary(items, before=before),
    }
    form = await apply_change(
        ctx,
        form,
        expected_version=expected_version,
        values={"item_count": len(items)},
        change=Change("exam_form.items_replaced", ENTITY),
        snapshot=lambda f: {**_snapshot(f), "items": summaries[f.version]},
    )
    await repository.replace_items(form.id, items)
    return form


async def move_form(
    ctx: ActionContext, form_id: uuid.UUID, move: Move, *, expected_version: int
) -> ExamForm:
    """Publish a draft or retire a form (no event: no other service reads forms)."""
    form = await existing_form(ctx, form_id)
    check_version(form, expected_version, what="exam form")
    status = next_status(form.status, move)
    if move is Move.PUBLISH and form.item_count != ctx.policy.items_per_exam:
        # The policy changed since the draft was made: every candidate sits the same length.
        raise FormItemsInvalid(
            f"the form has {form.item_count} items and the policy asks for "
            f"{ctx.policy.items_per_exam}; replace its items first",
            field="items",
        )
    stamp = {"published_at": ctx.now} if move is Move.PUBLISH else {"retired_at": ctx.now}
    return await apply_change(
        ctx,
        form,
        expected_version=expected_version,
        values={"status": status, **stamp},
        change=Change(f"exam_form.{status.value}", ENTITY),
        snapshot=_snapshot,
    )


async def import_form(
    ctx: ActionContext,
    *,
    language: Language,
    edition: str,
    raw: bytes,
    filename: str | None,
    content_type: str | None,
) -> ExamForm:
    """A new draft form from a JSON or CSV file; nothing is stored if any line is bad."""
    rows = rows_from_file(raw, filename=filename, content_type=content_type)
    return await create_form(ctx, language=language, edition=edition, rows=rows)
