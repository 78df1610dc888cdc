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


class TransitionNotAllowed(Conflict):
    """The action is one the state of its object (a form, an authorization, an attempt, an
    accommodation request) forbids: one code for one meaning across the service."""

    code = "TRANSITION_NOT_ALLOWED"


# -- authorizations to test and accommodations (domain.md §Application 7-11, §Exams in practice)
class ExamNotEligible(Conflict):
    """An exam request refused: ``reasons`` lists every unmet condition, each with its code."""

    code = "EXAM_NOT_ELIGIBLE"


class ScheduleNotAllowed(InvalidInput):
    """A schedule outside the authorization's window, in the past, or with a site that does
    not fit the delivery mode."""

    code = "SCHEDULE_NOT_ALLOWED"


class AccommodationPending(Conflict):
    """An accommodation awaits review: the authorization cannot be scheduled until decided."""

    code = "ACCOMMODATION_PENDING"


class AlreadyScheduled(Conflict):
    """Accommodations cannot be added to a scheduled exam: cancel the schedule first."""

    code = "AUTHORIZATION_ALREADY_SCHEDULED"


# -- attempts, results and key corrections ---------------------------------------------------
class AttemptOutsideWindow(Conflict):
    """The attempt's day is not within its authorization's window (granted on..valid through)."""

    code = "ATTEMPT_OUTSIDE_WINDOW"


class ResultNoticeAlreadySent(Conflict):
    code = "RESULT_NOTICE_ALREADY_SENT"


class ResultNoticeTooEarly(Conflict):
    """The formal result notice goes out no sooner than the policy's minimum days."""

    code = "RESULT_NOTICE_TOO_EARLY"


class KeyUnchanged(Conflict):
    code = "KEY_UNCHANGED"


class InconsistentVendorScore(InvalidInput):
    code = "VENDOR_SCORE_INCONSISTENT"


class FormNotUsable(InvalidInput):
    """The form named for an attempt is unknown, a draft, in another language, or missing."""

    code = "FORM_NOT_USABLE"
