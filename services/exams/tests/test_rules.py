from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.rules import Score


class TestScore:
    def test_96_of_120_is_exactly_80_percent(self) -> None:
        assert Score(correct=96, total=120).percent == Fraction(80)
        assert Score(correct=95, total=120).percent < 80

    @pytest.mark.parametrize(("correct", "total"), [(-1, 10), (11, 10), (0, 0)])
    def test_an_impossible_score_is_refused(self, correct: int, total: int) -> None:
        with pytest.raises(ValueError, match="impossible score"):
            Score(correct=correct, total=total)


@pytest.mark.parametrize(
    ("correct", "total", "shown"),
    [(95, 120, "79.16"), (96, 120, "80.00"), (97, 120, "80.83"), (1, 3, "33.33"), (2, 3, "66.66")],
)
def test_percent_text_is_rounded_down(correct: int, total: int, shown: str) -> None:
    assert Score(correct, total).percent_text == shown


@given(data=st.data(), total=st.integers(min_value=1, max_value=500))
def test_percent_grows_with_correct_answers(data: st.DataObject, total: int) -> None:
    low = data.draw(st.integers(min_value=0, max_value=total - 1))
    assert Score(correct=low, total=total).percent < Score(correct=low + 1, total=total).percent
    assert 0 <= Score(correct=low, total=total).percent <= 100


@given(data=st.data(), total=st.integers(min_value=1, max_value=500))
def test_the_text_is_never_above_the_exact_percent(data: st.DataObject, total: int) -> None:
    correct = data.draw(st.integers(min_value=0, max_value=total))
    score = Score(correct=correct, total=total)
    shown = Fraction(score.percent_text.replace(".", "")) / 100
    assert shown <= score.percent < shown + Fraction(1, 100)
