"""Each sweep command the CronJobs run (``python -m <service>.sweep``) sweeps the database its
settings name and prints what it did as JSON: here a freshly migrated one, so nothing."""

from __future__ import annotations

import importlib
import json
import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest

from certboard_core.testing.plugin import DatabaseFactory

from .code import sweeps


@pytest.fixture(params=sweeps())
def service(request: pytest.FixtureRequest) -> Iterator[str]:
    name = str(request.param)
    get_settings = importlib.import_module(f"{name}.config").get_settings
    get_settings.cache_clear()
    yield name
    # Whoever reads the settings next gets its own environment's, not this test's.
    get_settings.cache_clear()


def test_a_sweep_command_sweeps_the_configured_database(
    service: str,
    database_factory: DatabaseFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CERTBOARD_DATABASE_URL", database_factory(service))
    monkeypatch.setenv("CERTBOARD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CERTBOARD_LOG_LEVEL", "WARNING")
    # As `python -m` runs it: the module (a package's __main__) as the main program.
    runpy.run_module(f"{service}.sweep", run_name="__main__", alter_sys=False)
    report = json.loads(capsys.readouterr().out)
    assert report
    assert set(report.values()) == {0}
