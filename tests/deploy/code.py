"""What the code declares, for checking the deployment files against it: the processes, the
settings each reads, the routes each serves, the sweeps each service can run as a command.

Everything is derived from the code itself (``certboard_core.cli.PROCESSES``, each process's
``<name>.config.Settings``, its app factory), so a new setting, process or sweep is known here
without editing this module.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from pydantic import AliasChoices, AliasPath
from pydantic_settings import BaseSettings
from starlette.routing import Match

from certboard_core.launcher import BACKENDS, PROCESSES, SUBSCRIPTIONS
from certboard_core.settings import ProcessSettings, ServiceSettings

# The deployment tests take the processes and subscriptions from here, the one import of them.
__all__ = ["BACKEND_NAMES", "NAMES", "PROCESSES", "ROOT", "SUBSCRIPTIONS"]
ROOT = Path(__file__).resolve().parents[2]
NAMES = tuple(p.name for p in PROCESSES)
BACKEND_NAMES = tuple(p.name for p in BACKENDS)


def settings_class(process: str) -> type[BaseSettings]:
    """The settings class a process reads (``<name>.config.Settings``)."""
    settings: type[BaseSettings] = importlib.import_module(f"{process}.config").Settings
    return settings


def env_names(settings: type[BaseSettings]) -> frozenset[str]:
    """Every environment variable ``settings`` reads, upper-cased (pydantic-settings matches
    names without regard to case)."""
    prefix = settings.model_config.get("env_prefix", "")
    names: set[str] = set()
    for name, field in settings.model_fields.items():
        alias = field.validation_alias or field.alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names.update(c.upper() for c in alias.choices if isinstance(c, str))
        elif alias is None or isinstance(alias, AliasPath):
            names.add(f"{prefix}{name}".upper())
    return frozenset(names)


def command_settings(args: list[str]) -> type[BaseSettings]:
    """The settings class the container command ``args`` (the image's entrypoint arguments)
    reads: a process, ``migrate <service>``, ``python -m <service>.sweep``, a ``certboard``
    command."""
    if args[0] in NAMES:
        return settings_class(args[0])
    if args[0] == "migrate":
        return ServiceSettings
    if args[0] == "certboard":
        return ProcessSettings
    module = re.fullmatch(r"python -m (\w+)\.sweep", " ".join(args))
    if module:
        return settings_class(module.group(1))
    raise AssertionError(f"the image runs no such command: {args}")


def sweeps() -> tuple[str, ...]:
    """The services with a sweep (a ``sweep_interval_seconds`` setting); each has a
    ``python -m <service>.sweep`` command for a scheduler."""
    return tuple(
        name
        for name in BACKEND_NAMES
        if "sweep_interval_seconds" in settings_class(name).model_fields
    )


def has_module(name: str) -> bool:
    """Whether ``python -m name`` finds something to run."""
    return importlib.util.find_spec(name) is not None


@cache
def get_app(process: str, data_dir: Path) -> FastAPI:
    """``process``'s app, built (not started) in development."""
    config = importlib.import_module(f"{process}.config")
    main = importlib.import_module(f"{process}.main")
    app: FastAPI = main.create_app(config.Settings(data_dir=data_dir, environment="development"))
    return app


def serves_get(app: FastAPI, path: str) -> bool:
    """Whether a route of ``app`` answers ``GET path`` (asked the way Starlette routes)."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
    return any(route.matches(scope)[0] is Match.FULL for route in app.router.routes)
