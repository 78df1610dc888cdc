"""The roles a token can carry; kept apart from ``auth`` so minting a token needs no FastAPI."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"
    PROVIDER = "provider"
    APPLICANT = "applicant"
    SUPERVISOR = "supervisor"
    SERVICE = "service"
    # An organisation that enrols the certifications of people it employs, to hear of changes.
    EMPLOYER = "employer"
