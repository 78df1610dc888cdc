"""uvicorn's loggers go through ours, except an access log uvicorn was told not to keep."""

from __future__ import annotations

import logging

import pytest

from certboard_core.logging import configure_logging


@pytest.fixture
def access(monkeypatch: pytest.MonkeyPatch) -> logging.Logger:
    logger = logging.getLogger("uvicorn.access")
    monkeypatch.setattr(logger, "handlers", list(logger.handlers))
    monkeypatch.setattr(logger, "propagate", logger.propagate)
    monkeypatch.setattr(logging.getLogger(), "handlers", list(logging.getLogger().handlers))
    return logger


def test_no_access_log_stays_off(access: logging.Logger) -> None:
    # What uvicorn's --no-access-log does (uvicorn.config.Config.configure_logging).
    access.handlers = []
    access.propagate = False
    configure_logging(service="s", level="INFO", json=True)
    assert not access.hasHandlers()


def test_an_access_log_uvicorn_keeps_goes_through_ours(access: logging.Logger) -> None:
    # uvicorn's default: a handler of its own, not propagating.
    access.handlers = [logging.StreamHandler()]
    access.propagate = False
    configure_logging(service="s", level="INFO", json=True)
    assert access.handlers == []
    assert access.propagate
    assert access.hasHandlers()
