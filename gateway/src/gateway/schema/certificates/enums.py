"""The applications service's provider and certificate vocabularies as GraphQL enums."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Whether a provider may send certificates.")
class ProviderStatus(Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@strawberry.enum(description="Where staff review of a certificate stands.")
class CertificateStatus(Enum):
    PENDING_REVIEW = "pending_review"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@strawberry.enum(description="What became of one row of an upload.")
class UploadOutcome(Enum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
