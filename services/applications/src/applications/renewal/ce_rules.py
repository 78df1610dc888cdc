"""Pure rules of continuing education (domain.md §Renewal and continuing education), no I/O.

Hours are whole hundredths of an hour (``int``), never floats: 1.5 hours is 150.
"""

from __future__ import annotations

from enum import StrEnum

HUNDREDTHS_PER_HOUR = 100


class CeCategory(StrEnum):
    """What a CE course counts toward; every hour also counts toward the total."""

    GENERAL = "general"
    LAW_AND_ETHICS = "law_and_ethics"
    SUICIDE_PREVENTION = "suicide_prevention"
