"""The changes staff make to the catalogue, one POST each, CSRF-checked, with the version the
page was read at where the gateway takes one: approve a training provider, suspend it or set
its webhook, add programs and CE courses and withdraw them; import an exam form, publish it,
retire it, correct an item's key. Done, back to the page (303), or the page with what the
gateway answered when it is shown once (the webhook secret, the rescoring); refused, the page
read afresh with the refusal at the form and what was typed kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from web.gateway import Upload
from web.pages.applicant import Document, upload_of
from web.pages.caller import Caller, not_found, staff_or_refusal
from web.pages.staff.catalogue import Id, form_page, forms_page, provider_page, providers_page
from web.pages.staff.lists_catalogue import (
    COURSE_ACTIONS,
    CREATE_PROVIDER,
    FORM_ACTIONS,
    IMPORT_FORM,
    PROVIDER_ACTIONS,
)
from web.pages.staff.submit import submit
from web.pages.staff.worklist import Decision
from web.security import require_csrf

router = APIRouter(dependencies=[Depends(require_csrf)])
Action = Annotated[str, Path(max_length=40)]
Again = Callable[..., Awaitable[Response]]


async def act(
    request: Request,
    chosen: Decision | None,
    fixed: dict[str, Any],
    again: Again,
    *,
    item: str,
    back: str = "",
    files: dict[str, Upload] | None = None,
) -> Response:
    """Send the decision; done, to ``back`` (``{id}``: the id answered) or, without one, the
    page again with the answer; refused, the page again with the refusal."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff
    if chosen is None:
        return not_found(request)
    sent = await submit(request, staff, chosen, fixed, item=item, files=files)
    if isinstance(sent, Response):
        return sent
    answer, refusal = sent
    if refusal is not None:
        return await again(status_code=409 if refusal["conflict"] else 422, refusal=refusal)
    answered = (answer.data or {}).get("done") or {}
    if not back:
        return await again(done=chosen.name, answered=answered)
    where = back.format(id=answered.get("id", ""))
    return RedirectResponse(f"{where}?done={chosen.name}", status_code=303)


def named(decisions: tuple[Decision, ...], name: str) -> Decision | None:
    return next((d for d in decisions if d.name == name), None)


@router.post("/staff/providers/new", response_model=None)
async def create_provider(request: Request) -> Response:
    """Approve a training provider; its webhook secret is shown this once."""

    async def again(**extra: Any) -> Response:
        return await providers_page(request, **extra)

    return await act(request, CREATE_PROVIDER, {}, again, item="")


@router.post("/staff/providers/{provider_id}/{action}", response_model=None)
async def provider_action(request: Request, provider_id: Id, action: Action) -> Response:
    """Suspend or reinstate a provider or set its webhook; add a program or a CE course."""

    async def again(**extra: Any) -> Response:
        return await provider_page(request, provider_id, **extra)

    chosen = named(PROVIDER_ACTIONS, action)
    back = f"/staff/providers/{provider_id}"
    return await act(request, chosen, {"id": provider_id}, again, item=provider_id, back=back)


@router.post("/staff/providers/{provider_id}/courses/{course_id}/{action}", response_model=None)
async def course_action(
    request: Request, provider_id: Id, course_id: Id, action: Action
) -> Response:
    """Withdraw a CE course of the provider, or approve it again."""

    async def again(**extra: Any) -> Response:
        return await provider_page(request, provider_id, **extra)

    chosen = named(COURSE_ACTIONS, action)
    fixed = {"id": provider_id, "course": course_id}
    back = f"/staff/providers/{provider_id}"
    return await act(request, chosen, fixed, again, item=course_id, back=back)


@router.post("/staff/exams/forms/import", response_model=None)
async def import_form(request: Request, file: Document = None) -> Response:
    """A new draft exam form from a JSON or CSV file; to its page once stored."""

    async def again(**extra: Any) -> Response:
        return await forms_page(request, **extra)

    files = {"variables.file": await upload_of(file)}
    back = "/staff/exams/forms/{id}"
    return await act(request, IMPORT_FORM, {"file": None}, again, item="", back=back, files=files)


@router.post("/staff/exams/forms/{form_id}/{action}", response_model=None)
async def form_action(request: Request, form_id: Id, action: Action) -> Response:
    """Publish or retire an exam form, or correct one item's key (its rescoring shown)."""

    async def again(**extra: Any) -> Response:
        return await form_page(request, form_id, **extra)

    chosen = named(FORM_ACTIONS, action)
    back = "" if action == "correct-key" else f"/staff/exams/forms/{form_id}"
    return await act(request, chosen, {"id": form_id}, again, item=form_id, back=back)
