"""Generated GraphQL operations get data or a refusal with a stable code, never a server error."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.graphql import nodes

from certboard_core.testing.plugin import bearer
from gateway.schema.build import build_schema

from .conftest import BOUNDED, CONFIG, contract_folder, gateway_app, gateway_settings, prepared

STABLE_CODE = re.compile(r"[A-Z][A-Z_]*")

# The gateway's own scalars: ISO dates and instants the clock's range allows, and for an
# Upload (a file part in a multipart request) an inline string, which must be refused cleanly.
schemathesis.graphql.scalar(
    "Date",
    st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)).map(
        lambda day: nodes.String(day.isoformat())
    ),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(2199, 12, 31), timezones=st.just(UTC)
    ).map(lambda instant: nodes.String(instant.isoformat())),
)
schemathesis.graphql.scalar("Upload", st.text(max_size=20).map(nodes.String))
# Exact decimals (hours worked, a supervisor's CE hours), as the strings clients send, some
# out of range or odd.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(
        st.decimals(min_value=-10, max_value=200, places=2, allow_nan=False).map(str),
        st.sampled_from(["NaN", "Infinity", "1E+400", "7.125", "abc"]),
    ).map(nodes.String),
)


FOLDER = contract_folder("graphql")
ROLES = ("staff", "applicant", "provider")


@pytest.fixture(scope="module")
def tokens() -> Iterator[dict[str, str]]:
    with prepared(FOLDER) as made:
        yield made


def _explored_as(role: str) -> Callable[[Case, dict[str, str]], None]:
    def test(case: Case, tokens: dict[str, str]) -> None:
        # schemathesis counts every GraphQL error as a failure; here a refusal that names a
        # stable code (NOT_FOUND, FORBIDDEN, BAD_USER_INPUT, ...) is a right answer.
        response = case.call(headers=bearer(tokens[role]))
        assert response.status_code < 500, response.text
        body = response.json()
        assert isinstance(body, dict), body
        for error in body.get("errors") or []:
            code = (error.get("extensions") or {}).get("code")
            assert isinstance(code, str), error
            assert STABLE_CODE.fullmatch(code), error
            assert code != "INTERNAL", error

    return test


_introspection = build_schema(gateway_settings(FOLDER)).introspect()
_schema = schemathesis.graphql.from_dict(dict(_introspection), config=CONFIG)
# Operations go to the gateway in-process (schemathesis's ASGI transport), at /graphql.
_schema.app = gateway_app(FOLDER)
_schema.location = "/graphql"
for _role in ROLES:
    globals()[f"test_gateway_as_{_role}"] = BOUNDED(_schema.parametrize()(_explored_as(_role)))
