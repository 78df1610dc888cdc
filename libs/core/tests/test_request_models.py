"""Request models take exactly what their JSON Schema allows: the validator and the schema agree."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, ValidationError

from certboard_core.fields import IsoDate, IsoDateTime
from certboard_core.internal import ClockUpdate
from certboard_core.schemas import FormModel, RequestModel


class Colour(StrEnum):
    RED = "red"


class Line(RequestModel):
    count: int = Field(ge=1)


class Body(RequestModel):
    name: str = Field(min_length=1, pattern=r"\S")
    count: int
    ratio: float = 0.5
    flag: bool = False
    colour: Colour = Colour.RED
    day: IsoDate | None = None
    at: IsoDateTime | None = None
    ref: uuid.UUID | None = None
    lines: list[Line] = []


class Form(FormModel):
    name: str
    flag: bool
    maybe: bool | None = None
    day: IsoDate | None = None
    colour: Colour = Colour.RED


def refused_field(model: type[Any], data: dict[str, Any]) -> tuple[str | int, ...]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value.errors()[0]["loc"]


def test_a_body_takes_json_text_for_dates_instants_uuids_and_enums() -> None:
    ref = uuid.uuid4()
    body = Body.model_validate(
        {
            "name": "Ann",
            "count": 2,
            "ratio": 1,
            "flag": True,
            "colour": "red",
            "day": "2026-03-10",
            "at": "2026-03-10T08:00:00Z",
            "ref": str(ref),
            "lines": [{"count": 1}],
        }
    )
    assert (body.day, body.at, body.ref, body.colour) == (
        date(2026, 3, 10),
        datetime(2026, 3, 10, 8, tzinfo=UTC),
        ref,
        Colour.RED,
    )
    assert body.lines == [Line(count=1)]
    assert body.model_fields_set == {
        "name",
        *("count", "ratio", "flag", "colour", "day", "at", "ref", "lines"),
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"count": "1"}, "count"),
        ({"count": 1.5}, "count"),
        ({"count": True}, "count"),
        ({"ratio": "0.5"}, "ratio"),
        ({"flag": 0}, "flag"),
        ({"flag": "true"}, "flag"),
        ({"name": 1}, "name"),
        ({"name": "   "}, "name"),
        ({"colour": "blue"}, "colour"),
        ({"day": 0}, "day"),
        ({"day": "2026-02-30"}, "day"),
        ({"at": 1_700_000_000}, "at"),
        ({"ref": 7}, "ref"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_a_body_refuses_what_its_schema_refuses_at_the_field(
    change: dict[str, Any], field: str
) -> None:
    data = {"name": "Ann", "count": 2, **change}
    assert refused_field(Body, data) == (field,)
    assert not jsonschema_rs.validator_for(
        Body.model_json_schema(), validate_formats=True
    ).is_valid(data)


def test_a_nested_refusal_names_its_place() -> None:
    assert refused_field(Body, {"name": "Ann", "count": 1, "lines": [{"count": "1"}]}) == (
        "lines",
        0,
        "count",
    )


def test_python_callers_construct_with_python_values() -> None:
    ref = uuid.uuid4()
    body = Body(name="Ann", count=1, colour=Colour.RED, day=date(2026, 1, 2), ref=ref)
    assert (body.day, body.ref, body.model_fields_set >= {"name", "count"}) == (
        date(2026, 1, 2),
        ref,
        True,
    )
    with pytest.raises(ValidationError):
        Body(name="Ann", count="1")  # type: ignore[arg-type]


def test_a_form_takes_text_and_booleans_as_json_spells_them() -> None:
    form = Form.model_validate(
        {"name": "Ann", "flag": "true", "maybe": "false", "day": "2026-01-02"}
    )
    assert (form.flag, form.maybe, form.day) == (True, False, date(2026, 1, 2))
    for spelling in ("1", "0", "yes", "on", "True", "t", ""):
        assert refused_field(Form, {"name": "Ann", "flag": spelling}) == ("flag",)
        assert refused_field(Form, {"name": "Ann", "flag": "true", "maybe": spelling}) == ("maybe",)
    assert refused_field(Form, {"name": "Ann", "flag": "true", "extra": "x"}) == ("extra",)


CLOCK_VALUES: dict[str, list[Any]] = {
    "set_to": ["2026-01-01T00:00:00Z", None, 5],
    "advance_seconds": [1.5, 0, None, "1"],
    "reset": [True, False, 0],
    "frozen": [True, False, "true"],
}


@given(
    st.fixed_dictionaries(
        {},
        optional={name: st.sampled_from(values) for name, values in CLOCK_VALUES.items()},
    )
)
def test_the_clock_update_schema_accepts_exactly_what_the_model_does(body: dict[str, Any]) -> None:
    schema_accepts = jsonschema_rs.validator_for(
        ClockUpdate.model_json_schema(), validate_formats=True
    ).is_valid(body)
    try:
        ClockUpdate.model_validate(body)
    except ValidationError:
        model_accepts = False
    else:
        model_accepts = True
    assert schema_accepts == model_accepts, body
