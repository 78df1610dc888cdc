"""The exams service: nothing beyond readiness and the test clock is read yet."""

from __future__ import annotations

from gateway.clients.base import BackendClient


class ExamsClient(BackendClient):
    """The exams service for one caller."""
