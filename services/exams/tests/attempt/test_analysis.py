"""Item statistics against a hand computation, their flags at the thresholds, and no crash on
zero variance."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from exams.attempt.analysis import Correlation, FormFlag, ItemFlag, analyse, fixed

# Five candidates, four items; item 4 is answered right only by the weakest: a miskey.
ROWS = [
    [1, 1, 1, 0],  # T = 3
    [1, 1, 1, 0],  # T = 3
    [1, 1, 0, 0],  # T = 2
    [1, 0, 0, 1],  # T = 2
    [0, 0, 0, 1],  # T = 1
]


class TestHandComputed:
    # n = 5, ΣT = 11, ΣT² = 27, so n² var = 5·27 - 11² = 14, var = 14/25.
    # Corrected point-biserial, R = T - x:
    #   item 1: x = 11110, R = 22111: nΣxR - ΣxΣR = 5·6 - 4·7 = 2; nΣx²-(Σx)² = 4;
    #           nΣR²-(ΣR)² = 5·11 - 49 = 6; r = 2/√24 = 0.40824...
    #   item 2: x = 11100, R = 22121: 5·5 - 3·8 = 1; 6; 5·14 - 64 = 6; r = 1/√36 = 1/6
    #   item 3: x = 11000, R = 22221: 5·4 - 2·9 = 2; 6; 5·17 - 81 = 4; r = 2/√24
    #   item 4: x = 00011, R = 33210: 5·1 - 2·9 = -13; 6; 5·23 - 81 = 34; r = -13/√204 = -0.91018...
    # KR-20: Σpq = (4·1 + 3·2 + 2·3 + 2·3)/25 = 22/25; 4/3 · (1 - 22/14) = -16/21.
    stats = analyse(ROWS, 4)

    def test_p_values(self) -> None:
        assert [i.p for i in self.stats.items] == [
            Fraction(4, 5),
            Fraction(3, 5),
            Fraction(2, 5),
            Fraction(2, 5),
        ]

    def test_point_biserials(self) -> None:
        found = [i.point_biserial for i in self.stats.items]
        assert found == [
            Correlation(2, 24),
            Correlation(1, 36),
            Correlation(2, 24),
            Correlation(-13, 204),
        ]
        assert [r.text() for r in found if r] == ["0.4082", "0.1666", "0.4082", "-0.9101"]

    def test_kr20(self) -> None:
        assert self.stats.kr20 == Fraction(-16, 21)
        assert fixed(Fraction(-16, 21)) == "-0.7620"  # rounded down: -0.76190... -> -0.7620
        assert self.stats.flags == (FormFlag.LOW_RELIABILITY,)

    def test_the_miskey_is_flagged(self) -> None:
        flags = [i.flags for i in self.stats.items]
        assert flags == [
            (),
            (ItemFlag.LOW_DISCRIMINATION,),
            (),
            (ItemFlag.LOW_DISCRIMINATION, ItemFlag.LIKELY_MISKEY),
        ]


class TestThresholds:
    def test_p_at_96_percent_is_too_easy(self) -> None:
        rows = [[1, i % 2] for i in range(25)]
        rows[0][0] = 0  # 24 of 25 right: exactly .96
        assert ItemFlag.TOO_EASY in analyse(rows, 2).items[0].flags
        rows[1][0] = 0  # 23 of 25: .92
        assert ItemFlag.TOO_EASY not in analyse(rows, 2).items[0].flags

    def test_p_at_20_percent_is_not_too_hard(self) -> None:
        rows = [[1 if i < 5 else 0, i % 2] for i in range(25)]  # 5 of 25: exactly .20
        assert ItemFlag.TOO_HARD not in analyse(rows, 2).items[0].flags
        rows[0][0] = 0  # 4 of 25
        assert ItemFlag.TOO_HARD in analyse(rows, 2).items[0].flags

    def test_point_biserial_at_20_is_not_low(self) -> None:
        assert not Correlation(1, 25).below(Fraction(1, 5))  # exactly 1/5
        assert Correlation(1, 26).below(Fraction(1, 5))
        assert Correlation(-1, 10**6).below(Fraction(0))

    def test_kr20_at_80_is_not_low(self) -> None:
        # Three identical items answered by 0, 1, ..., split evenly: totals 0 or 3.
        rows = [[1, 1, 1], [0, 0, 0]]
        stats = analyse(rows, 3)
        assert stats.kr20 == 1
        assert stats.flags == ()


class TestNoVariance:
    def test_everyone_right_gives_nulls_not_a_crash(self) -> None:
        stats = analyse([[1, 1], [1, 1], [1, 1]], 2)
        assert [i.point_biserial for i in stats.items] == [None, None]
        assert stats.kr20 is None
        assert stats.items[0].flags == (ItemFlag.TOO_EASY,)

    def test_no_attempts(self) -> None:
        stats = analyse([], 3)
        assert stats.attempts == 0
        assert [i.p for i in stats.items] == [None, None, None]
        assert stats.kr20 is None

    def test_one_item(self) -> None:
        assert analyse([[1], [0]], 1).kr20 is None


matrices = st.integers(1, 6).flatmap(
    lambda k: st.lists(st.lists(st.integers(0, 1), min_size=k, max_size=k), max_size=30).map(
        lambda rows, k=k: (rows, k)
    )
)


class TestLaws:
    @given(matrices)
    def test_item_counts_add_up_to_the_totals(self, drawn: tuple[list[list[int]], int]) -> None:
        rows, k = drawn
        stats = analyse(rows, k)
        assert sum(i.correct for i in stats.items) == sum(map(sum, rows))
        assert all(i.p is None or 0 <= i.p <= 1 for i in stats.items)

    @given(matrices)
    def test_correlations_are_within_one(self, drawn: tuple[list[list[int]], int]) -> None:
        rows, k = drawn
        for item in analyse(rows, k).items:
            r = item.point_biserial
            if r is not None:
                assert r.num**2 <= r.den
                assert -1 <= float(r.text()) <= 1

    @given(matrices, st.randoms(use_true_random=False))
    def test_candidate_order_changes_nothing(
        self, drawn: tuple[list[list[int]], int], rnd: random.Random
    ) -> None:
        rows, k = drawn
        shuffled = list(rows)
        rnd.shuffle(shuffled)
        assert analyse(shuffled, k) == analyse(rows, k)

    @given(matrices)
    def test_kr20_never_exceeds_one(self, drawn: tuple[list[list[int]], int]) -> None:
        rows, k = drawn
        kr20 = analyse(rows, k).kr20
        assert kr20 is None or kr20 <= 1
