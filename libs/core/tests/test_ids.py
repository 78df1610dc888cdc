from __future__ import annotations

import time
import uuid

from certboard_core.ids import new_id, new_ids


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


def test_batches_are_valid_unique_ids_of_one_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    batch = [uuid.UUID(hex=h) for h in new_ids(5_000)]
    after = time.time_ns() // 1_000_000
    assert {u.version for u in batch} == {7}
    assert {u.variant for u in batch} == {uuid.RFC_4122}
    assert len(set(batch)) == 5_000
    assert all(before <= u.int >> 80 <= after for u in batch)
    # All four variant nibbles occur: the two random bits in it are really random.
    assert {u.hex[16] for u in batch} == set("89ab")


def test_an_empty_batch_is_empty() -> None:
    assert new_ids(0) == []
