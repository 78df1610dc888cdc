"""Sending one declared decision from its posted form, the same for the lists and the
catalogue pages: what was typed read and kept, the version the page was read at sent, and a
refusal described for the page to show at its fields."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web.gateway import Answer, Upload
from web.pages.caller import Caller, ask
from web.pages.public import error_words
from web.pages.staff.worklist import Decision, at_fault, invalid, local_refusal, read_form


async def submit(
    request: Request,
    staff: Caller,
    chosen: Decision,
    fixed: dict[str, Any],
    *,
    item: str = "",
    files: dict[str, Upload] | None = None,
) -> tuple[Answer, dict[str, Any] | None] | Response:
    """The gateway's answer and, if refused, the refusal for the page (which form, the errors
    in words, the fields at fault, what was typed, whether the version was stale); or the
    response to send instead (sign in again, 403). ``fixed``: the variables the address
    gives (``$id``)."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    version = form.get("expectedVersion", "")
    variables, typed, problems = read_form(chosen, form)
    if chosen.versioned:
        # GraphQL's Int is 32 bits: a longer number could not even be sent.
        if version.isdigit() and len(version) <= 9:
            variables["v"] = int(version)
        else:
            problems.append(invalid("expectedVersion", "a version"))
    answer: Answer = local_refusal(problems)
    if not problems:
        sent = await ask(request, staff, chosen.document, {**fixed, **variables}, files=files)
        if isinstance(sent, Response):
            return sent
        if not sent.errors:
            return sent, None
        answer = sent
    return answer, {
        "item": item,
        "decision": chosen.name,
        "errors": error_words(request, answer),
        "fields": at_fault(chosen, answer),
        "typed": typed,
        "conflict": answer.code() == "VERSION_CONFLICT",
        "read_version": version,
    }
