"""The board's exam rules as data: presets per board, any number overridable by configuration."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from certboard_core.policy import BoardPolicy, from_preset


class ExamPolicy(BoardPolicy):
    """Every number the exams service decides with (domain.md §Application 7-11, §MT)."""

    items_per_exam: int = Field(ge=1, description="multiple-choice items in one exam")
    options_per_item: int = Field(
        default=4,
        ge=2,
        le=26,
        description="answer options of every item: a key is one of the first this many "
        "letters (4: A to D)",
    )
    duration_minutes: int = Field(ge=1, description="time allowed for one exam")
    pass_mark_percent: int = Field(ge=0, le=100, description="a score at or above this passes")
    max_attempts_in_approval_period: int = Field(
        ge=1, description="exam attempts allowed while the application's approval is valid"
    )
    retake_requires_new_training: bool = Field(
        description="a new attempt needs a training certificate completed after the failed one"
    )
    accommodation_review_days: int = Field(
        ge=1, description="reasonable-accommodation requests are reviewed within this many days"
    )
    authorization_window_days: int = Field(
        ge=1,
        description="an authorization granted on day G is usable through day G + this "
        "(never past the approval's valid-through day)",
    )
    scheduling_review_days: int = Field(
        ge=1, description="scheduling details follow within this many days of the exam fee"
    )
    unused_authorization_uses_attempt: bool = Field(
        description="an authorization that expires unused, or a no-show, uses its attempt "
        "and forfeits its fee"
    )
    result_notice_min_days: int = Field(
        ge=0, description="the formal result notice is sent no sooner than this many days"
    )
    result_notice_max_days: int = Field(
        ge=0, description="the formal result notice is due within this many days of the attempt"
    )

    @model_validator(mode="after")
    def _notice_window(self) -> ExamPolicy:
        if self.result_notice_min_days > self.result_notice_max_days:
            raise ValueError("result_notice_min_days cannot exceed result_notice_max_days")
        return self


PRESETS: dict[str, dict[str, Any]] = {
    # Medi-Cal Peer Support Specialist certification (seed 002, closing pages). The seed
    # publishes no pass mark: 80% is the MT seed's mark and Washington's rule.
    "CA": {
        "board": "CA",
        "time_zone": "America/Los_Angeles",
        "items_per_exam": 120,
        "duration_minutes": 150,
        "pass_mark_percent": 80,
        "max_attempts_in_approval_period": 3,
        "retake_requires_new_training": False,
        "accommodation_review_days": 30,
        "authorization_window_days": 90,
        "scheduling_review_days": 14,
        "unused_authorization_uses_attempt": True,
        "result_notice_min_days": 7,
        "result_notice_max_days": 14,
    },
    # Montana Board of Behavioral Health (seed 000): pass mark 80%, no retakes (79% or lower
    # means taking the whole training again); the exam format and windows follow the CA reading.
    "MT": {
        "board": "MT",
        "time_zone": "America/Denver",
        "items_per_exam": 120,
        "duration_minutes": 150,
        "pass_mark_percent": 80,
        "max_attempts_in_approval_period": 1,
        "retake_requires_new_training": True,
        "accommodation_review_days": 30,
        "authorization_window_days": 90,
        "scheduling_review_days": 14,
        "unused_authorization_uses_attempt": True,
        "result_notice_min_days": 7,
        "result_notice_max_days": 14,
    },
}


def build_policy(preset: str, overrides: dict[str, Any] | None = None) -> ExamPolicy:
    """The preset named ``preset`` with ``overrides`` applied; unknown names are refused."""
    return from_preset(ExamPolicy, PRESETS, preset, overrides)
