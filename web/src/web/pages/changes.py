"""One change sent from a form of a role's page (the supervisor's, the peer's): done, back to
the page with ``?done=``; refused, the page read afresh with the refusal in words, the fields
at fault and what was typed; a stale version (VERSION_CONFLICT) changes nothing and says so.

Days and numbers are checked here only because GraphQL refuses a malformed one without naming
the field; the gateway checks everything else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from web.gateway import Answer, GraphQLError
from web.pages.caller import Caller, ask
from web.pages.public import error_words


@dataclass(frozen=True)
class FormsOf:
    """A page's forms: who may send them, the page that shows a refusal, and its address."""

    caller: Callable[[Request], Caller | Response]
    page: Callable[..., Awaitable[Response]]
    path: str


def not_days(typed: dict[str, Any], *names: str) -> list[GraphQLError]:
    """The fields of ``names`` whose value is not a day (YYYY-MM-DD)."""
    errors = []
    for name in names:
        try:
            date.fromisoformat(typed[name])
        except ValueError:
            errors.append(GraphQLError("INVALID_INPUT", f"{name}: not a date", name))
    return errors


def not_number(typed: dict[str, Any], name: str) -> list[GraphQLError]:
    """``name``'s value, if it is not a number (hours, exact to two decimals at most)."""
    try:
        if Decimal(typed[name]).is_finite():
            return []
    except InvalidOperation:
        pass
    return [GraphQLError("INVALID_INPUT", f"{name}: not a number", name)]


async def act(
    forms: FormsOf,
    request: Request,
    action: str,
    target: str,
    document: str,
    variables: dict[str, Any],
    typed: dict[str, Any],
    *,
    refused: list[GraphQLError] | None = None,
) -> Response:
    """Send one change (unless ``refused`` here already); on success back to the page, else
    the page with the refusal of the form for ``target``."""
    caller = forms.caller(request)
    if not isinstance(caller, Caller):
        return caller
    errors, conflict = refused or [], False
    if not errors:
        answer = await ask(request, caller, document, variables)
        if isinstance(answer, Response):
            return answer
        if not answer.errors:
            return RedirectResponse(f"{forms.path}?done={action}", status_code=303)
        errors, conflict = answer.errors, answer.code() == "VERSION_CONFLICT"
    refusal = {
        "target": target,
        "conflict": conflict,
        "errors": error_words(request, Answer(data=None, errors=errors)),
        "fields": {e.field.replace("_", "").lower() for e in errors if e.field},
        "typed": typed,
    }
    status_code = 409 if conflict else 422
    return await forms.page(request, caller, status_code=status_code, refusal=refusal)
