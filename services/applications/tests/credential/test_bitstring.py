"""The Bitstring Status List encoding: the Recommendation's own example, bit order, laws."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.credential.bitstring import (
    LIST_SIZE,
    BadEncodedList,
    bitstring,
    decode,
    encode,
    is_set,
    set_indexes,
)

# The example encodedList of Bitstring Status List v1.0 (§2.1): 131,072 bits, none set.
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def test_the_recommendations_example_decodes_to_an_empty_list() -> None:
    bits = decode(SPEC_EXAMPLE)
    assert len(bits) * 8 == LIST_SIZE
    assert set_indexes(bits) == []


def test_index_zero_is_the_first_bytes_most_significant_bit() -> None:
    assert bitstring(16, [0]) == bytes([0x80, 0])
    assert bitstring(16, [7, 8]) == bytes([0x01, 0x80])
    assert bitstring(16, [15]) == bytes([0, 0x01])


def test_no_padding_and_the_multibase_prefix() -> None:
    encoded = encode(bitstring(LIST_SIZE, [1, 131_071]))
    assert encoded.startswith("u")
    assert not {"=", "+", "/"} & set(encoded)
    assert set_indexes(decode(encoded)) == [1, 131_071]


@pytest.mark.parametrize(("size", "index"), [(8, 8), (8, -1), (LIST_SIZE, LIST_SIZE)])
def test_an_index_outside_the_list(size: int, index: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        bitstring(size, [index])


@pytest.mark.parametrize("size", [0, -8, 12])
def test_a_size_that_is_not_whole_bytes(size: int) -> None:
    with pytest.raises(ValueError, match="whole number of bytes"):
        bitstring(size, [])


@pytest.mark.parametrize("encoded", ["", "zH4sI", "u!!!", "uAAAA", "u" + "A" * 30])
def test_what_does_not_decode(encoded: str) -> None:
    with pytest.raises(BadEncodedList):
        decode(encoded)


@settings(max_examples=100, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=LIST_SIZE - 1), max_size=200))
def test_encoding_round_trips_exactly_the_set_bits(indexes: set[int]) -> None:
    bits = decode(encode(bitstring(LIST_SIZE, indexes)))
    assert set_indexes(bits) == sorted(indexes)
    for index in list(indexes)[:5]:
        assert is_set(bits, index)
