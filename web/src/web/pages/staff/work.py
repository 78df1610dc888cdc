"""Every staff list besides the applications, one page each (``/staff/<slug>``) from one
gateway request, and their decisions (``/staff/<slug>/<id>/<decision>``): CSRF-checked, with
the version the page was read at. Done, back to the list (303); refused, the list read afresh
with the refusal at the item, what was typed kept and the item as it is now; a stale version
(VERSION_CONFLICT) changes nothing. A list's actions (``/staff/<slug>/<action>``, a CE audit
draw) concern no item: done, the list is shown with what the gateway answered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from web.pages.caller import Caller, ask, not_found, staff_or_refusal
from web.pages.public import error_words
from web.pages.staff.lists_board import BOARD_LISTS
from web.pages.staff.lists_exams import EXAM_LISTS
from web.pages.staff.submit import submit
from web.pages.staff.worklist import Decision, WorkList, read_item
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
    answered: dict[str, Any] | None = None,
    alone: str = "",
) -> Response:
    """A page of the list read afresh, each item with its clock; after a refused decision,
    also the item as it is now (from the same request); after an action, its answer.
    ``alone``: the id of the one item to show, whether or not the list still has it."""
    variables: dict[str, Any] = {}
    if not alone:
        variables = {"first": request.app.state.settings.page_size, "after": after or None}
    with_current = work.one is not None and bool(alone or (refusal and refusal["item"]))
    if with_current:
        variables["id"] = alone or (refusal or {})["item"]
    answer = await ask(request, staff, work.query(with_current, whole=not alone), variables)
    if isinstance(answer, Response):
        return answer
    data = answer.data or {}
    if alone and not data.get("current") and answer.code() in ("NOT_FOUND", "INVALID_INPUT"):
        return not_found(request)
    today = (data.get("counts") or {}).get("today")
    found = data.get("list") or {"items": [], "nextCursor": None}
    if alone:
        found = {"items": [data["current"]] if data.get("current") else [], "nextCursor": None}
    items = [read_item(work, item, today) for item in found["items"]]
    current = data.get("current")
    if refusal is not None:
        listed = next((i for i in items if i["key"] == refusal["item"]), None)
        current = read_item(work, current, today) if current else listed
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
        answered=answered,
        alone=alone,
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


def item_viewer(work: WorkList) -> Callable[..., Awaitable[Response]]:
    async def view_one(
        request: Request, item_id: ItemId, done: Annotated[str, Query(max_length=40)] = ""
    ) -> Response:
        staff = staff_or_refusal(request)
        if not isinstance(staff, Caller):
            return staff
        return await list_page(request, staff, work, done=done or None, alone=item_id)

    view_one.__doc__ = f"{work.title}: one item, whatever its status, and its decisions."
    return view_one


def decider(work: WorkList) -> Callable[..., Awaitable[Response]]:
    async def decide(
        request: Request, item_id: ItemId, decision: Annotated[str, Path(max_length=40)]
    ) -> Response:
        staff = staff_or_refusal(request)
        if not isinstance(staff, Caller):
            return staff
        chosen = next((d for d in work.decisions if d.name == decision), None)
        if chosen is None:
            return page(request, "error.html", status_code=404, message="error.not_found")
        # Posted from the item's own page, the answer goes back there.
        alone = item_id if (await request.form()).get("alone") == "true" else ""
        sent = await submit(request, staff, chosen, {"id": item_id}, item=item_id)
        if isinstance(sent, Response):
            return sent
        if sent[1] is None:
            where = f"/staff/{work.slug}/{alone}" if alone else f"/staff/{work.slug}"
            return RedirectResponse(f"{where}?done={decision}", status_code=303)
        return await list_page(request, staff, work, refusal=sent[1], alone=alone)

    decide.__doc__ = f"{work.title}: one decision on one item, with the version read."
    return decide


def actor(work: WorkList, action: Decision) -> Callable[..., Awaitable[Response]]:
    async def act(request: Request) -> Response:
        staff = staff_or_refusal(request)
        if not isinstance(staff, Caller):
            return staff
        sent = await submit(request, staff, action, {})
        if isinstance(sent, Response):
            return sent
        answer, refusal = sent
        if refusal is not None:
            return await list_page(request, staff, work, refusal=refusal)
        done = (answer.data or {}).get("done")
        return await list_page(request, staff, work, done=action.name, answered=done)

    act.__doc__ = f"{work.title}: {action.name}, its answer shown once."
    return act


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
    for _action in _work.actions:
        router.add_api_route(
            f"/staff/{_work.slug}/{_action.name}",
            actor(_work, _action),
            methods=["POST"],
            response_model=None,
            dependencies=[Depends(require_csrf)],
        )
# After every list's own address: ``/staff/complaints/decided`` is a list, not an item.
for _work in LISTS.values():
    if _work.one is not None:
        router.add_api_route(
            f"/staff/{_work.slug}/{{item_id}}",
            item_viewer(_work),
            methods=["GET"],
            response_model=None,
        )
