"""The exams service: authorizations to test, summaries, accommodations (and readiness)."""

from __future__ import annotations

from gateway.clients.exam_authorizations import AuthorizationCalls


class ExamsClient(AuthorizationCalls):
    """The exams service for one caller."""
