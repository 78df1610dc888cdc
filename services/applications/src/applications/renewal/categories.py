"""The CE categories and the unit of hours, apart from the rules so the policy can name them
(``ce_rules`` needs the policy's cycles; the policy needs the categories)."""

from __future__ import annotations

from enum import StrEnum

# Hours are whole hundredths of an hour (``int``), never floats: 1.5 hours is 150.
HUNDREDTHS_PER_HOUR = 100


class CeCategory(StrEnum):
    """What a CE course counts toward; every hour also counts toward the total."""

    GENERAL = "general"
    LAW_AND_ETHICS = "law_and_ethics"
    SUICIDE_PREVENTION = "suicide_prevention"
