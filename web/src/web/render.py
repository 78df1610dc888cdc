"""Pages from Jinja2 templates, each given the words of its language and the session's facts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from web import i18n
from web.security import csrf_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def language(request: Request) -> str:
    """The session's chosen language, else the browser's (Accept-Language)."""
    chosen = request.session.get("lang")
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    return i18n.negotiate(request.headers.get("accept-language"))


def signed_in(request: Request) -> dict[str, str] | None:
    """Who the session is (subject and role), without the token."""
    if not request.session.get("token"):
        return None
    return {"sub": str(request.session.get("sub")), "role": str(request.session.get("role"))}


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with the common context: language, words, CSRF token, who is in."""
    lang = language(request)
    common = {
        "lang": lang,
        "t": i18n.translator(lang),
        "words": lambda value: i18n.enum_words(lang, value),
        "said": lambda key, english, **values: i18n.said(lang, key, english, **values),
        "long_date": lambda value: i18n.long_date(lang, value),
        "days": lambda value: i18n.days_words(lang, value),
        "csrf": csrf_token(request),
        "user": signed_in(request),
        "sign_in": request.app.state.settings.sign_in_enabled,
        "path": request.url.path,
    }
    return TEMPLATES.TemplateResponse(request, name, {**common, **context}, status_code=status_code)
