"""The exams enums several of its GraphQL modules share."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="The language an exam form is written in, and an exam is taken in.")
class ExamLanguage(Enum):
    ENGLISH = "en"
    SPANISH = "es"
