"""Base models for what a request carries, so each API takes exactly what its OpenAPI declares.

pydantic's lax mode reads ``"1"`` as 1, ``0`` as false and ``"true"`` as true, so a body the
schema calls invalid would be accepted. FastAPI validates the parsed JSON in Python mode, where
strict mode would also refuse the ISO strings that dates, UUIDs and enums travel as. A
``RequestModel`` is therefore always validated as JSON text in strict mode, where pydantic's rules
are those of the JSON Schema it publishes: ``class Body(RequestModel)`` is all a route needs.
A multipart form is text by nature: a ``FormModel`` converts it as lax mode does, except that a
boolean must be spelled as JSON spells it (``true``/``false``), which is what its schema says.
"""

from __future__ import annotations

from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import to_json

from certboard_core.fields import text_bool


class RequestModel(BaseModel):
    """A JSON request body: strict JSON types, no undeclared fields."""

    # from_attributes lets ``Model(**fields)`` take the instance parsed below (see _as_json).
    model_config = ConfigDict(strict=True, extra="forbid", from_attributes=True)

    @model_validator(mode="wrap")
    @classmethod
    def _as_json(
        cls, data: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if info.mode != "python" or not isinstance(data, dict):
            return handler(data)
        # The body as it came (Python callers' dates, UUIDs and enums become their JSON text),
        # validated as JSON. NaN and infinities stay what they are, for the fields to refuse.
        text = to_json(data, inf_nan_mode="constants")
        parsed = cls.__pydantic_validator__.validate_json(text, context=info.context)
        # FastAPI's call returns ``parsed`` as is; ``__init__`` fills itself from its fields, so
        # there (Python callers only) validators run twice: keep them idempotent.
        return handler(parsed)


def _is_bool(annotation: Any) -> bool:
    if annotation is bool:
        return True
    if get_origin(annotation) in (Union, UnionType):
        return any(_is_bool(arg) for arg in get_args(annotation) if arg is not NoneType)
    return False


class FormModel(BaseModel):
    """A multipart form's fields (and files): text read as lax mode reads it, no undeclared
    fields, and booleans only as ``true`` or ``false``."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _json_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields[info.field_name] if info.field_name else None
        if field is not None and _is_bool(field.annotation):
            return text_bool(value)
        return value
