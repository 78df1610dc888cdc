"""Every route's dependencies are coroutines.

FastAPI runs a plain ``def`` dependency in a worker thread: for a dependency that only reads
``request.app.state`` that hop costs more CPU than the read, and it is paid on every request
(it was a few per cent of a status read). So dependencies are ``async def``; one that must
block belongs in the endpoint's own ``to_thread``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

import applications.main
import exams.main
import gateway.main
import supervision.main
import web.main

FACTORIES: dict[str, Callable[[], FastAPI]] = {
    "applications": applications.main.create_app,
    "exams": exams.main.create_app,
    "supervision": supervision.main.create_app,
    "gateway": gateway.main.create_app,
    "web": web.main.create_app,
}


def api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # FastAPI keeps an included router's routes behind a wrapper of its own.
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from api_routes(included.routes)


def blocking(dependant: Dependant) -> Iterator[str]:
    for dependency in dependant.dependencies:
        call = dependency.call
        if call is not None and not (
            inspect.iscoroutinefunction(call)
            or inspect.isasyncgenfunction(call)
            or inspect.iscoroutinefunction(getattr(call, "__call__", None))  # noqa: B004
        ):
            yield f"{call.__module__}.{call.__qualname__}"
        yield from blocking(dependency)


@pytest.mark.parametrize("process", sorted(FACTORIES))
def test_no_route_has_a_thread_bound_dependency(
    process: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CERTBOARD_DATA_DIR", str(tmp_path))
    routes = list(api_routes(FACTORIES[process]().router.routes))
    assert len(routes) > 3, "the walk found the app's routes"
    offenders = sorted(
        {f"{name} (in {route.path})" for route in routes for name in blocking(route.dependant)}
    )
    assert offenders == []
