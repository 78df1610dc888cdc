from __future__ import annotations

# The same service and applications stand-in as the authorization tests.
from ..authorization.conftest import app, applications, exam_settings

__all__ = ["app", "applications", "exam_settings"]
