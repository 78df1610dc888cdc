"""HTTP endpoints of exam forms: staff only; the key is answered by ``/key`` alone."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status

from certboard_core.db import writes_on_read
from certboard_core.errors import (
    AUTHENTICATED,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    error_responses,
)
from certboard_core.versioned import VersionConflict
from exams.deps import STAFF_ONLY, Context
from exams.errors import FormEditionExists, FormItemsInvalid, TransitionNotAllowed
from exams.form import service
from exams.form.importer import rows_from_body
from exams.form.lifecycle import Move
from exams.form.models import ExamForm, FormStatus, Language
from exams.form.schemas import (
    FormCreate,
    FormDetail,
    FormKey,
    FormPage,
    FormPublic,
    ItemsReplace,
    StatusChange,
)

router = APIRouter(
    prefix="/v1/exam-forms",
    tags=["exam forms"],
    dependencies=STAFF_ONLY,
    responses=error_responses(*AUTHENTICATED),
)
# A route's own 422 entry replaces the router's: name the malformed-payload code again.
ITEMS_REFUSED = (ValidationFailed, FormItemsInvalid)
MOVE_ERRORS = (NotFound, VersionConflict, TransitionNotAllowed)
# A form of 2,000 lines is well under this; anything bigger is not a form.
MAX_FILE_BYTES = 256 * 1024
After = Annotated[str | None, Query(description="cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=200)]


def _public(form: ExamForm) -> FormPublic:
    return FormPublic(**form.model_dump())


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(FormEditionExists, *ITEMS_REFUSED),
)
async def create_form(body: FormCreate, ctx: Context) -> FormPublic:
    """Create a draft form with its items (every problem with the items listed at once)."""
    rows = rows_from_body(item.model_dump() for item in body.items)
    form = await service.create_form(ctx, language=body.language, edition=body.edition, rows=rows)
    return _public(form)


@router.post(
    "/import",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        FormEditionExists, PayloadTooLarge, UnsupportedMediaType, *ITEMS_REFUSED
    ),
)
async def import_form(
    ctx: Context,
    language: Annotated[Language, Form()],
    edition: Annotated[str, Form(min_length=1, max_length=50)],
    file: Annotated[
        UploadFile,
        File(description="JSON (a list of {number, domain, key}) or CSV (number,domain,key)"),
    ],
) -> FormPublic:
    """Create a draft form from a file; each bad line is named with its field, and nothing
    is stored unless every line is good."""
    raw = await file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise PayloadTooLarge(f"the file is over {MAX_FILE_BYTES} bytes", field="file")
    form = await service.import_form(
        ctx,
        language=language,
        edition=edition,
        raw=raw,
        filename=file.filename,
        content_type=file.content_type,
    )
    return _public(form)


@router.get("", responses=error_responses(ValidationFailed, InvalidInput))
async def list_forms(
    ctx: Context,
    language: Language | None = None,
    form_status: Annotated[FormStatus | None, Query(alias="status")] = None,
    after: After = None,
    limit: Limit = 50,
) -> FormPage:
    """Forms, oldest first, of one language or status if asked (no items, no keys)."""
    page = await service.list_forms(
        ctx, language=language, status=form_status, after=after, limit=limit
    )
    return FormPage(items=[_public(f) for f in page.items], next_cursor=page.next_cursor)


@router.get("/{form_id:uuid}", responses=error_responses(NotFound))
async def read_form(form_id: uuid.UUID, ctx: Context) -> FormDetail:
    """A form with its items' numbers and content domains, without the key."""
    return await service.read_form(ctx, form_id)


@router.get(
    "/{form_id:uuid}/key",
    responses=error_responses(NotFound),
    dependencies=[Depends(writes_on_read)],  # every read of the key is audited
)
async def read_key(form_id: uuid.UUID, ctx: Context, response: Response) -> FormKey:
    """The form's answer key (every read audited); no other response carries a key."""
    response.headers["Cache-Control"] = "no-store"
    return await service.read_key(ctx, form_id)


@router.put("/{form_id:uuid}/items", responses=error_responses(*MOVE_ERRORS, *ITEMS_REFUSED))
async def replace_items(form_id: uuid.UUID, body: ItemsReplace, ctx: Context) -> FormPublic:
    """Replace a draft's items; a live or retired form cannot be edited."""
    rows = rows_from_body(item.model_dump() for item in body.items)
    form = await service.replace_items(
        ctx, form_id, expected_version=body.expected_version, rows=rows
    )
    return _public(form)


@router.post("/{form_id:uuid}/publish", responses=error_responses(*MOVE_ERRORS, *ITEMS_REFUSED))
async def publish_form(form_id: uuid.UUID, body: StatusChange, ctx: Context) -> FormPublic:
    """Put a draft in use (its item count must be the policy's); several forms of a language
    may be live at once."""
    form = await service.move_form(
        ctx, form_id, Move.PUBLISH, expected_version=body.expected_version
    )
    return _public(form)


@router.post("/{form_id:uuid}/retire", responses=error_responses(*MOVE_ERRORS))
async def retire_form(form_id: uuid.UUID, body: StatusChange, ctx: Context) -> FormPublic:
    """Stop giving a form (live or draft) to anyone; it stays readable."""
    form = await service.move_form(
        ctx, form_id, Move.RETIRE, expected_version=body.expected_version
    )
    return _public(form)
