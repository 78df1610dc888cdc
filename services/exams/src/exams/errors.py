"""The exams service's own failures, each with a stable code."""

from __future__ import annotations

from certboard_core.errors import InvalidInput


class UnknownExamItem(InvalidInput):
    code = "EXAM_ITEM_UNKNOWN"
