"""The supervision service: nothing beyond readiness and the test clock is read yet."""

from __future__ import annotations

from gateway.clients.base import BackendClient


class SupervisionClient(BackendClient):
    """The supervision service for one caller."""
