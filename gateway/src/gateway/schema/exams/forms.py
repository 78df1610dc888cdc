"""Exam forms for staff: types, queries and mutations. Only ``examFormKey`` carries keys."""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

import strawberry
from starlette.datastructures import UploadFile
from strawberry.file_uploads import Upload

from certboard_core.auth import Role
from gateway.errors import CodedError
from gateway.schema.common import (
    After,
    Ctx,
    ExpectedVersion,
    First,
    instant,
    maybe_instant,
    value_of,
)
from gateway.schema.exams.enums import ExamLanguage


@strawberry.enum(description="Where a form is in its life: only a draft's items change.")
class ExamFormStatus(Enum):
    DRAFT = "draft"
    LIVE = "live"
    RETIRED = "retired"


@strawberry.type(description="An exam form: a language, an edition and its items.")
class ExamForm:
    id: strawberry.ID
    language: ExamLanguage
    edition: str = strawberry.field(description="The board's name for this version of the exam.")
    status: ExamFormStatus
    item_count: int
    created_by: str
    created_at: datetime.datetime
    published_at: datetime.datetime | None
    retired_at: datetime.datetime | None
    version: int = strawberry.field(
        description="Send back as `expectedVersion` with every change; a stale one is refused."
    )

    @staticmethod
    def fields_from(data: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": strawberry.ID(data["id"]),
            "language": ExamLanguage(data["language"]),
            "edition": data["edition"],
            "status": ExamFormStatus(data["status"]),
            "item_count": data["item_count"],
            "created_by": data["created_by"],
            "created_at": instant(data["created_at"]),
            "published_at": maybe_instant(data["published_at"]),
            "retired_at": maybe_instant(data["retired_at"]),
            "version": data["version"],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamForm:
        return cls(**cls.fields_from(data))


@strawberry.type(description="How many items of a form test one content domain.")
class ExamDomainCount:
    domain: str
    items: int


@strawberry.type(description="One item of a form, without its key.")
class ExamFormItem:
    number: int
    domain: str


@strawberry.type(description="A form with its items' numbers and content domains; no keys.")
class ExamFormDetail(ExamForm):
    domains: list[ExamDomainCount]
    items: list[ExamFormItem]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamFormDetail:
        return cls(
            **cls.fields_from(data),
            domains=[
                ExamDomainCount(domain=d["domain"], items=d["items"]) for d in data["domains"]
            ],
            items=[ExamFormItem(number=i["number"], domain=i["domain"]) for i in data["items"]],
        )


@strawberry.type(description="One item with its key.")
class ExamKeyItem:
    number: int
    domain: str
    key: str


@strawberry.type(description="A form's answer key: staff only, and nowhere else.")
class ExamFormKey:
    form_id: strawberry.ID
    language: ExamLanguage
    edition: str
    status: ExamFormStatus
    version: int
    items: list[ExamKeyItem]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExamFormKey:
        return cls(
            form_id=strawberry.ID(data["form_id"]),
            language=ExamLanguage(data["language"]),
            edition=data["edition"],
            status=ExamFormStatus(data["status"]),
            version=data["version"],
            items=[
                ExamKeyItem(number=i["number"], domain=i["domain"], key=i["key"])
                for i in data["items"]
            ],
        )


@strawberry.type
class ExamFormPage:
    items: list[ExamForm]
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )


@strawberry.input(
    description="One item: its number (1 to the policy's item count), domain and key. Each may "
    "be null: the service names every missing one, and a GraphQL error never quotes the item."
)
class ExamItemInput:
    number: int | None = None
    domain: str | None = None
    key: str | None = strawberry.field(
        default=None, description="One letter among the policy's options (A to D)."
    )


def _items(items: list[ExamItemInput]) -> list[dict[str, Any]]:
    return [{"number": i.number, "domain": i.domain, "key": i.key} for i in items]


