"""What the exam form API reads and returns; only ``FormKey`` carries keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from exams.form.importer import MAX_ROWS
from exams.form.models import FormStatus, Language


class ItemIn(BaseModel):
    """One item as staff send it; its rules are checked with every other item's, at once.

    Each field may be null or absent so that a missing one is reported with the others, by
    the form's own check, instead of in a validation error that would quote the item (key
    included) back.
    """

    number: int | None = None
    domain: str | None = Field(default=None, max_length=200)
    key: str | None = Field(
        default=None, max_length=5, description="one letter among the policy's options (A-D)"
    )


class FormCreate(BaseModel):
    language: Language
    edition: str = Field(min_length=1, max_length=50, description="the board's name for it")
    items: list[ItemIn] = Field(max_length=MAX_ROWS)


class ItemsReplace(BaseModel):
    expected_version: int = Field(ge=1)
    items: list[ItemIn] = Field(max_length=MAX_ROWS)


class StatusChange(BaseModel):
    expected_version: int = Field(ge=1)


class DomainCount(BaseModel):
    domain: str
    items: int


class FormPublic(BaseModel):
    """A form without its items: what lists and changes answer."""

    id: uuid.UUID
    language: Language
    edition: str
    status: FormStatus
    item_count: int
    created_by: str
    created_at: datetime
    published_at: datetime | None
    retired_at: datetime | None
    version: int


class ItemPublic(BaseModel):
    number: int
    domain: str


class FormDetail(FormPublic):
    """A form with its items' numbers and domains, never their keys."""

    domains: list[DomainCount] = Field(description="items per content domain, by domain")
    items: list[ItemPublic]


class KeyedItem(BaseModel):
    number: int
    domain: str
    key: str


class FormKey(BaseModel):
    """A form's answer key: staff only, on this read alone."""

    form_id: uuid.UUID
    language: Language
    edition: str
    status: FormStatus
    version: int
    items: list[KeyedItem]


class FormPage(BaseModel):
    items: list[FormPublic]
    next_cursor: str | None
