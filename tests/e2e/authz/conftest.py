"""The matrix runs on SQLite: who may call what is decided by role checks and one `readable`
statement per aggregate, the same SQL on both backends.

On PostgreSQL each entry's three fresh databases cost about 5 s (over 9 minutes for the
matrix on this machine), so it runs there only when asked:
``CERTBOARD_AUTHZ_BACKENDS=sqlite,postgresql pytest tests/e2e/authz``.
"""

from __future__ import annotations

import os

import pytest

BACKENDS = os.environ.get("CERTBOARD_AUTHZ_BACKENDS", "sqlite").split(",")


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """The database backend the matrix's system uses (overrides the suite's both-backends)."""
    return str(request.param)
