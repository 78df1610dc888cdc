import pytest

from ..session.records import mt_settings, supervisors, who

__all__ = ["mt_settings", "supervisors", "who"]


@pytest.fixture(autouse=True)
async def _qualified(supervisors: None) -> None:
    """Every agreement here names a qualified supervisor (an agreement needs one to be active)."""
