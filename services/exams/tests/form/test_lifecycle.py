"""The form's transition table, exhaustively."""

from __future__ import annotations

import pytest

from exams.errors import TransitionNotAllowed
from exams.form.lifecycle import Move, next_status
from exams.form.models import FormStatus

D, L, R = FormStatus.DRAFT, FormStatus.LIVE, FormStatus.RETIRED
EXPECTED = {
    (D, Move.EDIT): D,
    (D, Move.PUBLISH): L,
    (D, Move.RETIRE): R,
    (L, Move.EDIT): None,
    (L, Move.PUBLISH): None,
    (L, Move.RETIRE): R,
    (R, Move.EDIT): None,
    (R, Move.PUBLISH): None,
    (R, Move.RETIRE): None,
}


def test_the_table_covers_every_status_and_move() -> None:
    assert set(EXPECTED) == {(s, m) for s in FormStatus for m in Move}


@pytest.mark.parametrize(("status", "move"), list(EXPECTED))
def test_each_move_from_each_status(status: FormStatus, move: Move) -> None:
    expected = EXPECTED[status, move]
    if expected is None:
        with pytest.raises(TransitionNotAllowed) as refused:
            next_status(status, move)
        assert refused.value.message == f"cannot {move.value} a {status.value} form"
        assert refused.value.status_code == 409
        assert refused.value.code == "TRANSITION_NOT_ALLOWED"
    else:
        assert next_status(status, move) is expected
