"""The exams service's own failures, each with a stable code."""

from __future__ import annotations

from certboard_core.errors import Conflict, InvalidInput


class UnknownExamItem(InvalidInput):
    code = "EXAM_ITEM_UNKNOWN"


# -- exam forms ------------------------------------------------------------------------------
class FormItemsInvalid(InvalidInput):
    """A form's items break the rules; the message lists every problem, each where it is."""

    code = "FORM_ITEMS_INVALID"


class FormEditionExists(Conflict):
    code = "FORM_EDITION_EXISTS"


class FormTransitionNotAllowed(Conflict):
    """A change the form's status forbids (a live or retired form's items, say)."""

    code = "TRANSITION_NOT_ALLOWED"
