"""Fixtures for the deployment checks: whether a process serves a path."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .code import get_app, serves_get


@pytest.fixture(scope="session")
def serves(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], bool]:
    """``serves(process, path)``: whether the process answers GET on the path (its app built
    once, in a scratch data folder)."""
    data_dir = tmp_path_factory.mktemp("deploy-apps")
    return lambda process, path: serves_get(get_app(process, data_dir), path)
