"""One system per backend for the whole matrix, on SQLite and PostgreSQL alike.

A fresh system per entry cost about 5 s on PostgreSQL (three databases cloned and dropped),
over 9 minutes for the matrix. The entries share one instead: each makes its objects for new
people (``test_matrix.FreshWorld``), and a refused call is still shown to change nothing by
the fingerprint of every table before and after it. What no caller owns (the form attempts
are sat on, the training provider, the tables' names) is made once per system (``Shared``).
Without PostgreSQL its half skips, and fails in CI (``certboard_core.testing.plugin.databases``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from certboard_core.testing.plugin import BACKENDS, DatabaseFactory, _Templates, databases

from ..conftest import System, running_system
from .world import Shared


@pytest.fixture(scope="module", params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """The backend of the module's system: pytest runs every entry on one, then the other."""
    return str(request.param)


@pytest.fixture(scope="module")
def database_factory(
    db_backend: str, _templates: _Templates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DatabaseFactory]:
    """Databases that live as long as the module's system."""
    with databases(db_backend, _templates, tmp_path_factory.mktemp("authz")) as make:
        yield make


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def system(
    database_factory: DatabaseFactory, dev_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    """The system every entry of the matrix is called on, for one backend."""
    documents = tmp_path_factory.mktemp("authz-documents")
    async with running_system(database_factory, dev_data_dir, documents) as made:
        yield made


@pytest.fixture(scope="module")
def shared(system: System) -> Shared:
    """What the entries on the module's system share (made by the first that needs it); it
    asks for ``system`` so that it lives exactly as long."""
    return Shared()
