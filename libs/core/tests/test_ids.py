from __future__ import annotations

import time
import uuid

from certboard_core.ids import new_id


def test_ids_are_version_7_with_the_rfc_variant() -> None:
    ident = new_id()
    assert ident.version == 7
    assert ident.variant == uuid.RFC_4122


def test_ids_carry_the_time_and_sort_by_it() -> None:
    before = time.time_ns() // 1_000_000
    first = new_id()
    second = new_id()
    while second.int >> 80 == first.int >> 80:  # until the clock's millisecond moves on
        second = new_id()
    assert first.int >> 80 >= before
    assert second.int > first.int
    assert str(second) > str(first)


def test_ids_are_unique_within_a_millisecond() -> None:
    assert len({new_id() for _ in range(10_000)}) == 10_000
