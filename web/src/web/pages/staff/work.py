"""Every staff list besides the applications, one page each (``/staff/<slug>``) from one
gateway request, and their decisions (``/staff/<slug>/<id>/<decision>``): CSRF-checked, with
the version the page was read at. Done, back to the list (303); refused, the list read afresh
with the refusal at the item, what was typed kept and the item as it is now; a stale version
(VERSION_CONFLICT) changes nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from web.gateway import Answer
from web.pages.caller import Caller, ask, staff_or_refusal
from web.pages.public import error_words
from web.pages.staff.lists_board import BOARD_LISTS
from web.pages.staff.lists_exams import EXAM_LISTS
from web.pages.staff.worklist import (
    WorkList,
    at_fault,
    clock,
    invalid,
    local_refusal,
    read_form,
)
from web.render import page
from web.security import require_csrf

router = APIRouter()
LISTS = {work.slug: work for work in (*BOARD_LISTS, *EXAM_LISTS)}
ItemId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
After = Annotated[str, Query(max_length=500)]


async def list_page(
    request: Request,
    staff: Caller,
    work: WorkList,
    *,
    after: str = "",
    done: str | None = None,
    refusal: dict[str, Any] | None = None,
) -> Response:
    """A page of the list read afresh, each item with its clock; after a refused decision,
    also the item as it is now (from the same request)."""
    variables: dict[str, Any] = {
        "first": request.app.state.settings.page_size,
        "after": after or None,
    }
    with_current = refusal is not None and work.one is not None
    if refusal is not None and with_current:
        variables["id"] = refusal["item"]
    answer = await ask(request, staff, work.query(with_current), variables)
    if isinstance(answer, Response):
        return answer
    data = answer.data or {}
    today = (data.get("counts") or {}).get("today")
    found = data.get("list") or {"items": [], "nextCursor": None}
    items = [{**item, "clock": clock(work, item, today)} for item in found["items"]]
    current = data.get("current")
    if refusal is not None:
        listed = next((i for i in items if i.get("id") == refusal["item"]), None)
        current = {**current, "clock": clock(work, current, today)} if current else listed
    status = 200 if refusal is None else (409 if refusal["conflict"] else 422)
    return page(
        request,
        "staff/worklist.html",
        status_code=status,
        work=work,
        today=today,
        found=found,
        items=items,
        paged=bool(after),
        done=done if done and work.decision(done) else None,
        refusal=refusal,
        current=current,
        errors=[] if refusal else error_words(request, answer),
    )


def viewer(work: WorkList) -> Callable[..., Awaitable[Response]]:
    async def view(
        request: Request,
        after: After = "",
        done: Annotated[str, Query(max_length=40)] = "",
    ) -> Response:
        staff = staff_or_refusal(request)
        if not isinstance(staff, Caller):
            return staff
        return await list_page(request, staff, work, after=after, done=done or None)

    view.__doc__ = f"{work.title}: a page at a time, each with its clock and its decisions."
    return view


def decider(work: WorkList) -> Callable[..., Awaitable[Response]]:
    async def decide(
        request: Request, item_id: ItemId, decision: Annotated[str, Path(max_length=40)]
    ) -> Response:
        staff = staff_or_refusal(request)
        if not isinstance(staff, Caller):
            return staff
        chosen = work.decision(decision)
        if chosen is None:
            return page(request, "error.html", status_code=404, message="error.not_found")
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        version = form.get("expectedVersion", "")
        variables, typed, problems = read_form(chosen, form)
        # GraphQL's Int is 32 bits: a longer number could not even be sent.
        if not version.isdigit() or len(version) > 9:
            problems.append(invalid("expectedVersion", "a version"))
        answer: Answer = local_refusal(problems)
        if not problems:
            sent = await ask(
                request, staff, chosen.document, {"id": item_id, "v": int(version), **variables}
            )
            if isinstance(sent, Response):
                return sent
            if not sent.errors:
                return RedirectResponse(f"/staff/{work.slug}?done={decision}", status_code=303)
            answer = sent
        refusal = {
            "item": item_id,
            "decision": decision,
            "errors": error_words(request, answer),
            "fields": at_fault(chosen, answer),
            "typed": typed,
            "conflict": answer.code() == "VERSION_CONFLICT",
            "read_version": version,
        }
        return await list_page(request, staff, work, refusal=refusal)

    decide.__doc__ = f"{work.title}: one decision on one item, with the version read."
    return decide


for _work in LISTS.values():
    router.add_api_route(
        f"/staff/{_work.slug}", viewer(_work), methods=["GET"], response_model=None
    )
    router.add_api_route(
        f"/staff/{_work.slug}/{{item_id}}/{{decision}}",
        decider(_work),
        methods=["POST"],
        response_model=None,
        dependencies=[Depends(require_csrf)],
    )
