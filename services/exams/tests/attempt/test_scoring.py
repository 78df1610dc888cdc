"""Exact scoring: a full form at the pass mark's edge, per-domain figures, and its laws."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.attempt.scoring import (
    AnswerKey,
    KeyedItem,
    check_items,
    marks,
    passes,
    score_responses,
    vendor_result,
)
from exams.errors import InconsistentVendorScore, UnknownExamItem
from exams.rules import Score

# 120 items in four domains of 30, 40, 20 and 30 items (numbers 1-30, 31-70, 71-90, 91-120).
SIZES = {"ethics": 30, "recovery": 40, "advocacy": 20, "communication": 30}


def form_items() -> list[KeyedItem]:
    items, number = [], 1
    for domain, size in SIZES.items():
        for _ in range(size):
            items.append(KeyedItem(number, domain, "ABCD"[number % 4]))
            number += 1
    return items


KEY = AnswerKey.of(form_items())


def right_on(numbers: set[int]) -> dict[int, str]:
    """Right answers on ``numbers``, a wrong one on every other item."""
    return {n: k if n in numbers else ("A" if k != "A" else "B") for n, k in KEY.items}


class TestFullForm:
    @pytest.mark.parametrize(
        ("correct", "passed", "percent"),
        [(95, False, "79.16"), (96, True, "80.00"), (97, True, "80.83")],
    )
    def test_pass_mark_edge(self, correct: int, passed: bool, percent: str) -> None:
        result = score_responses(right_on(set(range(1, correct + 1))), KEY)
        assert result.score == Score(correct, 120)
        assert passes(result.correct, result.total, 80) is passed
        assert result.score.percent_text == percent
        assert result.score.percent == Fraction(correct * 100, 120)

    def test_per_domain_figures(self) -> None:
        # 95 right: all of ethics (30) and recovery (40), 5 of advocacy, all of communication.
        result = score_responses(right_on(set(range(1, 76)) | set(range(91, 121))), KEY)
        rows = [
            (d.domain, d.score.correct, d.score.total, d.score.percent_text) for d in result.domains
        ]
        assert rows == [
            ("ethics", 30, 30, "100.00"),
            ("recovery", 40, 40, "100.00"),
            ("advocacy", 5, 20, "25.00"),
            ("communication", 30, 30, "100.00"),
        ]
        assert result.score == Score(105, 120)
        assert result.domain_rows()[2] == {"domain": "advocacy", "correct": 5, "total": 20}

    def test_a_third_is_shown_rounded_down(self) -> None:
        key = AnswerKey.of([KeyedItem(1, "a", "A"), KeyedItem(2, "a", "B"), KeyedItem(3, "a", "C")])
        result = score_responses({1: "A", 2: "A", 3: "A"}, key)
        assert result.domains[0].score.percent == Fraction(100, 3)
        assert result.domains[0].score.percent_text == "33.33"

    def test_unanswered_counts_wrong_and_case_is_ignored(self) -> None:
        key = AnswerKey.of([KeyedItem(1, "a", "b"), KeyedItem(2, "a", "C")])
        assert score_responses({1: "B"}, key).score == Score(1, 2)

    def test_unknown_items_are_refused_naming_them(self) -> None:
        with pytest.raises(UnknownExamItem) as refused:
            check_items({1: "A", 121: "B", 500: "C"}, KEY)
        assert "121, 500" in refused.value.message
        assert refused.value.field == "responses"

    def test_marks_row_in_item_order(self) -> None:
        assert marks(right_on({1, 3}), KEY)[:4] == [1, 0, 1, 0]


responses = st.dictionaries(st.integers(1, 120), st.sampled_from("ABCDE"), max_size=120)


class TestLaws:
    @given(responses)
    def test_domains_add_up_to_the_score(self, given_responses: dict[int, str]) -> None:
        result = score_responses(given_responses, KEY)
        assert sum(d.score.correct for d in result.domains) == result.score.correct
        assert sum(d.score.total for d in result.domains) == result.score.total == 120

    @given(responses, st.randoms(use_true_random=False))
    def test_item_order_changes_nothing(
        self, given_responses: dict[int, str], rnd: random.Random
    ) -> None:
        shuffled = form_items()
        rnd.shuffle(shuffled)
        assert score_responses(given_responses, AnswerKey.of(shuffled)) == score_responses(
            given_responses, KEY
        )

    @given(responses)
    def test_marks_sum_to_the_score(self, given_responses: dict[int, str]) -> None:
        assert (
            sum(marks(given_responses, KEY)) == score_responses(given_responses, KEY).score.correct
        )

    @given(
        st.integers(1, 500).flatmap(lambda t: st.tuples(st.integers(0, t), st.just(t))),
        st.integers(0, 100),
    )
    def test_pass_is_the_exact_percentage(self, counts: tuple[int, int], mark: int) -> None:
        score = Score(*counts)
        assert passes(score.correct, score.total, mark) is (score.percent >= mark)

    @given(responses, st.integers(1, 120))
    def test_a_right_answer_never_lowers_the_score(
        self, given_responses: dict[int, str], item: int
    ) -> None:
        before = score_responses(given_responses, KEY).score.correct
        fixed = {**given_responses, item: dict(KEY.items)[item]}
        assert score_responses(fixed, KEY).score.correct >= before


class TestVendorScore:
    FORM = {"ethics": 30, "recovery": 40, "advocacy": 20, "communication": 30}

    def rows(self, *corrects: int) -> list[dict[str, object]]:
        return [
            {"domain": d, "correct": c, "total": t}
            for (d, t), c in zip(self.FORM.items(), corrects, strict=True)
        ]

    def test_a_consistent_score_is_taken(self) -> None:
        result = vendor_result(96, 120, self.rows(30, 30, 10, 26), form_domains=self.FORM)
        assert result.score == Score(96, 120)
        assert [d.score.correct for d in result.domains] == [30, 30, 10, 26]

    @pytest.mark.parametrize(
        ("correct", "total", "corrects", "field"),
        [
            (97, 120, (30, 30, 10, 26), "domains"),  # domains add up to 96
            (121, 120, (30, 30, 10, 26), "correct"),
            (96, 120, (31, 30, 10, 25), "domains.0.correct"),  # 31 of 30
        ],
    )
    def test_an_inconsistent_score_is_refused(
        self, correct: int, total: int, corrects: tuple[int, ...], field: str
    ) -> None:
        with pytest.raises(InconsistentVendorScore) as refused:
            vendor_result(correct, total, self.rows(*corrects), form_domains=self.FORM)
        assert refused.value.field == field

    def test_domains_must_be_the_forms(self) -> None:
        rows = self.rows(30, 30, 10, 26)
        rows[3]["domain"] = "other"
        with pytest.raises(InconsistentVendorScore):
            vendor_result(96, 120, rows, form_domains=self.FORM)
        # Without a known form, only the sums are checked.
        assert vendor_result(96, 120, rows, form_domains=None).score.correct == 96
