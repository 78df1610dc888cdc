"""What staff read rather than work through: training providers with their programs and CE
courses, and exam forms with their items' domains and item analysis. One gateway request a
page; nothing here changes anything."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from web.pages.caller import Caller, ask, not_found, staff_or_refusal
from web.pages.public import error_words
from web.render import page

router = APIRouter()
Id = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9-]+$")]

PROVIDER_FIELDS = "id name status webhookUrl createdAt version"
PROVIDERS = f"query Providers {{ trainingProviders {{ {PROVIDER_FIELDS} }} }}"
PROVIDER = f"""
query Provider($id: ID!) {{
  trainingProvider(id: $id) {{ {PROVIDER_FIELDS} }}
  trainingPrograms(providerId: $id) {{ id name hours active createdAt }}
  ceCourses(providerId: $id) {{ id name hours category active createdAt }}
}}
"""
FORM_FIELDS = "id language edition status itemCount createdBy createdAt publishedAt retiredAt"
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


@router.get("/staff/providers", response_model=None)
async def providers(request: Request) -> Response:
    """Every approved training provider, by name."""
    caller, data, errors = await read(request, PROVIDERS)
    if not isinstance(caller, Caller):
        return caller
    found = data.get("trainingProviders") or []
    return page(request, "staff/providers.html", providers=found, errors=errors)


@router.get("/staff/providers/{provider_id}", response_model=None)
async def provider(request: Request, provider_id: Id) -> Response:
    """One provider: its record, its training programs and its CE courses."""
    caller, data, errors = await read(request, PROVIDER, {"id": provider_id})
    if not isinstance(caller, Caller):
        return caller
    return page(
        request,
        "staff/provider.html",
        provider=data.get("trainingProvider"),
        programs=data.get("trainingPrograms"),
        courses=data.get("ceCourses"),
        errors=errors,
    )


@router.get("/staff/exams/forms", response_model=None)
async def forms(request: Request, after: Annotated[str, Query(max_length=500)] = "") -> Response:
    """Exam forms, oldest first, a page at a time; no items, no keys."""
    variables = {"first": request.app.state.settings.page_size, "after": after or None}
    caller, data, errors = await read(request, FORMS, variables)
    if not isinstance(caller, Caller):
        return caller
    found = data.get("examForms") or {"items": [], "nextCursor": None}
    return page(request, "staff/forms.html", found=found, paged=bool(after), errors=errors)


@router.get("/staff/exams/forms/{form_id}", response_model=None)
async def form(request: Request, form_id: Id) -> Response:
    """One exam form: its domains and, once sat, each item's statistics and KR-20."""
    caller, data, errors = await read(request, FORM, {"id": form_id})
    if not isinstance(caller, Caller):
        return caller
    return page(
        request,
        "staff/form.html",
        form=data.get("examForm"),
        analysis=data.get("itemAnalysis"),
        errors=errors,
    )
