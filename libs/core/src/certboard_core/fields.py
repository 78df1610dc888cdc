"""Input field types every service's API shares.

pydantic reads a date from a number (``0`` is 1970-01-01, as Unix time), so a query
``submitted_to=0`` or a JSON ``"date_of_birth": 0`` would be accepted although the OpenAPI says
``format: date``. These types take only what the schema promises: ISO 8601 text (or, from
Python code, the value itself). They parse the text themselves, so strict models, which take
only date objects in Python mode, accept it too; the schema stays "string, format date".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, TypeAdapter, ValidationError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date, then a time: what RFC 3339's date-time starts with (the rest is left to pydantic).
_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}.*", re.DOTALL)

_DATE: TypeAdapter[date] = TypeAdapter(date)
_DATE_TIME: TypeAdapter[datetime] = TypeAdapter(datetime)


def _parsed(adapter: TypeAdapter[Any], text: str) -> Any:
    try:
        return adapter.validate_python(text)
    except ValidationError as exc:  # raised again as the field's own error, at its place
        raise ValueError(exc.errors()[0]["msg"]) from None


def _iso_date(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return _parsed(_DATE, value)
    raise ValueError("expected a date as YYYY-MM-DD")


def _iso_date_time(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE_TIME.fullmatch(value):
        return _parsed(_DATE_TIME, value)
    raise ValueError("expected a date and time in ISO 8601 (YYYY-MM-DDTHH:MM:SSZ)")


def text_bool(value: object) -> object:
    """A boolean as JSON spells it: lax mode would also read 1, "yes", "on" or "f"."""
    if isinstance(value, str):
        if value not in ("true", "false"):
            raise ValueError("expected true or false")
        return value == "true"
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_date_time)]
# For a query parameter (a form's booleans get the same from FormModel): "true" or "false".
TextBool = Annotated[bool, BeforeValidator(text_bool)]
