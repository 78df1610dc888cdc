"""Fixtures for the deployment checks: whether a process serves a path; the rendered
Kubernetes manifests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .code import get_app, serves_get
from .manifests import render


@pytest.fixture(scope="session")
def serves(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], bool]:
    """``serves(process, path)``: whether the process answers GET on the path (its app built
    once, in a scratch data folder)."""
    data_dir = tmp_path_factory.mktemp("deploy-apps")
    return lambda process, path: serves_get(get_app(process, data_dir), path)


@pytest.fixture(scope="session")
def rendered() -> list[dict[str, Any]]:
    """The production overlay's documents, as ``kubectl kustomize`` renders them."""
    return render()
