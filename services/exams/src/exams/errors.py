"""The exams service's own failures, each with a stable code."""

from __future__ import annotations

from certboard_core.errors import Conflict, InvalidInput


class UnknownExamItem(InvalidInput):
    code = "EXAM_ITEM_UNKNOWN"


# --- Authorizations to test and accommodations (domain.md §Application 7-11, §Exams in practice)


class ExamNotEligible(Conflict):
    """An exam request refused: ``reasons`` lists every unmet condition, each with its code."""

    code = "EXAM_NOT_ELIGIBLE"


class AuthorizationTransitionNotAllowed(Conflict):
    """The action is one the authorization's status (as of today) forbids."""

    code = "TRANSITION_NOT_ALLOWED"


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
