"""Pages anyone reads without signing in: home, public verification, the language switch."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup

from web import i18n, messages
from web.gateway import Answer, Gateway
from web.render import language, page
from web.security import require_csrf

router = APIRouter()

PUBLIC_FIELDS = """
holderName number status issuedOn validThrough credentialUrl
discipline { outcome decidedOn endsOn inForce }
"""
BY_NUMBER = (
    f"query V($number: String!) {{ verifyCertification(number: $number) {{ {PUBLIC_FIELDS} }} }}"
)
BY_NAME = f"""
query F($last: String!, $first: String!, $size: Int!, $after: String) {{
  findCertifications(lastName: $last, firstName: $first, first: $size, after: $after) {{
    items {{ {PUBLIC_FIELDS} }} nextCursor
  }}
}}
"""
MAX_FIELD = 100
# Codes whose message names the rule broken: shown after our own words.
DETAILED = {
    "VALIDATION_ERROR": "VALIDATION_ERROR",
    "INVALID_INPUT": "VALIDATION_ERROR",
    "TRANSITION_NOT_ALLOWED": "TRANSITION_NOT_ALLOWED",
    "APPROVAL_REQUIREMENT_UNMET": "APPROVAL_REQUIREMENT_UNMET",
    "DUPLICATE_PAYMENT": "DUPLICATE_PAYMENT",
    "DUPLICATE_NOTIFICATION": "DUPLICATE_NOTIFICATION",
    "REVISION_WOULD_VOID": "REVISION_WOULD_VOID",
}


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def error_words(request: Request, answer: Answer) -> list[dict[str, str | None]]:
    """Each error in the page's language, with the field it concerns: our words for its
    code, then what the gateway says of it where that adds something (which rule the value
    broke, every unmet condition), in our words where its codes have them."""
    lang = language(request)
    t = i18n.translator(lang)
    out: list[dict[str, str | None]] = []
    for error in answer.errors:
        key = f"code.{DETAILED.get(error.code, error.code)}"
        known = key in messages.EN
        words: str = t(key) if known else t("code.other")
        if error.reasons:
            reasons = (i18n.said(lang, f"reason.{r.code}", r.message) for r in error.reasons)
            words = Markup("{}: {}").format(words, Markup("; ").join(reasons))
        elif error.code in DETAILED or not known:
            words = Markup("{}: {}").format(words, i18n.said(lang, None, error.message))
        out.append({"code": error.code, "field": error.field, "words": words})
    return out


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    """The front page."""
    return page(request, "home.html")


@router.get("/verify", response_class=HTMLResponse)
async def verify(
    request: Request,
    number: Annotated[str, Query(max_length=MAX_FIELD)] = "",
    last_name: Annotated[str, Query(max_length=MAX_FIELD)] = "",
    first_name: Annotated[str, Query(max_length=MAX_FIELD)] = "",
    after: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """Public verification by number, or by name a page at a time; htmx gets the results only."""
    gateway = gateway_of(request)
    results: list[dict[str, Any]] = []
    errors: list[dict[str, str | None]] = []
    next_cursor: str | None = None
    searched = False
    if number.strip():
        searched = True
        answer = await gateway.query(
            BY_NUMBER, {"number": number.strip()}, request_id=request.state.request_id
        )
        errors = error_words(request, answer)
        if answer.data and answer.data.get("verifyCertification"):
            results = [answer.data["verifyCertification"]]
    elif last_name.strip() or first_name.strip():
        searched = True
        variables = {
            "last": last_name.strip(),
            "first": first_name.strip(),
            "size": request.app.state.settings.page_size,
            "after": after or None,
        }
        answer = await gateway.query(BY_NAME, variables, request_id=request.state.request_id)
        errors = error_words(request, answer)
        if answer.data and answer.data.get("findCertifications"):
            results = answer.data["findCertifications"]["items"]
            next_cursor = answer.data["findCertifications"]["nextCursor"]
    template = "_results.html" if request.headers.get("HX-Request") else "verify.html"
    return page(
        request,
        template,
        status_code=200,
        number=number,
        last_name=last_name,
        first_name=first_name,
        results=results,
        errors=errors,
        next_cursor=next_cursor,
        searched=searched,
    )


def safe_next(value: str) -> str:
    """Only a path on this site (no scheme, no host): an open redirect otherwise."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@router.post("/language", dependencies=[Depends(require_csrf)])
async def switch_language(
    request: Request,
    lang: Annotated[str, Form(max_length=5)],
    next_path: Annotated[str, Form(alias="next", max_length=500)] = "/",
) -> RedirectResponse:
    """Remember the language chosen for this session, then go back to the page."""
    if lang in i18n.LANGUAGES:
        request.session["lang"] = lang
    return RedirectResponse(safe_next(next_path), status_code=303)
