"""Reading and checking items: every problem at once, where it is, and never a key's value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certboard_core.errors import UnsupportedMediaType
from exams.errors import FormItemsInvalid
from exams.form.importer import (
    Item,
    check_items,
    key_letters,
    rows_from_body,
    rows_from_csv,
    rows_from_file,
    rows_from_json,
)


def good(count: int = 5) -> list[dict[str, object]]:
    return [{"number": n, "domain": "Ethics", "key": "ABCD"[n % 4]} for n in range(1, count + 1)]


def problems_of(rows, *, count: int = 5, options: int = 4) -> str:
    with pytest.raises(FormItemsInvalid) as refused:
        check_items(rows, item_count=count, options=options)
    return refused.value.message


def test_good_items_come_back_by_number_with_upper_case_keys() -> None:
    rows = list(reversed(good()))
    rows[0] = {**rows[0], "key": "b", "domain": "  Ethics "}
    assert check_items(rows_from_body(rows), item_count=5, options=4) == [
        Item(1, "Ethics", "B"),
        Item(2, "Ethics", "C"),
        Item(3, "Ethics", "D"),
        Item(4, "Ethics", "A"),
        Item(5, "Ethics", "B"),
    ]


@pytest.mark.parametrize(("options", "letters"), [(2, "AB"), (4, "ABCD"), (5, "ABCDE")])
def test_keys_are_the_first_letters_of_the_policy(options: int, letters: str) -> None:
    assert key_letters(options) == letters
    rows = [{"number": 1, "domain": "Ethics", "key": letters[-1]}]
    assert check_items(rows_from_body(rows), item_count=1, options=options)[0].key == letters[-1]
    beyond = [{"number": 1, "domain": "Ethics", "key": "ABCDEF"[options]}]
    message = problems_of(rows_from_body(beyond), count=1, options=options)
    assert message.endswith(f"key: must be one letter, A to {letters[-1]}")


@pytest.mark.parametrize("count", [4, 6])
def test_the_item_count_is_exact(count: int) -> None:
    message = problems_of(rows_from_body(good(count)))
    assert f"there must be exactly 5 items, not {count}" in message


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "number: must be a whole number 1 to 5"), (6, "number: must be a whole number 1 to 5")],
)
def test_numbers_stay_inside_the_form(number: int, expected: str) -> None:
    rows = good()
    rows[4] = {**rows[4], "number": number}
    assert f"items[4], {expected}" in problems_of(rows_from_body(rows))


def test_a_key_is_never_quoted_even_when_wrong() -> None:
    rows = good()
    rows[1] = {**rows[1], "key": "SECRETZ"}
    rows[2] = {**rows[2], "key": ""}
    message = problems_of(rows_from_body(rows))
    assert "SECRETZ" not in message
    assert "items[1], key" in message
    assert "items[2], key" in message


def test_csv_lines_are_counted_as_the_file_has_them() -> None:
    raw = b'\xef\xbb\xbfNumber, Domain ,KEY\r\n1,Ethics,A\r\n\r\n2,"Recovery,\nand wellness",B\r\n'
    rows = rows_from_csv(raw)
    assert [r.where for r in rows] == ["line 2", "line 5"]
    assert rows[1].values == {"number": "2", "domain": "Recovery,\nand wellness", "key": "B"}


def test_a_csv_header_must_name_the_columns() -> None:
    with pytest.raises(FormItemsInvalid) as refused:
        rows_from_csv(b"n,domain,key\n1,Ethics,A\n")
    assert refused.value.field == "line 1.header"


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(FormItemsInvalid) as refused:
        rows_from_csv("number,domain,key\n1,Ética,A\n".encode("latin-1"))
    assert refused.value.message.endswith("file, file: is not UTF-8 text")


def test_broken_json_names_its_line() -> None:
    with pytest.raises(FormItemsInvalid) as refused:
        rows_from_json(b'[\n{"number": 1,\n "key": "D" "domain": "x"}]')
    assert refused.value.field == "line 3.file"
    assert '"D"' not in refused.value.message


def test_json_items_are_named_by_their_place() -> None:
    rows = rows_from_json(json.dumps({"items": [*good(2), "nonsense"]}).encode())
    assert [r.where for r in rows] == ["item 1", "item 2", "item 3"]
    message = problems_of(rows, count=3)
    assert "item 3, row: must have 3 cells" in message


def test_the_file_kind_comes_from_its_name_or_type() -> None:
    body = json.dumps(good(1)).encode()
    assert len(rows_from_file(body, filename="F.JSON", content_type=None)) == 1
    assert len(rows_from_file(body, filename=None, content_type="application/json")) == 1
    csv = b"number,domain,key\n1,Ethics,A\n"
    assert len(rows_from_file(csv, filename="form.csv", content_type=None)) == 1
    with pytest.raises(UnsupportedMediaType):
        rows_from_file(csv, filename="form.txt", content_type="text/plain")


@given(st.permutations(list(range(1, 13))), st.text(alphabet="ABCD", min_size=12, max_size=12))
def test_any_order_of_a_complete_form_is_accepted(order: list[int], keys: str) -> None:
    rows = [{"number": n, "domain": f"D{n % 3}", "key": keys[n - 1]} for n in order]
    items = check_items(rows_from_body(rows), item_count=12, options=4)
    assert [i.number for i in items] == list(range(1, 13))
    assert "".join(i.key for i in items) == keys


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=12))
def test_a_repeated_number_is_named_and_the_gap_it_leaves(twice: int, dropped: int) -> None:
    numbers = [n for n in range(1, 13) if n != dropped] + [twice]
    rows = [{"number": n, "domain": "Ethics", "key": "A"} for n in numbers]
    if twice == dropped:
        assert len(check_items(rows_from_body(rows), item_count=12, options=4)) == 12
        return
    message = problems_of(rows_from_body(rows), count=12)
    assert f"number: {twice} repeats items[" in message
    assert message.endswith(f"file, number: no item numbered {dropped}")