@strawberry.type
class ExamFormQueries:
    @strawberry.field(description="Staff: exam forms, oldest first; no items, no keys.")
    async def exam_forms(
        self,
        info: Ctx,
        language: ExamLanguage | None = None,
        status: ExamFormStatus | None = None,
        first: First = 50,
        after: After = None,
    ) -> ExamFormPage:
        ctx = info.context
        ctx.require(Role.STAFF)
        page = await ctx.backends.exams.list_exam_forms(
            language=value_of(language), status=value_of(status), first=first, after=after
        )
        return ExamFormPage(
            items=[ExamForm.from_json(f) for f in page["items"]], next_cursor=page["next_cursor"]
        )

    @strawberry.field(description="Staff: a form with its items' numbers and domains, no keys.")
    async def exam_form(self, info: Ctx, id: strawberry.ID) -> ExamFormDetail:
        ctx = info.context
        ctx.require(Role.STAFF)
        return ExamFormDetail.from_json(await ctx.backends.exams.get_exam_form(id))

    @strawberry.field(description="Staff: a form's answer key; every read is audited.")
    async def exam_form_key(self, info: Ctx, id: strawberry.ID) -> ExamFormKey:
        ctx = info.context
        ctx.require(Role.STAFF)
        return ExamFormKey.from_json(await ctx.backends.exams.get_exam_form_key(id))


@strawberry.type
class ExamFormMutations:
    @strawberry.mutation(
        description="Staff: a new draft form; every problem with the items is listed at once "
        "(FORM_ITEMS_INVALID), FORM_EDITION_EXISTS if the language has that edition."
    )
    async def create_exam_form(
        self, info: Ctx, language: ExamLanguage, edition: str, items: list[ExamItemInput]
    ) -> ExamForm:
        ctx = info.context
        ctx.require(Role.STAFF)
        created = await ctx.backends.exams.create_exam_form(
            language=language.value, edition=edition, items=_items(items)
        )
        return ExamForm.from_json(created)

    @strawberry.mutation(
        description="Staff: a new draft form from a JSON or CSV file (number,domain,key); each "
        "bad line is named with its field and nothing is stored unless all are good."
    )
    async def import_exam_form(
        self, info: Ctx, language: ExamLanguage, edition: str, file: Upload
    ) -> ExamForm:
        ctx = info.context
        ctx.require(Role.STAFF)
        if not isinstance(file, UploadFile):
            raise CodedError(
                "BAD_USER_INPUT", "file must be a file part of a multipart request", field="file"
            )
        part = (file.filename or "form", await file.read(), file.content_type or "")
        imported = await ctx.backends.exams.import_exam_form(
            language=language.value, edition=edition, file=part
        )
        return ExamForm.from_json(imported)

    @strawberry.mutation(description="Staff: replace a draft's items (live or retired: refused).")
    async def replace_exam_form_items(
        self,
        info: Ctx,
        id: strawberry.ID,
        expected_version: ExpectedVersion,
        items: list[ExamItemInput],
    ) -> ExamForm:
        ctx = info.context
        ctx.require(Role.STAFF)
        replaced = await ctx.backends.exams.replace_exam_form_items(
            id, expected_version=expected_version, items=_items(items)
        )
        return ExamForm.from_json(replaced)

    @strawberry.mutation(description="Staff: put a draft in use (several may be live at once).")
    async def publish_exam_form(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> ExamForm:
        ctx = info.context
        ctx.require(Role.STAFF)
        moved = await ctx.backends.exams.move_exam_form(
            id, "publish", expected_version=expected_version
        )
        return ExamForm.from_json(moved)

    @strawberry.mutation(description="Staff: give a draft or live form to no one again.")
    async def retire_exam_form(
        self, info: Ctx, id: strawberry.ID, expected_version: ExpectedVersion
    ) -> ExamForm:
        ctx = info.context
        ctx.require(Role.STAFF)
        moved = await ctx.backends.exams.move_exam_form(
            id, "retire", expected_version=expected_version
        )
        return ExamForm.from_json(moved)
