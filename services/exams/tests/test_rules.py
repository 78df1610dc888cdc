from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.errors import UnknownExamItem
from exams.policy import build_policy
from exams.rules import (
    Score,
    attempts_left,
    may_retake,
    passed,
    score,
)

CA = build_policy("CA")
MT = build_policy("MT")
KEY = {item: "ABCD"[item % 4] for item in range(1, 121)}


def answers_with(correct: int) -> dict[int, str]:
    """The first ``correct`` items answered right, the rest answered wrong."""
    return {item: right if item <= correct else "X" for item, right in KEY.items()}


class TestScore:
    def test_counts_matching_answers(self) -> None:
        result = score(answers_with(96), KEY)
        assert result == Score(correct=96, total=120)
        assert result.percent == 80

    def test_all_and_none_correct(self) -> None:
        assert score(answers_with(120), KEY).percent == 100
        assert score(answers_with(0), KEY).percent == 0

    def test_unanswered_items_count_wrong(self) -> None:
        answers = {item: KEY[item] for item in range(1, 61)}
        assert score(answers, KEY) == Score(correct=60, total=120)
        assert score({}, KEY) == Score(correct=0, total=120)

    def test_percent_is_exact(self) -> None:
        result = score({1: "A"}, {1: "A", 2: "B", 3: "C"})
        assert result.percent == Fraction(100, 3)

    def test_answers_for_items_not_in_the_key_are_refused(self) -> None:
        with pytest.raises(UnknownExamItem) as caught:
            score({**answers_with(120), 121: "A", 0: "B"}, KEY)
        assert caught.value.code == "EXAM_ITEM_UNKNOWN"
        assert "[0, 121]" in caught.value.message

    def test_an_empty_key_is_refused(self) -> None:
        with pytest.raises(ValueError, match="at least one item"):
            score({}, {})

    @pytest.mark.parametrize(("correct", "total"), [(-1, 120), (121, 120), (0, 0)])
    def test_impossible_scores_are_refused(self, correct: int, total: int) -> None:
        with pytest.raises(ValueError, match="impossible score"):
            Score(correct=correct, total=total)


class TestPassed:
    @pytest.mark.parametrize(
        ("correct", "expected"), [(0, False), (95, False), (96, True), (97, True), (120, True)]
    )
    def test_pass_mark_boundary(self, correct: int, expected: bool) -> None:
        # 96/120 is exactly 80%; 95/120 is 79.17%.
        assert passed(Score(correct=correct, total=120), CA) is expected
        assert passed(Score(correct=correct, total=120), MT) is expected

    @pytest.mark.parametrize(("correct", "total"), [(29, 50), (58, 100), (87, 150)])
    def test_no_float_rounding_at_awkward_totals(self, correct: int, total: int) -> None:
        # Each is exactly 58%, but correct / total * 100 gives 57.99999999999999 in floats.
        fifty_eight = build_policy("CA", {"pass_mark_percent": 58})
        assert passed(Score(correct=correct, total=total), fifty_eight)
        assert not passed(Score(correct=correct - 1, total=total), fifty_eight)

    def test_the_pass_mark_is_policy(self) -> None:
        lenient = build_policy("CA", {"pass_mark_percent": 75})
        assert passed(Score(correct=90, total=120), lenient)
        assert not passed(Score(correct=90, total=120), CA)


class TestAttemptsLeft:
    @pytest.mark.parametrize(("used", "left"), [(0, 3), (1, 2), (2, 1), (3, 0), (4, 0)])
    def test_ca_allows_three(self, used: int, left: int) -> None:
        assert attempts_left(used, CA) == left

    @pytest.mark.parametrize(("used", "left"), [(0, 1), (1, 0), (2, 0)])
    def test_mt_allows_one(self, used: int, left: int) -> None:
        assert attempts_left(used, MT) == left

    def test_negative_use_is_refused(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            attempts_left(-1, CA)


class TestRetake:
    FAILED_ON = date(2026, 6, 15)

    @pytest.mark.parametrize(("used", "allowed"), [(1, True), (2, True), (3, False)])
    def test_ca_retakes_while_attempts_remain(self, used: int, allowed: bool) -> None:
        assert (
            may_retake(
                attempts_used=used, failed_on=self.FAILED_ON, training_completed_on=None, policy=CA
            )
            is allowed
        )

    @pytest.mark.parametrize(
        ("training_offset_days", "allowed"), [(-30, False), (-1, False), (0, False), (1, True)]
    )
    def test_mt_needs_training_completed_after_the_failure(
        self, training_offset_days: int, allowed: bool
    ) -> None:
        training = self.FAILED_ON + timedelta(days=training_offset_days)
        assert (
            may_retake(
                attempts_used=1, failed_on=self.FAILED_ON, training_completed_on=training, policy=MT
            )
            is allowed
        )

    def test_mt_without_any_training_is_refused(self) -> None:
        assert not may_retake(
            attempts_used=1, failed_on=self.FAILED_ON, training_completed_on=None, policy=MT
        )


# Laws that hold whatever the numbers.

totals = st.integers(min_value=1, max_value=500)
pass_marks = st.integers(min_value=0, max_value=100)


@given(data=st.data(), total=totals)
def test_percent_grows_with_correct_answers(data: st.DataObject, total: int) -> None:
    low = data.draw(st.integers(min_value=0, max_value=total - 1))
    assert Score(correct=low, total=total).percent < Score(correct=low + 1, total=total).percent
    assert 0 <= Score(correct=low, total=total).percent <= 100


@given(data=st.data(), total=totals, mark=pass_marks)
def test_passing_stays_passed_with_more_correct(data: st.DataObject, total: int, mark: int) -> None:
    policy = build_policy("CA", {"pass_mark_percent": mark})
    low = data.draw(st.integers(min_value=0, max_value=total - 1))
    if passed(Score(correct=low, total=total), policy):
        assert passed(Score(correct=low + 1, total=total), policy)
    # A perfect score passes any mark.
    assert passed(Score(correct=total, total=total), policy)


@given(total=totals, mark=pass_marks, data=st.data())
def test_passed_agrees_with_integer_arithmetic(total: int, mark: int, data: st.DataObject) -> None:
    policy = build_policy("CA", {"pass_mark_percent": mark})
    correct = data.draw(st.integers(min_value=0, max_value=total))
    assert passed(Score(correct=correct, total=total), policy) is (correct * 100 >= mark * total)


@given(
    answers=st.dictionaries(st.integers(1, 120), st.sampled_from("ABCDX"), max_size=120),
)
def test_score_counts_exactly_the_matches(answers: dict[int, str]) -> None:
    result = score(answers, KEY)
    assert result.total == len(KEY)
    assert result.correct == sum(1 for item, answer in answers.items() if KEY[item] == answer)


@given(used=st.integers(min_value=0, max_value=1000), maximum=st.integers(1, 10))
def test_attempts_left_is_never_negative_and_never_grows(used: int, maximum: int) -> None:
    policy = build_policy("CA", {"max_attempts_in_approval_period": maximum})
    assert 0 <= attempts_left(used, policy) <= maximum
    assert attempts_left(used + 1, policy) <= attempts_left(used, policy)


@pytest.mark.parametrize(
    ("correct", "total", "shown"),
    [(95, 120, "79.16"), (96, 120, "80.00"), (97, 120, "80.83"), (1, 3, "33.33"), (2, 3, "66.66")],
)
def test_percent_text_is_rounded_down(correct: int, total: int, shown: str) -> None:
    assert Score(correct, total).percent_text == shown
