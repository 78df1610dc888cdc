"""What staff read rather than work through: training providers with their programs and CE
courses, and exam forms with their items' domains and item analysis. One gateway request a
page; the changes staff make to them are in ``catalogue_actions.py``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from web.pages.caller import Caller, ask, not_found, staff_or_refusal
from web.pages.public import error_words
from web.pages.staff.lists_catalogue import (
    COURSE_ACTIONS,
    CREATE_PROVIDER,
    FORM_ACTIONS,
    IMPORT_FORM,
    PROVIDER_ACTIONS,
)
from web.pages.staff.worklist import Decision
from web.render import page

router = APIRouter()
Id = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9-]+$")]

PROVIDER_FIELDS = "id name status webhookUrl createdAt version"
PROVIDERS = f"query Providers {{ trainingProviders {{ {PROVIDER_FIELDS} }} }}"
PROVIDER = f"""
query Provider($id: ID!) {{
  trainingProvider(id: $id) {{ {PROVIDER_FIELDS} }}
  trainingPrograms(providerId: $id) {{ id name hours active createdAt }}
  ceCourses(providerId: $id) {{ id name hours category active createdAt version }}
}}
"""
FORM_FIELDS = """id language edition status itemCount createdBy createdAt publishedAt retiredAt
version"""
FORMS = f"""
query Forms($first: Int!, $after: String) {{
  examForms(first: $first, after: $after) {{ items {{ {FORM_FIELDS} }} nextCursor }}
}}
"""
FORM = f"""
query Form($id: ID!) {{
  examForm(id: $id) {{ {FORM_FIELDS} domains {{ domain items }} }}
  itemAnalysis(formId: $id) {{
    attempts kr20 flags items {{ number domain correct p pointBiserial flags }}
  }}
}}
"""


async def read(
    request: Request, document: str, variables: dict[str, Any] | None = None
) -> tuple[Caller | Response, dict[str, Any], list[dict[str, str | None]]]:
    """The page's one request as staff: its data and its errors in words, or the answer to
    send instead (sign in, 403)."""
    staff = staff_or_refusal(request)
    if not isinstance(staff, Caller):
        return staff, {}, []
    answer = await ask(request, staff, document, variables)
    if isinstance(answer, Response):
        return answer, {}, []
    if answer.code() == "NOT_FOUND" and not any((answer.data or {}).values()):
        return not_found(request), {}, []
    return staff, answer.data or {}, error_words(request, answer)


Done = Annotated[str, Query(max_length=40)]


async def providers_page(request: Request, *, status_code: int = 200, **extra: Any) -> Response:
    """Every approved training provider, by name, and the form to approve one."""
    caller, data, errors = await read(request, PROVIDERS)
    if not isinstance(caller, Caller):
        return caller
    return page(
        request,
        "staff/providers.html",
        status_code=status_code,
        providers=data.get("trainingProviders") or [],
        errors=errors,
        create=CREATE_PROVIDER,
        **extra,
    )


async def provider_page(
    request: Request, provider_id: str, *, status_code: int = 200, **extra: Any
) -> Response:
    """One provider: its record, its programs and CE courses, and the changes to them."""
    caller, data, errors = await read(request, PROVIDER, {"id": provider_id})
    if not isinstance(caller, Caller):
        return caller
    return page(
        request,
        "staff/provider.html",
        status_code=status_code,
        provider=data.get("trainingProvider"),
        programs=data.get("trainingPrograms"),
        courses=data.get("ceCourses"),
        errors=errors,
        actions=PROVIDER_ACTIONS,
        course_actions=COURSE_ACTIONS,
        **extra,
    )


async def forms_page(
    request: Request, *, after: str = "", status_code: int = 200, **extra: Any
) -> Response:
    """Exam forms, oldest first, a page at a time, and the form to import one."""
    variables = {"first": request.app.state.settings.page_size, "after": after or None}
    caller, data, errors = await read(request, FORMS, variables)
    if not isinstance(caller, Caller):
        return caller
    found = data.get("examForms") or {"items": [], "nextCursor": None}
    return page(
        request,
        "staff/forms.html",
        status_code=status_code,
        found=found,
        paged=bool(after),
        errors=errors,
        create=IMPORT_FORM,
        **extra,
    )


async def form_page(
    request: Request, form_id: str, *, status_code: int = 200, **extra: Any
) -> Response:
    """One exam form: its domains, its item analysis and the changes to its life."""
    caller, data, errors = await read(request, FORM, {"id": form_id})
    if not isinstance(caller, Caller):
        return caller
    return page(
        request,
        "staff/form.html",
        status_code=status_code,
        form=data.get("examForm"),
        analysis=data.get("itemAnalysis"),
        errors=errors,
        actions=FORM_ACTIONS,
        **extra,
    )


def known(done: str, *decisions: Decision) -> str | None:
    """The decision just done, if it is one of the page's (its words say so)."""
    return done if any(d.name == done for d in decisions) else None


@router.get("/staff/providers", response_model=None)
async def providers(request: Request) -> Response:
    """Every approved training provider, by name."""
    return await providers_page(request)


@router.get("/staff/providers/{provider_id}", response_model=None)
async def provider(request: Request, provider_id: Id, done: Done = "") -> Response:
    """One provider: its record, its training programs and its CE courses."""
    done_here = known(done, *PROVIDER_ACTIONS, *COURSE_ACTIONS)
    return await provider_page(request, provider_id, done=done_here)


@router.get("/staff/exams/forms", response_model=None)
async def forms(request: Request, after: Annotated[str, Query(max_length=500)] = "") -> Response:
    """Exam forms, oldest first, a page at a time; no items, no keys."""
    return await forms_page(request, after=after)


@router.get("/staff/exams/forms/{form_id}", response_model=None)
async def form(request: Request, form_id: Id, done: Done = "") -> Response:
    """One exam form: its domains and, once sat, each item's statistics and KR-20."""
    return await form_page(request, form_id, done=known(done, IMPORT_FORM, *FORM_ACTIONS))
