"""A form's life as data: which move leaves which status for which; no I/O."""

from __future__ import annotations

from enum import StrEnum

from exams.errors import TransitionNotAllowed
from exams.form.models import FormStatus


class Move(StrEnum):
    EDIT = "edit"
    PUBLISH = "publish"
    RETIRE = "retire"


# Only a draft's items change: once live, candidates may have sat it (its key is corrected by
# the audited key correction instead). A draft that will never be used is retired, not deleted.
TRANSITIONS: dict[Move, tuple[frozenset[FormStatus], FormStatus | None]] = {
    Move.EDIT: (frozenset({FormStatus.DRAFT}), None),
    Move.PUBLISH: (frozenset({FormStatus.DRAFT}), FormStatus.LIVE),
    Move.RETIRE: (frozenset({FormStatus.DRAFT, FormStatus.LIVE}), FormStatus.RETIRED),
}


def next_status(current: FormStatus, move: Move) -> FormStatus:
    """The status ``move`` leaves a form in, or TRANSITION_NOT_ALLOWED naming ``current``."""
    allowed_from, to = TRANSITIONS[move]
    if current not in allowed_from:
        raise TransitionNotAllowed(f"cannot {move.value} a {current.value} form", field="status")
    return current if to is None else to
