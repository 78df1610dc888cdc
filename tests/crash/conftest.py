"""A fresh system of real processes per test, on the backend the test runs for."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from certboard_core.cli import BACKENDS
from certboard_core.devissuer import ensure_dev_key
from certboard_core.testing.plugin import DatabaseFactory

from .system import System, free_base_port

MakeSystem = Callable[..., System]


@pytest.fixture
def make_system(database_factory: DatabaseFactory, tmp_path: Path) -> Iterator[MakeSystem]:
    """``make_system(**env)``: the three backends' processes, not started yet."""
    made: list[System] = []

    def make(**env: str) -> System:
        data_dir = tmp_path / f"system-{len(made)}"
        data_dir.mkdir()
        ensure_dev_key(data_dir)
        system = System(
            data_dir=data_dir,
            databases={p.name: database_factory(p.name) for p in BACKENDS},
            base_port=free_base_port(),
            extra_env=env,
        )
        made.append(system)
        return system

    yield make
    for system in made:
        system.stop_all()
