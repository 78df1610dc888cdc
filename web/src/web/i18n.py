"""English and Spanish: the words of every page, and the language a request is answered in.

A dictionary of messages rather than gettext catalogues: two languages and a few dozen
phrases need no compile step, and a test checks both have every key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from markupsafe import Markup, escape

from web.messages import EN, ENUMS, ES, MONTHS
from web.messages_service import SERVICE_ES

LANGUAGES = ("en", "es")
DEFAULT = "en"

MESSAGES = {"en": EN, "es": ES}
# The services' texts in our other languages, by their stable codes (English: their own).
SERVICE_WORDS = {"es": SERVICE_ES}


def negotiate(accept_language: str | None) -> str:
    """The first of our languages the browser asks for, by quality; English otherwise."""
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.strip().lower().split("-")[0]
        if language in LANGUAGES and quality > 0:
            # Higher quality first; among equals, the browser's order.
            choices.append((-quality, index, language))
    return min(choices)[2] if choices else DEFAULT


def translator(language: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``language``."""
    messages = MESSAGES.get(language, EN)

    def t(key: str, **values: object) -> str:
        text = messages.get(key) or EN.get(key) or ENUMS[language].get(key) or key
        return text.format(**values) if values else text

    return t


def enum_words(language: str, value: str) -> str:
    """A GraphQL enum value in words."""
    return ENUMS.get(language, ENUMS[DEFAULT]).get(value, value.replace("_", " ").capitalize())


def said(language: str, key: str | None, english: str, **values: object) -> Markup:
    """A service's ``english`` text on a ``language`` page: our words for its stable code
    ``key`` where we have them, else the service's own marked as English."""
    if language == "en":
        return escape(english)
    words = SERVICE_WORDS.get(language, {}).get(key or "")
    if words is None:
        return Markup('<span lang="en">{}</span>').format(english)
    return escape(words.format(**values) if values else words)


def long_date(language: str, value: str | date | None) -> str:
    """``2026-05-04`` as "4 May 2026" / "4 de mayo de 2026"."""
    if value is None:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    month = MONTHS[language if language in MONTHS else DEFAULT].split()[day.month - 1]
    if language == "es":
        return f"{day.day} de {month} de {day.year}"
    return f"{day.day} {month} {day.year}"


def days_words(language: str, days: int) -> str:
    """``3`` as "3 days left", ``-1`` as "1 day ago"."""
    t = translator(language)
    if days == 0:
        return t("days.today")
    if days == 1:
        return t("days.one_left")
    if days == -1:
        return t("days.one_ago")
    return t("days.left", n=days) if days > 0 else t("days.ago", n=-days)
