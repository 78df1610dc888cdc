"""Reading and checking a form's items, from a request body or an uploaded file; no I/O.

Every problem is collected, each with where it is (a file's line, or a body's item) and the
field at fault, so one answer lists them all. A problem never quotes a key: a key is secret
even when it is wrong, and an error message ends up in logs and on screens.
"""

from __future__ import annotations

import csv
import io
import json
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from certboard_core.errors import UnsupportedMediaType
from exams.errors import FormItemsInvalid

COLUMNS = ("number", "domain", "key")
MAX_DOMAIN_CHARS = 100
# A file of far more rows than any form is refused at once, before every row is checked.
MAX_ROWS = 2000


@dataclass(frozen=True)
class Item:
    """One checked item: its number, content domain and key (an upper-case letter)."""

    number: int
    domain: str
    key: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the items: where (``line 4``, ``items[3]``), which field, what."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


@dataclass(frozen=True)
class RawRow:
    """One row as read, before checking, and where it was found."""

    where: str
    values: dict[str, Any]


def key_letters(options: int) -> str:
    """The letters a key may be: the first ``options`` of the alphabet."""
    return string.ascii_uppercase[:options]


def refuse(problems: Sequence[Problem]) -> FormItemsInvalid:
    """The one error naming every problem; its field is where the first one is."""
    first = problems[0]
    listed = "; ".join(str(p) for p in problems)
    return FormItemsInvalid(
        f"{len(problems)} problem(s) with the items: {listed}",
        field=f"{first.where}.{first.field}",
    )


def rows_from_body(items: Iterable[dict[str, Any]]) -> list[RawRow]:
    """A request body's items, each named by its place (``items[0]``)."""
    return [RawRow(f"items[{i}]", dict(item)) for i, item in enumerate(items)]


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse([Problem("file", "file", "is not UTF-8 text")]) from exc


def rows_from_json(raw: bytes) -> list[RawRow]:
    """A JSON file: a list of items, or an object with an ``items`` list; item ``n`` is the
    n-th (from 1) of that list."""
    try:
        document = json.loads(_text(raw))
    except json.JSONDecodeError as exc:
        # The decoder's message names the line and column, never the text around them.
        where = f"line {exc.lineno}"
        raise refuse([Problem(where, "file", f"is not valid JSON ({exc.msg})")]) from exc
    items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise refuse([Problem("file", "items", 'must be a list of items (or {"items": [...]})')])
    if len(items) > MAX_ROWS:
        raise refuse([Problem("file", "items", f"has more than {MAX_ROWS} items")])
    rows = []
    for index, item in enumerate(items, start=1):
        values = item if isinstance(item, dict) else {"": item}
        rows.append(RawRow(f"item {index}", values))
    return rows


def rows_from_csv(raw: bytes) -> list[RawRow]:
    """A CSV file with a header of ``number,domain,key`` (any order); blank lines skipped."""
    reader = csv.reader(io.StringIO(_text(raw), newline=""))
    header = next(reader, None)
    names = [name.strip().lower() for name in header or []]
    if sorted(names) != sorted(COLUMNS):
        expected = ",".join(COLUMNS)
        raise refuse([Problem("line 1", "header", f"must name the columns {expected}")])
    rows: list[RawRow] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) == MAX_ROWS:
                raise refuse([Problem("file", "file", f"has more than {MAX_ROWS} rows")])
            where = f"line {reader.line_num}"
            if len(record) != len(names):
                rows.append(RawRow(where, {"": f"{len(record)} cells"}))
                continue
            rows.append(RawRow(where, dict(zip(names, record, strict=True))))
    except csv.Error as exc:
        raise refuse([Problem(f"line {reader.line_num}", "file", "is not valid CSV")]) from exc
    return rows


def rows_from_file(raw: bytes, *, filename: str | None, content_type: str | None) -> list[RawRow]:
    """An uploaded file's rows, read as JSON or CSV by its name or declared type."""
    name = (filename or "").lower()
    kind = (content_type or "").split(";")[0].strip().lower()
    if name.endswith(".json") or kind == "application/json":
        return rows_from_json(raw)
    if name.endswith(".csv") or kind in ("text/csv", "application/csv"):
        return rows_from_csv(raw)
    raise UnsupportedMediaType("the file must be JSON (.json) or CSV (.csv)", field="file")


def _number(value: Any, item_count: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            return None
        value = int(value)
    if isinstance(value, int) and 1 <= value <= item_count:
        return value
    return None


def _check_row(row: RawRow, *, item_count: int, letters: str) -> tuple[Item | None, list[Problem]]:
    values = row.values
    if "" in values:
        wanted = len(COLUMNS)
        return None, [Problem(row.where, "row", f"must have {wanted} cells: number,domain,key")]
    problems = []
    number = _number(values.get("number"), item_count)
    if number is None:
        problems.append(Problem(row.where, "number", f"must be a whole number 1 to {item_count}"))
    domain = values.get("domain")
    domain = domain.strip() if isinstance(domain, str) else ""
    if not domain:
        problems.append(Problem(row.where, "domain", "must not be blank"))
    elif len(domain) > MAX_DOMAIN_CHARS:
        problems.append(Problem(row.where, "domain", f"is over {MAX_DOMAIN_CHARS} characters"))
    key = values.get("key")
    key = key.strip().upper() if isinstance(key, str) else ""
    if len(key) != 1 or key not in letters:
        # Never the value itself: see the module's docstring.
        choices = f"{letters[0]} to {letters[-1]}"
        problems.append(Problem(row.where, "key", f"must be one letter, {choices}"))
    if problems or number is None:
        return None, problems
    return Item(number, domain, key), []


def check_items(rows: Sequence[RawRow], *, item_count: int, options: int) -> list[Item]:
    """The items, by number, if they are exactly 1..``item_count`` each with a domain and a
    key among the first ``options`` letters; otherwise FormItemsInvalid listing every problem."""
    letters = key_letters(options)
    problems: list[Problem] = []
    items: dict[int, Item] = {}
    first_seen: dict[int, str] = {}
    for row in rows:
        item, found = _check_row(row, item_count=item_count, letters=letters)
        problems += found
        if item is None:
            continue
        if item.number in first_seen:
            seen = first_seen[item.number]
            problems.append(Problem(row.where, "number", f"{item.number} repeats {seen}"))
            continue
        first_seen[item.number] = row.where
        items[item.number] = item
    if len(rows) != item_count:
        problems.append(
            Problem("file", "items", f"there must be exactly {item_count} items, not {len(rows)}")
        )
    numbered = {n for row in rows if (n := _number(row.values.get("number"), item_count))}
    missing = [n for n in range(1, item_count + 1) if n not in numbered]
    if missing:
        shown = ", ".join(str(n) for n in missing[:20]) + (", ..." if len(missing) > 20 else "")
        problems.append(Problem("file", "number", f"no item numbered {shown}"))
    if problems:
        raise refuse(problems)
    return [items[n] for n in sorted(items)]
