"""Every service answers within its OpenAPI, for every role, with every schemathesis check on."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from schemathesis import Case

from certboard_core.testing.plugin import bearer

from .conftest import (
    BOUNDED,
    CONFIG,
    SERVICES,
    contract_folder,
    prepared,
    service_app,
)

FOLDER = contract_folder("openapi")
# Staff explore every operation; each other role the operations it is meant to call (elsewhere
# it meets the same 403 as in the authorization matrix), which keeps the run within minutes.
ROLES = {
    "staff": ".*",
    "applicant": (
        "^/v1/(applications|agreements|peer-agreements|certifications|ce-records|ce-audits)"
    ),
    "provider": "^/v1/providers",
    "employer": "^/v1/employer/",
    "service": "^/internal/",
}


@pytest.fixture(scope="module")
def tokens() -> Iterator[dict[str, str]]:
    with prepared(FOLDER) as made:
        yield made


def _explored_as(role: str) -> Callable[[Case, dict[str, str]], None]:
    def test(case: Case, tokens: dict[str, str]) -> None:
        case.call_and_validate(headers=bearer(tokens[role]))

    return test


# One test per service and role, each parametrized by schemathesis with the service's operations.
for _service in SERVICES:
    _app = service_app(_service, FOLDER)
    _schema = schemathesis.openapi.from_dict(_app.openapi(), config=CONFIG)
    # Requests go to the app in-process (schemathesis's ASGI transport), as from_asgi would.
    _schema.app = _app
    for _role, _paths in ROLES.items():
        _explored = _schema.include(path_regex=_paths)
        if any(True for _ in _explored.get_all_operations()):
            globals()[f"test_{_service}_as_{_role}"] = BOUNDED(
                _explored.parametrize()(_explored_as(_role))
            )
